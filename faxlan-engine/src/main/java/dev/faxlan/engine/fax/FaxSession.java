package dev.faxlan.engine.fax;

import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t4.Compression;
import dev.faxlan.engine.t30.Dcs;
import dev.faxlan.engine.t30.Dis;
import dev.faxlan.engine.t30.Fcf;
import dev.faxlan.engine.t30.Identity;
import dev.faxlan.engine.t30.Modem;
import dev.faxlan.engine.t4.Resolution;
import dev.faxlan.engine.t30.T30FormatException;
import dev.faxlan.engine.t30.T30Frame;
import dev.faxlan.engine.t38.Ifp;
import dev.faxlan.engine.t38.Indicator;
import dev.faxlan.engine.t4.CodecOptions;
import dev.faxlan.engine.t4.DecodeResult;
import dev.faxlan.engine.t4.FaxCodecException;
import dev.faxlan.engine.t4.T4Decoder;
import dev.faxlan.engine.t4.T4Encoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * One fax call, sending or receiving, as T.30 over T.38. It does no I/O and reads no clock: IFPs and
 * the current time go in ({@link #receive}, {@link #poll}), IFPs due for sending and {@link FaxEvent}s
 * come out. So one thread can drive many sessions, and tests run the T.30 timers as fast as they like.
 *
 * <p>States are named after the T.30 flow charts. This version implements non-ECM operation
 * (phases A to E, MH and MR, rate fallback after FTT, RTN/RTP handling); with ECM requested it
 * negotiates without ECM.
 */
public final class FaxSession {
    /** T.30 timers, milliseconds. */
    static final long T1_MS = 35_000;
    static final long T2_MS = 7_000;
    static final long T4_MS = 3_000;
    static final long CED_MS = 3_000;
    static final long PAGE_TIMEOUT_MS = 15_000;
    static final int MAX_TRIES = 3;
    /** Most bad lines a page may have and still be confirmed with MCF rather than RTN. */
    static final int MAX_BAD_LINES = 10;

    enum State {
        /** Sender, phase A/B: waiting for the called terminal's DIS. */
        T_WAIT_DIS,
        /** Sender: DCS and TCF going out, then waiting for CFR or FTT. */
        T_WAIT_CFR,
        /** Sender, phase C: page data going out. */
        T_SEND_PAGE,
        /** Sender, phase D: post-message command sent, waiting for MCF, RTP or RTN. */
        T_WAIT_PMR,
        /** Sender, ECM phase D: PPS sent, waiting for MCF, PPR, RNR or CTR. */
        T_WAIT_PPS_RESPONSE,
        /** Receiver, ECM phase C/D: FCD frames of a block arriving, then PPS. */
        R_ECM,
        /** Receiver, phase B: DIS sent, waiting for DCS. */
        R_WAIT_DCS,
        /** Receiver: DCS received, training check data arriving. */
        R_TCF,
        /** Receiver, phase C: page data arriving. */
        R_PAGE,
        /** Receiver, phase D: waiting for the post-message command. */
        R_WAIT_PMC,
        /** Either side: DCN sent or expected, call ending. */
        DISCONNECT,
        DONE
    }

    private final boolean sending;
    private final FaxOptions options;
    private final OutgoingPages pages;
    private final Consumer<FaxEvent> events;
    private final T38Link link;
    private State state;
    private long deadline = Long.MAX_VALUE;
    private long stateStarted;
    private int tries;
    private final List<T30Frame> burst = new ArrayList<>();
    private FaxResult result;
    private int pagesDone;
    private String remoteIdent = "";
    private String remoteSub;
    private String remoteSid;
    // negotiated
    private Dis remoteDis;
    private Dcs dcs;
    private Modem modem;
    private int pageIndex;
    private int rtnCount;
    private List<T30Frame> lastSent = List.of();
    private boolean awaitingTxIdle;
    private Runnable afterTx;
    // ECM, sending
    static final int ECM_FRAME = 256;
    static final int ECM_BLOCK_FRAMES = 256;
    private List<byte[]> pageFrames = List.of();
    private int blockStart;
    private int blockIndex;
    private int pprCount;
    private int pprTotal;
    private java.util.BitSet pendingResend;
    private T30Frame lastPps;
    // ECM, receiving
    private final java.util.TreeMap<Integer, byte[]> blockFrames = new java.util.TreeMap<>();
    private final ByteArrayOutputStream ecmPage = new ByteArrayOutputStream(1 << 16);
    private int acceptedPage = -1;
    private int acceptedBlock = -1;
    // receiving
    private final ByteArrayOutputStream image = new ByteArrayOutputStream(1 << 16);
    private boolean pageOk;

    private FaxSession(boolean sending, FaxOptions options, OutgoingPages pages, Consumer<FaxEvent> events) {
        this.sending = sending;
        this.options = options;
        this.pages = pages;
        this.events = events;
        this.link = new T38Link(new LinkEvents());
    }

    /**
     * A session that sends {@code pages} as the calling terminal. Pages are 204 dpi wide and all of one
     * width: 1728 (A4), 2048 (B4) or 2432 (A3) pels.
     */
    public static FaxSession send(List<BilevelPage> pages, FaxOptions options, Consumer<FaxEvent> events, long now) {
        return send(OutgoingPages.of(pages), options, events, now);
    }

    /** As {@link #send(List, FaxOptions, Consumer, long)}, reading each page when it is coded. */
    public static FaxSession send(OutgoingPages pages, FaxOptions options, Consumer<FaxEvent> events, long now) {
        if (pages.count() < 1) throw new IllegalArgumentException("nothing to send: no pages");
        if (Dcs.widthCode(pages.width()) < 0) throw new IllegalArgumentException("pages must be 1728, 2048 or 2432 pels wide, not " + pages.width());
        FaxSession s = new FaxSession(true, options, pages, events);
        s.link.sendIndicator(Indicator.CNG, now);
        s.enter(State.T_WAIT_DIS, now, T1_MS);
        return s;
    }

    /** A session that answers and receives as the called terminal. */
    public static FaxSession receive(FaxOptions options, Consumer<FaxEvent> events, long now) {
        FaxSession s = new FaxSession(false, options, null, events);
        s.link.sendIndicator(Indicator.CED, now);
        s.stateStarted = now;
        s.sendFrames(s.disFrames(), now + CED_MS);
        s.enter(State.R_WAIT_DCS, now, Long.MAX_VALUE);
        s.awaitTx(() -> s.deadline = Math.min(s.stateStarted + T1_MS, s.lastTxEnd + T4_MS));
        return s;
    }

    // ------------------------------------------------------------------ driving

    /** Feeds one IFP from the peer. */
    public void receive(Ifp ifp, long now) {
        if (state == State.DONE) return;
        link.receive(ifp, now);
    }

    /** Tells the session that {@code count} IFPs from the peer were lost for good. */
    public void lost(int count) {
        link.lost(count);
    }

    /** Runs timers and returns the IFPs to send now. */
    public List<Ifp> poll(long now) {
        List<Ifp> out = link.poll(now);
        if (state != State.DONE && !link.txBusy() && now >= deadline) timeout(now);
        out.addAll(link.poll(now));
        return out;
    }

    /** The earliest time {@link #poll} has work: next IFP due or next timer. */
    public long nextWakeup() {
        return Math.min(link.nextTxTime(), link.txBusy() ? Long.MAX_VALUE : deadline);
    }

    public boolean done() {
        return state == State.DONE && !link.txBusy();
    }

    /** The outcome once {@link #done()}; null before. */
    public FaxResult result() {
        return result;
    }

    /** Partial page requests answered so far (ECM sending). */
    public int pprRounds() {
        return pprTotal;
    }

    public int pagesTransferred() {
        return pagesDone;
    }

    State state() {
        return state;
    }

    /** Ends the call at once, as a local hang-up. */
    public void cancel(long now) {
        if (state == State.DONE) return;
        link.clearTx();
        sendFrames(List.of(frame(Fcf.DCN, new byte[0])), now);
        finish(FaxResult.CANCELLED);
    }

    // ------------------------------------------------------------------ state handling

    private void enter(State s, long now, long timeout) {
        state = s;
        stateStarted = now;
        deadline = timeout == Long.MAX_VALUE ? Long.MAX_VALUE : now + timeout;
    }

    private void finish(FaxResult r) {
        if (state == State.DONE) return;
        result = r;
        state = State.DONE;
        deadline = Long.MAX_VALUE;
        events.accept(new FaxEvent.Completed(r, pagesDone));
    }

    private void disconnect(FaxResult r, long now) {
        sendFrames(List.of(frame(Fcf.DCN, new byte[0])), now);
        finish(r);
    }

    private void timeout(long now) {
        switch (state) {
            case T_WAIT_DIS -> finish(FaxResult.T1_EXPIRED);
            case T_WAIT_CFR, T_WAIT_PMR, T_WAIT_PPS_RESPONSE -> {
                if (++tries >= MAX_TRIES) {
                    disconnect(FaxResult.NO_RESPONSE, now);
                } else if (state == State.T_WAIT_CFR) {
                    sendDcsAndTcf(now);
                } else {
                    resend(now);
                    deadline = Long.MAX_VALUE;
                    awaitTx(() -> deadline = lastTxEnd + T4_MS);
                }
            }
            case R_WAIT_DCS -> {
                if (now - stateStarted >= T1_MS) {
                    finish(FaxResult.T1_EXPIRED);
                } else {
                    // Repeat DIS until the caller answers (T.30 flow chart: T4 between DIS repeats).
                    sendFrames(disFrames(), now);
                    deadline = Long.MAX_VALUE;
                    long started = stateStarted;
                    awaitTx(() -> deadline = Math.min(started + T1_MS, lastTxEnd + T4_MS));
                }
            }
            case R_TCF, R_PAGE, R_ECM -> disconnect(state == State.R_TCF ? FaxResult.T2_EXPIRED : FaxResult.PAGE_TIMEOUT, now);
            case R_WAIT_PMC -> disconnect(FaxResult.T2_EXPIRED, now);
            case DISCONNECT -> finish(result == null ? FaxResult.OK : result);
            default -> {
                // no timer in other states
            }
        }
    }

    private long lastTxEnd;

    /** Runs {@code r} once everything queued has left. */
    private void awaitTx(Runnable r) {
        awaitingTxIdle = true;
        afterTx = r;
    }

    private final class LinkEvents implements T38Link.Listener {
        @Override
        public void txIdle(long now) {
            lastTxEnd = now;
            if (awaitingTxIdle) {
                awaitingTxIdle = false;
                Runnable r = afterTx;
                afterTx = null;
                r.run();
            }
        }

        @Override
        public void hdlcFrame(byte[] bytes, boolean good, long now) {
            // ECM blocks take long (256 frames of 256 octets is 36 s at 14400 bit/s): data still arriving
            // keeps the page timer from expiring, good frames or not.
            if (state == State.R_ECM) deadline = now + PAGE_TIMEOUT_MS;
            if (!good) return;
            try {
                burst.add(T30Frame.decode(bytes));
            } catch (T30FormatException e) {
                // An unknown or malformed frame is ignored, as T.30 receivers do with invalid frames.
            }
        }

        @Override
        public void hdlcEnd(long now) {
            if (burst.isEmpty()) {
                crpIfExpected(now);
                return;
            }
            List<T30Frame> frames = new ArrayList<>(burst);
            burst.clear();
            trace("recv", frames.size() > 6 ? frames.size() + " frames, last " + frames.get(frames.size() - 1) : frames, now);
            if (sending) senderFrames(frames, now);
            else receiverFrames(frames, now);
        }

        @Override
        public void imageData(byte[] chunk, long now) {
            if (state == State.R_TCF || state == State.R_PAGE) {
                pageData = true;
                if (image.size() < (64 << 20)) image.writeBytes(chunk);
                deadline = now + PAGE_TIMEOUT_MS;
            }
        }

        @Override
        public void imageEnd(long now) {
            if (state == State.R_TCF) tcfEnded(now);
            else if (state == State.R_PAGE) pageEnded(now);
        }
    }

    /** A burst with no valid frame where a command was due: ask for it again. */
    private void crpIfExpected(long now) {
        if (!sending && (state == State.R_WAIT_PMC || state == State.R_WAIT_DCS && dcs != null)) {
            sendFrames(List.of(frame(Fcf.CRP, new byte[0])), now);
        }
    }

    // ------------------------------------------------------------------ sender

    private void senderFrames(List<T30Frame> frames, long now) {
        T30Frame last = frames.get(frames.size() - 1);
        if (last.fcf() == Fcf.DCN) {
            finish(pagesDone == pages.count() && state == State.DISCONNECT ? FaxResult.OK : FaxResult.REMOTE_DISCONNECTED);
            return;
        }
        if (last.fcf() == Fcf.CRP) {
            resend(now);
            return;
        }
        switch (state) {
            case T_WAIT_DIS -> {
                for (T30Frame f : frames) {
                    if (f.fcf() == Fcf.CSI) remoteIdent = Identity.decode(f.fif());
                }
                if (last.fcf() != Fcf.DIS) return;
                try {
                    remoteDis = Dis.parse(last.fif());
                } catch (T30FormatException e) {
                    disconnect(FaxResult.PROTOCOL_ERROR, now);
                    return;
                }
                if (!remoteDis.readyToReceive()) {
                    disconnect(FaxResult.REMOTE_NO_RECEIVER, now);
                    return;
                }
                Resolution wanted = Resolution.ofYDpi(pages.yRes());
                dcs = Dcs.withWidth(Dcs.choose(remoteDis, options.fastestModem(), wanted, options.ecm(), options.codings()), pages.width());
                if (dcs.resolution() != wanted || !remoteDis.takesWidth(pages.width())) {
                    // Our pages are rendered at one resolution; sending them at another would distort them.
                    disconnect(FaxResult.INCOMPATIBLE, now);
                    return;
                }
                modem = dcs.modem();
                tries = 0;
                sendDcsAndTcf(now);
            }
            case T_WAIT_CFR -> {
                if (last.fcf() == Fcf.CFR) {
                    events.accept(new FaxEvent.Negotiated(dcs, remoteIdent, options.subaddress(), options.senderId()));
                    startPage(now, false);
                } else if (last.fcf() == Fcf.FTT) {
                    Modem next = modem.fallback(remoteDis.modems());
                    if (next == null) {
                        disconnect(FaxResult.TRAINING_FAILED, now);
                        return;
                    }
                    modem = next;
                    dcs = withModem(dcs, next);
                    tries = 0;
                    sendDcsAndTcf(now);
                } else if (last.fcf() == Fcf.DIS) {
                    // Our DCS was lost and the receiver repeated DIS: send DCS again.
                    sendDcsAndTcf(now);
                }
            }
            case T_WAIT_PPS_RESPONSE -> ppsResponse(last, now);
            case T_WAIT_PMR -> {
                switch (last.fcf()) {
                    case MCF, RTP -> {
                        pagesDone++;
                        events.accept(new FaxEvent.Page(pagesDone, null));
                        pageIndex++;
                        rtnCount = 0;
                        if (pageIndex >= pages.count()) {
                            enter(State.DISCONNECT, now, Long.MAX_VALUE);
                            sendFrames(List.of(frame(Fcf.DCN, new byte[0])), now);
                            awaitTx(() -> finish(FaxResult.OK));
                        } else if (last.fcf() == Fcf.RTP) {
                            tries = 0;
                            sendDcsAndTcf(now);
                        } else {
                            startPage(now, false);
                        }
                    }
                    case RTN -> {
                        if (++rtnCount >= MAX_TRIES) {
                            disconnect(FaxResult.PAGE_REJECTED, now);
                            return;
                        }
                        // Retrain (at a lower rate if there is one) and send the page again.
                        Modem next = modem.fallback(remoteDis.modems());
                        if (next != null) {
                            modem = next;
                            dcs = withModem(dcs, next);
                        }
                        tries = 0;
                        sendDcsAndTcf(now);
                    }
                    case PIP, PIN -> disconnect(FaxResult.REMOTE_DISCONNECTED, now);
                    default -> {
                        // Not a response to our command: wait for one (T4 still runs).
                    }
                }
            }
            default -> {
                // frames in other states are ignored
            }
        }
    }

    private static Dcs withModem(Dcs d, Modem m) {
        return new Dcs(m, d.resolution(), d.compression(), d.ecm(), d.ecm64(), d.widthCode(), d.lengthCode(), d.minScanLineMs(),
                d.subaddress(), d.senderId());
    }

    private void sendDcsAndTcf(long now) {
        List<T30Frame> frames = new ArrayList<>();
        frames.add(frame(Fcf.TSI, Identity.encode(options.ident())));
        boolean sub = options.subaddress() != null && remoteDis.subaddressing();
        boolean sid = options.senderId() != null && remoteDis.password();
        if (sub) frames.add(frame(Fcf.SUB, Identity.encode(options.subaddress())));
        if (sid) frames.add(frame(Fcf.SID, Identity.encode(options.senderId())));
        Dcs d = new Dcs(dcs.modem(), dcs.resolution(), dcs.compression(), dcs.ecm(), dcs.ecm64(), dcs.widthCode(), dcs.lengthCode(),
                dcs.minScanLineMs(), sub, sid);
        frames.add(frame(Fcf.DCS, d.encode()));
        sendFrames(frames, now);
        link.sendTcf(modem, now);
        enter(State.T_WAIT_CFR, now, Long.MAX_VALUE);
        awaitTx(() -> deadline = lastTxEnd + T4_MS);
    }

    /** The page at {@code pageIndex}, or null after ending the call because it could not be read. */
    private BilevelPage pageToSend(long now) {
        try {
            BilevelPage page = pages.page(pageIndex);
            if (page.width() != pages.width() || page.yRes() != pages.yRes()) {
                throw new IOException("page " + (pageIndex + 1) + " is " + page.width() + " pels at " + page.yRes() + " dpi, not " + pages.width()
                        + " at " + pages.yRes());
            }
            return page;
        } catch (IOException | RuntimeException e) {
            disconnect(FaxResult.PAGE_NOT_READ, now);
            return null;
        }
    }

    private void startPage(long now, boolean longTraining) {
        if (dcs.ecm()) {
            startEcmPage(now);
            return;
        }
        BilevelPage page = pageToSend(now);
        if (page == null) return;
        int minBits = dcs.minScanLineMs() * modem.bitRate() / 1000;
        CodecOptions opts = (dcs.compression() == Compression.MR ? CodecOptions.mr(dcs.resolution() == Resolution.STANDARD ? 2 : 4)
                : CodecOptions.mh()).withMinBitsPerLine(minBits);
        byte[] coded = T4Encoder.encode(page, opts);
        // At least 40 ms of zeros after RTC, or gateways cut the last rows (field notes §3).
        int tail = Math.max(1, modem.bitRate() * 40 / 8000);
        byte[] data = new byte[coded.length + tail];
        System.arraycopy(coded, 0, data, 0, coded.length);
        link.sendImage(modem, longTraining, data, now);
        enter(State.T_SEND_PAGE, now, Long.MAX_VALUE);
        awaitTx(() -> {
            boolean last = pageIndex == pages.count() - 1;
            tries = 0;
            sendFrames(List.of(frame(last ? Fcf.EOP : Fcf.MPS, new byte[0])), lastTxEnd);
            enter(State.T_WAIT_PMR, lastTxEnd, Long.MAX_VALUE);
            awaitTx(() -> deadline = lastTxEnd + T4_MS);
        });
    }

    // ------------------------------------------------------------------ ECM sender (T.4 Annex A)

    private void startEcmPage(long now) {
        BilevelPage page = pageToSend(now);
        if (page == null) return;
        CodecOptions opts = switch (dcs.compression()) {
            case MMR -> CodecOptions.mmr();
            case MR -> CodecOptions.mr(dcs.resolution() == Resolution.STANDARD ? 2 : 4);
            default -> CodecOptions.mh();
        };
        byte[] coded = T4Encoder.encode(page, opts);
        List<byte[]> frames = new ArrayList<>();
        for (int off = 0; off < coded.length; off += ECM_FRAME) {
            // Every frame is full length; the last is padded with zeros after the end-of-page code.
            byte[] f = new byte[ECM_FRAME];
            System.arraycopy(coded, off, f, 0, Math.min(ECM_FRAME, coded.length - off));
            frames.add(f);
        }
        pageFrames = frames;
        blockStart = 0;
        blockIndex = 0;
        sendBlock(now, null);
    }

    private int blockLength() {
        return Math.min(ECM_BLOCK_FRAMES, pageFrames.size() - blockStart);
    }

    /** Sends the current block's frames ({@code only} null: all of them), RCP, then PPS. */
    private void sendBlock(long now, java.util.BitSet only) {
        int n = blockLength();
        List<byte[]> hdlc = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (only != null && !only.get(i)) continue;
            byte[] fif = new byte[1 + ECM_FRAME];
            fif[0] = (byte) T30Frame.reverseBits(i);
            System.arraycopy(pageFrames.get(blockStart + i), 0, fif, 1, ECM_FRAME);
            hdlc.add(new T30Frame(Fcf.FCD, false, false, fif).encode());
        }
        byte[] rcp = new T30Frame(Fcf.RCP, false, false, new byte[0]).encode();
        for (int i = 0; i < 3; i++) hdlc.add(rcp);
        link.sendImageFrames(modem, false, hdlc, now);
        enter(State.T_SEND_PAGE, now, Long.MAX_VALUE);
        awaitTx(() -> {
            boolean lastBlock = blockStart + n >= pageFrames.size();
            boolean lastPage = pageIndex == pages.count() - 1;
            int fcf2 = !lastBlock ? 0 : (lastPage ? Fcf.EOP.code() : Fcf.MPS.code()) | 0x80;
            lastPps = frame(Fcf.PPS, new byte[] {(byte) fcf2, (byte) T30Frame.reverseBits(pageIndex), (byte) T30Frame.reverseBits(blockIndex),
                    (byte) T30Frame.reverseBits(n - 1)});
            tries = 0;
            sendFrames(List.of(lastPps), lastTxEnd);
            enter(State.T_WAIT_PPS_RESPONSE, lastTxEnd, Long.MAX_VALUE);
            awaitTx(() -> deadline = lastTxEnd + T4_MS);
        });
    }

    private void ppsResponse(T30Frame last, long now) {
        switch (last.fcf()) {
            case MCF -> {
                pprCount = 0;
                int n = blockLength();
                if (blockStart + n < pageFrames.size()) {
                    blockStart += n;
                    blockIndex++;
                    sendBlock(now, null);
                    return;
                }
                pagesDone++;
                events.accept(new FaxEvent.Page(pagesDone, null));
                pageIndex++;
                if (pageIndex >= pages.count()) {
                    enter(State.DISCONNECT, now, Long.MAX_VALUE);
                    sendFrames(List.of(frame(Fcf.DCN, new byte[0])), now);
                    awaitTx(() -> finish(FaxResult.OK));
                } else {
                    startEcmPage(now);
                }
            }
            case PPR -> {
                byte[] map = last.fif();
                java.util.BitSet missing = new java.util.BitSet();
                for (int i = 0; i < blockLength() && i / 8 < map.length; i++) {
                    if ((map[i / 8] & (0x80 >>> (i % 8))) != 0) missing.set(i);
                }
                if (missing.isEmpty()) missing.set(0, blockLength());
                pprTotal++;
                if (++pprCount >= 4 * MAX_TRIES) {
                    disconnect(FaxResult.PAGE_REJECTED, now);
                    return;
                }
                if (pprCount % 4 == 0) {
                    // T.30 A.4: after four PPRs for a block, continue to correct (CTC), one rate lower if
                    // there is one; the frames go again after the receiver's CTR.
                    Modem next = modem.fallback(remoteDis.modems());
                    if (next != null) {
                        modem = next;
                        dcs = withModem(dcs, next);
                    }
                    pendingResend = missing;
                    byte[] dcsBits = dcs.encode();
                    tries = 0;
                    sendFrames(List.of(frame(Fcf.CTC, new byte[] {dcsBits[0], dcsBits[1]})), now);
                    deadline = Long.MAX_VALUE;
                    awaitTx(() -> deadline = lastTxEnd + T4_MS);
                    return;
                }
                sendBlock(now, missing);
            }
            case CTR -> {
                if (pendingResend != null) {
                    java.util.BitSet again = pendingResend;
                    pendingResend = null;
                    sendBlock(now, again);
                }
            }
            case RNR -> {
                // The receiver is busy: ask again until it is ready (T.30 RR procedure).
                if (++tries >= 10 * MAX_TRIES) {
                    disconnect(FaxResult.NO_RESPONSE, now);
                    return;
                }
                sendFrames(List.of(frame(Fcf.RR, new byte[0])), now);
                deadline = Long.MAX_VALUE;
                awaitTx(() -> deadline = lastTxEnd + T4_MS);
            }
            default -> {
                // wait for a response we understand; T4 still runs
            }
        }
    }

    // ------------------------------------------------------------------ receiver

    private List<T30Frame> disFrames() {
        boolean ecm = options.ecm();
        Dis dis = new Dis(true, EnumSet.allOf(Modem.Family.class), true, true, options.codings().contains(Compression.MR),
                ecm && options.codings().contains(Compression.MMR), ecm, 1, 1, 0, false, true, true, false);
        return List.of(frame(Fcf.CSI, Identity.encode(options.ident())), frame(Fcf.DIS, dis.encode()));
    }

    private void receiverFrames(List<T30Frame> frames, long now) {
        T30Frame last = frames.get(frames.size() - 1);
        if (last.fcf() == Fcf.DCN) {
            boolean complete = state == State.DISCONNECT || (state == State.R_WAIT_PMC && result == FaxResult.OK);
            finish(complete ? FaxResult.OK : FaxResult.REMOTE_DISCONNECTED);
            return;
        }
        if (last.fcf() == Fcf.CRP) {
            resend(now);
            return;
        }
        if (last.fcf() == Fcf.DCS) {
            for (T30Frame f : frames) {
                if (f.fcf() == Fcf.TSI) remoteIdent = Identity.decode(f.fif());
                if (f.fcf() == Fcf.SUB) remoteSub = Identity.decode(f.fif());
                if (f.fcf() == Fcf.SID) remoteSid = Identity.decode(f.fif());
            }
            try {
                dcs = Dcs.parse(last.fif());
            } catch (T30FormatException e) {
                sendFrames(List.of(frame(Fcf.FTT, new byte[0])), now);
                return;
            }
            modem = dcs.modem();
            image.reset();
            pageData = false;
            enter(State.R_TCF, now, T2_MS);
            return;
        }
        if (state == State.R_ECM || (state == State.DISCONNECT && dcs != null && dcs.ecm())) {
            ecmFrames(frames, now);
            return;
        }
        if (state == State.R_WAIT_PMC || state == State.R_PAGE) {
            switch (last.fcf()) {
                case MPS, EOP, EOM -> postMessage(last.fcf(), now);
                default -> {
                    // not a post-message command: keep waiting
                }
            }
        } else if (state == State.DISCONNECT && (last.fcf() == Fcf.EOP || last.fcf() == Fcf.MPS)) {
            // Our MCF was lost: repeat it.
            resend(now);
        }
    }

    private void ecmFrames(List<T30Frame> frames, long now) {
        for (T30Frame f : frames) {
            switch (f.fcf()) {
                case FCD -> {
                    byte[] fif = f.fif();
                    if (fif.length < 2) continue;
                    int n = T30Frame.reverseBits(fif[0]);
                    blockFrames.put(n, java.util.Arrays.copyOfRange(fif, 1, fif.length));
                    deadline = now + PAGE_TIMEOUT_MS;
                }
                case PPS -> pps(f, now);
                case CTC -> sendFrames(List.of(frame(Fcf.CTR, new byte[0])), now);
                case EOR -> sendFrames(List.of(frame(Fcf.ERR, new byte[0])), now);
                case RR -> sendFrames(List.of(frame(Fcf.MCF, new byte[0])), now);
                default -> {
                    // RCP and others: nothing to do
                }
            }
        }
    }

    private void pps(T30Frame f, long now) {
        byte[] fif = f.fif();
        if (fif.length < 4) {
            sendFrames(List.of(frame(Fcf.CRP, new byte[0])), now);
            return;
        }
        int fcf2 = fif[0] & 0x7f;
        int page = T30Frame.reverseBits(fif[1]);
        int block = T30Frame.reverseBits(fif[2]);
        int count = T30Frame.reverseBits(fif[3]) + 1;
        if (page == acceptedPage && block == acceptedBlock && blockFrames.isEmpty()) {
            // A repeat of the PPS we already confirmed: our MCF was lost.
            sendFrames(List.of(frame(Fcf.MCF, new byte[0])), now);
            return;
        }
        byte[] map = new byte[32];
        boolean complete = true;
        for (int i = 0; i < count; i++) {
            if (!blockFrames.containsKey(i)) {
                map[i / 8] |= (byte) (0x80 >>> (i % 8));
                complete = false;
            }
        }
        if (!complete) {
            sendFrames(List.of(frame(Fcf.PPR, map)), now);
            deadline = now + T2_MS + PAGE_TIMEOUT_MS;
            return;
        }
        for (int i = 0; i < count; i++) ecmPage.writeBytes(blockFrames.get(i));
        blockFrames.clear();
        acceptedPage = page;
        acceptedBlock = block;
        if (fcf2 == 0) {
            sendFrames(List.of(frame(Fcf.MCF, new byte[0])), now);
            deadline = now + T2_MS + PAGE_TIMEOUT_MS;
            return;
        }
        CodecOptions opts = switch (dcs.compression()) {
            case MMR -> CodecOptions.mmr();
            case MR -> CodecOptions.mr(4);
            default -> CodecOptions.mh();
        };
        DecodeResult decoded;
        try {
            decoded = T4Decoder.decode(ecmPage.toByteArray(), dcs.widthPels(), 204, dcs.resolution().yDpi(), opts, 0);
        } catch (FaxCodecException e) {
            disconnect(FaxResult.PAGE_UNREADABLE, now);
            return;
        }
        ecmPage.reset();
        pagesDone++;
        events.accept(new FaxEvent.Page(pagesDone, decoded));
        sendFrames(List.of(frame(Fcf.MCF, new byte[0])), now);
        Fcf command = Fcf.of(fcf2);
        if (command == Fcf.MPS) {
            enter(State.R_ECM, now, T2_MS + PAGE_TIMEOUT_MS);
        } else if (command == Fcf.EOM) {
            enter(State.R_WAIT_DCS, now, T1_MS);
        } else {
            result = FaxResult.OK;
            enter(State.DISCONNECT, now, T2_MS);
        }
    }

    private void tcfEnded(long now) {
        byte[] tcf = image.toByteArray();
        image.reset();
        int run = 0;
        int best = 0;
        for (byte b : tcf) {
            run = b == 0 ? run + 1 : 0;
            best = Math.max(best, run);
        }
        // A zero run of at least 1 s at the negotiated rate, as spandsp requires.
        boolean ok = best >= modem.bitRate() / 8;
        if (ok) {
            pageData = false;
            sendFrames(List.of(frame(Fcf.CFR, new byte[0])), now);
            events.accept(new FaxEvent.Negotiated(dcs, remoteIdent, remoteSub, remoteSid));
            if (dcs.ecm()) {
                blockFrames.clear();
                ecmPage.reset();
                enter(State.R_ECM, now, T2_MS + PAGE_TIMEOUT_MS);
            } else {
                enter(State.R_PAGE, now, T2_MS + PAGE_TIMEOUT_MS);
            }
        } else {
            sendFrames(List.of(frame(Fcf.FTT, new byte[0])), now);
            enter(State.R_WAIT_DCS, now, T1_MS);
            stateStarted = now;
        }
    }

    private DecodeResult lastPage;
    private boolean pageData;

    private void pageEnded(long now) {
        byte[] data = image.toByteArray();
        image.reset();
        CodecOptions opts = dcs.compression() == Compression.MR ? CodecOptions.mr(4) : CodecOptions.mh();
        try {
            lastPage = T4Decoder.decode(data, dcs.widthPels(), 204, dcs.resolution().yDpi(), opts, 0);
            pageOk = lastPage.page().height() > 0 && lastPage.badLineCount() <= MAX_BAD_LINES;
        } catch (FaxCodecException e) {
            lastPage = null;
            pageOk = false;
        }
        enter(State.R_WAIT_PMC, now, T2_MS);
    }

    private void postMessage(Fcf command, long now) {
        if (!pageData && lastPage == null && pagesDone > 0) {
            // The same command again, with no page in between: our MCF was lost. Repeat it.
            resend(now);
            return;
        }
        if (state == State.R_PAGE) {
            // The page carrier's end was lost; judge what arrived.
            pageEnded(now);
        }
        pageData = false;
        if (pageOk && lastPage != null) {
            pagesDone++;
            events.accept(new FaxEvent.Page(pagesDone, lastPage));
            lastPage = null;
            pageOk = false;
            sendFrames(List.of(frame(Fcf.MCF, new byte[0])), now);
            switch (command) {
                case MPS -> enter(State.R_PAGE, now, T2_MS + PAGE_TIMEOUT_MS);
                case EOM -> enter(State.R_WAIT_DCS, now, T1_MS);
                default -> {
                    result = FaxResult.OK;
                    enter(State.DISCONNECT, now, T2_MS);
                }
            }
        } else {
            sendFrames(List.of(frame(Fcf.RTN, new byte[0])), now);
            enter(State.R_WAIT_DCS, now, T1_MS);
        }
    }

    // ------------------------------------------------------------------ shared

    private T30Frame frame(Fcf fcf, byte[] fif) {
        return T30Frame.of(fcf, sending, fif);
    }

    static final boolean TRACE = Boolean.getBoolean("faxlan.t30.trace");

    private void trace(String what, Object detail, long now) {
        if (TRACE) System.err.printf("%8d %s %-8s %s %s%n", now, sending ? "TX" : "RX", state, what, detail);
    }

    private void sendFrames(List<T30Frame> frames, long now) {
        trace("send", frames, now);
        List<byte[]> encoded = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            T30Frame f = frames.get(i);
            encoded.add(new T30Frame(f.fcf(), f.xBit(), i == frames.size() - 1, f.fif()).encode());
        }
        lastSent = frames;
        link.sendHdlc(encoded, now);
    }

    private void resend(long now) {
        if (!lastSent.isEmpty()) {
            List<T30Frame> again = lastSent;
            sendFrames(again, now);
        }
    }
}
