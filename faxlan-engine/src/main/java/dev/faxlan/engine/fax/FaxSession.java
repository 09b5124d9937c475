package dev.faxlan.engine.fax;

import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t30.Dcs;
import dev.faxlan.engine.t30.Fcf;
import dev.faxlan.engine.t30.T30FormatException;
import dev.faxlan.engine.t30.T30Frame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One fax call, sending or receiving, as the T.30 protocol. It does no I/O and reads no clock: what
 * arrives comes in from its {@link FaxFrontEnd}, the current time through {@link #runTimers}, and
 * signals to send go out to the front end; {@link FaxEvent}s report progress to the owner and a
 * {@link FaxSessionObserver} sees frames and oddities. So one thread can drive many sessions, tests run
 * the T.30 timers as fast as they like, and the same protocol runs over T.38 or an audio modem.
 *
 * <p>This class holds what both directions share (state, timers, frame sending, phase E); the calling
 * terminal's procedure is in {@link FaxSender} and {@link EcmSender}, the answering terminal's in
 * {@link FaxReceiver} and {@link EcmReceiver}. States are {@link T30State}s, after the T.30 flow charts.
 */
public final class FaxSession {
    /** T.30 timers, milliseconds. */
    static final long T1_MS = 35_000;
    static final long T2_MS = 7_000;
    static final long T4_MS = 3_000;
    /** How long a sender in ECM keeps asking a busy receiver (RNR) whether it is ready (T.30 §5.4.3.3: 60 ± 5 s). */
    static final long T5_MS = 60_000;
    static final long CED_MS = 3_000;
    static final long PAGE_TIMEOUT_MS = 15_000;
    static final int MAX_TRIES = 3;
    /**
     * A page with this share of bad rows or more (percent) is refused with RTN, fewer confirmed with
     * MCF: spandsp's line between good and poor copy, which TSB-85 MRGN04 draws at 4.9% and 15.1%.
     */
    static final int BAD_ROWS_PERCENT = 5;
    /** The most frames of a control burst (NSF, CSI, DIS and the like); longer bursts are image data. */
    static final int MAX_CONTROL_BURST = 8;

    /** One direction's procedure, driven by the session. */
    interface Part {
        /** A burst of valid frames from the peer. */
        void frames(List<T30Frame> frames, long now);

        /** The timer of the current state expired while nothing was being sent. */
        void timeout(long now);

        /** V.21 flags began: the peer's next frame is on its way. */
        default void flagsHeard(long now) {}

        /** The peer's V.21 burst ended without one valid frame. */
        default void noValidFrame(long now) {}

        /**
         * The peer's V.21 burst ended with a well-formed final frame whose FCF T.30 does not define
         * (and no valid frame): a command or response this terminal cannot understand. By default
         * treated as no valid frame.
         */
        default void unknownFinalFrame(byte[] frame, long now) {
            noValidFrame(now);
        }

        /** Image-modem data arrived. */
        default void imageData(byte[] chunk, long now) {}

        /** The image carrier ended. */
        default void imageEnd(long now) {}

        /** Partial page requests answered so far. */
        default int pprRounds() {
            return 0;
        }
    }

    final boolean sending;
    /**
     * Whether a valid DIS has been received: T.30 sets the X bit of every frame after that (normally the
     * caller's); a polled answerer that heard DTC leaves it 0, one that heard DIS in its place sets it.
     */
    boolean disReceived;
    final FaxOptions options;
    private final Consumer<FaxEvent> events;
    final FaxSessionObserver observer;
    final FaxFrontEnd frontEnd;
    private Part part;
    T30State state;
    long deadline = Long.MAX_VALUE;
    long stateStarted;
    int tries;
    FaxResult result;
    int pagesDone;
    long lastTxEnd;
    private final List<T30Frame> burst = new ArrayList<>();
    /** The burst's last frame when it was well-formed but had an FCF T.30 does not define; else null. */
    private byte[] unknownFinal;
    private List<T30Frame> lastSent = List.of();
    /** The last burst acted on, as received: a repeat of it while we still answer it is not heard again. */
    private List<byte[]> lastHeard = List.of();
    private Runnable afterTx;
    /** Where pages are coded and decoded; a {@link CallScheduler} gives its calls its workers. */
    PageWork work = PageWork.INLINE;
    /** What the owner does before the last page is confirmed (receiving) and when it was (sending). */
    EndOfFax endOfFax = EndOfFax.NONE;
    /** Where {@link #endOfFax} runs when not through {@link #work}: see {@link #endOfFax(EndOfFax, Executor)}. */
    private ExecutorWork endOfFaxWork;

    private FaxSession(boolean sending, FaxOptions options, Consumer<FaxEvent> events, FaxFrontEnd frontEnd, FaxSessionObserver observer) {
        this.sending = sending;
        this.disReceived = sending;
        this.options = options;
        this.events = events;
        this.frontEnd = frontEnd;
        this.observer = observer;
        frontEnd.attach(new Heard());
    }

    /**
     * A session that sends {@code pages} as the calling terminal through {@code frontEnd}. Pages are
     * 204 dpi wide and all of one width: 1728 (A4), 2048 (B4) or 2432 (A3) pels.
     */
    public static FaxSession send(OutgoingPages pages, FaxOptions options, Consumer<FaxEvent> events, FaxFrontEnd frontEnd,
            FaxSessionObserver observer, long now) {
        if (pages.count() < 1) throw new IllegalArgumentException("nothing to send: no pages");
        for (int i = 0; i < pages.count(); i++) {
            if (i > 0 && !pages.startsDocument(i)) continue;
            int w = pages.width(i);
            if (Dcs.widthCode(w) < 0) throw new IllegalArgumentException("pages must be 1728, 2048 or 2432 pels wide, not " + w);
        }
        FaxSession s = new FaxSession(true, options, events, frontEnd, observer);
        FaxSender sender = new FaxSender(s, pages);
        s.part = sender;
        sender.start(now);
        return s;
    }

    /** As {@link #send(OutgoingPages, FaxOptions, Consumer, FaxFrontEnd, FaxSessionObserver, long)} with pages in memory. */
    public static FaxSession send(List<BilevelPage> pages, FaxOptions options, Consumer<FaxEvent> events, FaxFrontEnd frontEnd,
            FaxSessionObserver observer, long now) {
        return send(OutgoingPages.of(pages), options, events, frontEnd, observer, now);
    }

    /** A session that answers and receives as the called terminal through {@code frontEnd}. */
    public static FaxSession receive(FaxOptions options, Consumer<FaxEvent> events, FaxFrontEnd frontEnd, FaxSessionObserver observer, long now) {
        return receive(options, null, events, frontEnd, observer, now);
    }

    /**
     * A session that answers as the called terminal holding {@code held} for polling (or nothing, when
     * null): it receives a fax sent to it, and sends {@code held} to a caller that polls for it.
     */
    public static FaxSession receive(FaxOptions options, PolledDocument held, Consumer<FaxEvent> events, FaxFrontEnd frontEnd,
            FaxSessionObserver observer, long now) {
        if (held != null && Dcs.widthCode(held.pages().width()) < 0) {
            throw new IllegalArgumentException("pages must be 1728, 2048 or 2432 pels wide, not " + held.pages().width());
        }
        FaxSession s = new FaxSession(false, options, events, frontEnd, observer);
        FaxReceiver receiver = new FaxReceiver(s, held, null);
        s.part = receiver;
        receiver.start(now);
        return s;
    }

    /**
     * A session that calls to poll: as the calling terminal it asks the called one for the document it
     * holds ({@code request} says which, with what password) and receives it.
     */
    public static FaxSession poll(PollRequest request, FaxOptions options, Consumer<FaxEvent> events, FaxFrontEnd frontEnd,
            FaxSessionObserver observer, long now) {
        FaxSession s = new FaxSession(false, options, events, frontEnd, observer);
        FaxReceiver receiver = new FaxReceiver(s, null, request);
        s.part = receiver;
        receiver.startPolling(now);
        return s;
    }

    /** Polled: the answering terminal becomes the sender of the document it holds, from the DTC (or DIS) in {@code frames}. */
    void becomePolledSender(OutgoingPages pages, List<T30Frame> frames, long now) {
        FaxSender sender = new FaxSender(this, pages);
        part = sender;
        sender.polled(frames, now);
    }

    // ------------------------------------------------------------------ driving

    /**
     * Runs the T.30 timer: call it when {@link #nextTimer()} has come (and whenever else, harmlessly).
     * It also takes in the answer of an end-of-fax hook run on an executor ({@link #endOfFax(EndOfFax, Executor)}).
     */
    public void runTimers(long now) {
        if (endOfFaxWork != null) endOfFaxWork.takeAnswers(now);
        if (state != T30State.CALL_FINISHED && !frontEnd.txBusy() && now >= deadline) {
            T30State before = state;
            long expired = deadline;
            part.timeout(now);
            // A timer the state has no use for stops, instead of expiring again at every poll.
            if (state == before && deadline == expired) deadline = Long.MAX_VALUE;
        }
    }

    /** When the running timer expires, or {@link Long#MAX_VALUE}; no timer runs while the front end is sending. */
    public long nextTimer() {
        return frontEnd.txBusy() ? Long.MAX_VALUE : deadline;
    }

    /** Whether the call is over and its last signal has left. */
    public boolean done() {
        return state == T30State.CALL_FINISHED && !frontEnd.txBusy();
    }

    /** The outcome once {@link #done()}; null before. */
    public FaxResult result() {
        return result;
    }

    /** Partial page requests answered so far (ECM sending). */
    public int pprRounds() {
        return part.pprRounds();
    }

    public int pagesTransferred() {
        return pagesDone;
    }

    public T30State state() {
        return state;
    }

    /** Codes and decodes this call's pages with {@code work} from now on. */
    void pageWork(PageWork work) {
        this.work = work;
    }

    /** Calls {@code hook} at the end of the fax from now on (see {@link EndOfFax}); set it before the last page. */
    public void endOfFax(EndOfFax hook) {
        this.endOfFax = hook == null ? EndOfFax.NONE : hook;
    }

    /**
     * As {@link #endOfFax(EndOfFax)}, the hook run on {@code executor} and its answer taken in at the
     * next {@link #runTimers}: for a session whose driving thread calls that at a steady pace and must
     * never wait (an audio terminal, which sends a block every 20 ms). Meanwhile its timers run and it
     * answers the peer as while a page is decoded.
     */
    public void endOfFax(EndOfFax hook, Executor executor) {
        endOfFax(hook);
        endOfFaxWork = new ExecutorWork(executor);
    }

    /** Where the end-of-fax hook runs. */
    private PageWork endOfFaxWork() {
        return endOfFaxWork != null ? endOfFaxWork : work;
    }

    /** Ends the call at once, as a local hang-up. */
    public void cancel(long now) {
        if (state == T30State.CALL_FINISHED) return;
        frontEnd.clearTx();
        sendFrames(List.of(frame(Fcf.DCN)), now);
        finish(FaxResult.CANCELLED);
    }

    // ------------------------------------------------------------------ for the parts

    void enter(T30State s, long now, long timeout) {
        state = s;
        stateStarted = now;
        deadline = timeout == Long.MAX_VALUE ? Long.MAX_VALUE : now + timeout;
    }

    void finish(FaxResult r) {
        if (state == T30State.CALL_FINISHED) return;
        result = r;
        state = T30State.CALL_FINISHED;
        deadline = Long.MAX_VALUE;
        events.accept(new FaxEvent.Completed(r, pagesDone));
    }

    void event(FaxEvent e) {
        events.accept(e);
    }

    void disconnect(FaxResult r, long now) {
        sendFrames(List.of(frame(Fcf.DCN)), now);
        finish(r);
    }

    /**
     * Phase E after the last page: the owner hears that the fax was delivered (and may record it
     * durably, off the lane), then DCN, and the call is over once it has left. The receiver waits T2
     * for the DCN, and has the fax either way.
     */
    void sendDcnAndFinish(long now) {
        enter(T30State.B, now, Long.MAX_VALUE);
        if (endOfFax == EndOfFax.NONE) {
            sendDcn(now);
            return;
        }
        int pages = pagesDone;
        EndOfFax hook = endOfFax;
        endOfFaxWork().submit(() -> {
            try {
                hook.lastPageConfirmed(pages);
            } catch (RuntimeException e) {
                // The fax is delivered whatever the owner failed to record: the call still ends OK.
            }
            return Boolean.TRUE;
        }, (ignored, at) -> {
            if (state != T30State.CALL_FINISHED) sendDcn(at);
        }, now);
    }

    private void sendDcn(long now) {
        sendFrames(List.of(frame(Fcf.DCN)), now);
        awaitTx(() -> finish(FaxResult.OK));
    }

    /**
     * Receiving: the last page is good; {@code then} hears whether the owner stored the fax (see
     * {@link EndOfFax#lastPageReceived}), on the lane. The store runs off the lane.
     */
    void storeLastPage(PageWork.Answer<Boolean> then, long now) {
        if (endOfFax == EndOfFax.NONE) {
            then.accept(Boolean.TRUE, now);
            return;
        }
        int pages = pagesDone;
        EndOfFax hook = endOfFax;
        endOfFaxWork().submit(() -> {
            try {
                return hook.lastPageReceived(pages);
            } catch (RuntimeException e) {
                return Boolean.FALSE;
            }
        }, then, now);
    }

    /** Phase E timer: the peer's DCN did not come; the call ends with what it achieved. */
    void phaseETimeout() {
        finish(result == null ? FaxResult.OK : result);
    }

    /** Runs {@code r} once everything queued has left. */
    void awaitTx(Runnable r) {
        afterTx = r;
    }

    /** Starts T4 once the command just queued has left (the response timer runs from the end of the command). */
    void awaitResponse() {
        deadline = Long.MAX_VALUE;
        awaitTx(() -> deadline = lastTxEnd + T4_MS);
    }

    T30Frame frame(Fcf fcf) {
        return frame(fcf, new byte[0]);
    }

    T30Frame frame(Fcf fcf, byte[] fif) {
        return T30Frame.of(fcf, disReceived, fif);
    }

    void sendFrames(List<T30Frame> frames, long now) {
        observer.frames(FaxSessionObserver.Direction.SENT, state, frames, now);
        List<byte[]> encoded = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            T30Frame f = frames.get(i);
            encoded.add(new T30Frame(f.fcf(), f.xBit(), i == frames.size() - 1, f.fif()).encode());
        }
        lastSent = frames;
        frontEnd.sendHdlc(encoded, now);
    }

    void resend(long now) {
        if (!lastSent.isEmpty()) {
            List<T30Frame> again = lastSent;
            sendFrames(again, now);
        }
    }

    void unexpected(T30Frame f, long now) {
        observer.unexpectedFrame(state, f, now);
    }

    /** What the front end reports, passed to the direction's part. */
    private final class Heard implements FaxFrontEnd.Receiver {
        @Override
        public void txIdle(long now) {
            lastTxEnd = now;
            if (afterTx != null) {
                Runnable r = afterTx;
                afterTx = null;
                r.run();
            }
        }

        @Override
        public void hdlcStart(long now) {
            if (state != T30State.CALL_FINISHED) part.flagsHeard(now);
        }

        @Override
        public void hdlcFrame(byte[] bytes, boolean good, long now) {
            if (state == T30State.CALL_FINISHED) return;
            // ECM blocks take long (256 frames of 256 octets is 36 s at 14400 bit/s): data still arriving
            // keeps the page timer from expiring, good frames or not.
            if (state == T30State.F_DOC_ECM) deadline = now + PAGE_TIMEOUT_MS;
            if (!good) return;
            unknownFinal = null;
            try {
                burst.add(T30Frame.decode(bytes));
            } catch (T30FormatException e) {
                // Ignored, as T.30 receivers do with invalid frames.
                observer.malformedFrame(state, bytes, e.getMessage(), now);
                if (bytes.length >= 3 && (bytes[0] & 0xff) == T30Frame.ADDRESS && (bytes[1] & 0xff) == T30Frame.CONTROL_FINAL
                        && Fcf.of(bytes[2]) == null) {
                    unknownFinal = bytes.clone();
                }
            }
        }

        @Override
        public void hdlcEnd(long now) {
            if (state == T30State.CALL_FINISHED) return;
            byte[] unknown = unknownFinal;
            unknownFinal = null;
            if (burst.isEmpty()) {
                if (unknown != null) part.unknownFinalFrame(unknown, now);
                else part.noValidFrame(now);
                return;
            }
            List<T30Frame> frames = new ArrayList<>(burst);
            burst.clear();
            // Only control bursts are remembered: an ECM block (up to 256 frames) is never repeated unasked.
            List<byte[]> heard = frames.size() <= MAX_CONTROL_BURST ? frames.stream().map(T30Frame::encode).toList() : List.of();
            if (frontEnd.txBusy() && !heard.isEmpty() && sameBurst(heard, lastHeard)) {
                // The peer repeated its last signal because our answer was late, and the answer is
                // still going out: a modem, which cannot hear while it talks, would miss the repeat.
                // Answering it too would put a second, stale answer on the line, which the peer takes
                // for the answer to its next command (a page skipped, or "unexpected message").
                observer.repeatIgnored(state, frames, now);
                return;
            }
            lastHeard = heard;
            observer.frames(FaxSessionObserver.Direction.RECEIVED, state, frames, now);
            part.frames(frames, now);
        }

        private static boolean sameBurst(List<byte[]> a, List<byte[]> b) {
            if (a.size() != b.size()) return false;
            for (int i = 0; i < a.size(); i++) {
                if (!Arrays.equals(a.get(i), b.get(i))) return false;
            }
            return true;
        }

        @Override
        public void imageData(byte[] chunk, long now) {
            if (state != T30State.CALL_FINISHED) part.imageData(chunk, now);
        }

        @Override
        public void imageEnd(long now) {
            if (state != T30State.CALL_FINISHED) part.imageEnd(now);
        }
    }
}
