package dev.faxlan.engine.audio;

import dev.faxlan.engine.fax.EndOfFax;
import dev.faxlan.engine.fax.FaxEvent;
import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.engine.fax.FaxSession;
import dev.faxlan.engine.fax.FaxSessionObserver;
import dev.faxlan.engine.fax.OutgoingPages;
import dev.faxlan.engine.fax.PollRequest;
import dev.faxlan.engine.fax.PolledDocument;
import dev.faxlan.engine.fax.T30State;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * An audio fax terminal: a {@link FaxSession} on an {@link AudioFrontEnd}, as spandsp's {@code fax.c}
 * joins {@code t30} to its modems. {@link #process} takes one block of received 8 kHz linear samples
 * and gives the block to send, so that time is the count of samples exchanged: one block out for each
 * block in, as a line clocks them. No I/O, no clock, not thread-safe.
 */
public final class AudioTerminal {
    /** Samples per block: 20 ms, an RTP packet of G.711. */
    public static final int BLOCK = 160;

    private final FaxSession session;
    private final AudioFrontEnd frontEnd;
    private long samples;

    private AudioTerminal(FaxSession session, AudioFrontEnd frontEnd) {
        this.session = session;
        this.frontEnd = frontEnd;
    }

    /** A terminal that sends {@code pages} as the calling terminal, on {@code modems}. */
    public static AudioTerminal send(OutgoingPages pages, FaxOptions options, Consumer<FaxEvent> events, FaxSessionObserver observer,
            ImageModems modems) {
        AudioFrontEnd frontEnd = new AudioFrontEnd(modems);
        return new AudioTerminal(FaxSession.send(pages, options, events, frontEnd, observer, 0), frontEnd);
    }

    public static AudioTerminal send(OutgoingPages pages, FaxOptions options, Consumer<FaxEvent> events) {
        return send(pages, options, events, FaxSessionObserver.NONE, ImageModems.faxlan());
    }

    /** A terminal that answers and receives as the called terminal, on {@code modems}. */
    public static AudioTerminal receive(FaxOptions options, Consumer<FaxEvent> events, FaxSessionObserver observer, ImageModems modems) {
        AudioFrontEnd frontEnd = new AudioFrontEnd(modems);
        return new AudioTerminal(FaxSession.receive(options, events, frontEnd, observer, 0), frontEnd);
    }

    /** A terminal that answers holding {@code held} for polling, on {@code modems}. */
    public static AudioTerminal receive(FaxOptions options, PolledDocument held, Consumer<FaxEvent> events, FaxSessionObserver observer,
            ImageModems modems) {
        AudioFrontEnd frontEnd = new AudioFrontEnd(modems);
        return new AudioTerminal(FaxSession.receive(options, held, events, frontEnd, observer, 0), frontEnd);
    }

    /** A terminal that calls to poll and receives the polled document, on {@code modems}. */
    public static AudioTerminal poll(PollRequest request, FaxOptions options, Consumer<FaxEvent> events, FaxSessionObserver observer,
            ImageModems modems) {
        AudioFrontEnd frontEnd = new AudioFrontEnd(modems);
        return new AudioTerminal(FaxSession.poll(request, options, events, frontEnd, observer, 0), frontEnd);
    }

    public static AudioTerminal receive(FaxOptions options, Consumer<FaxEvent> events) {
        return receive(options, events, FaxSessionObserver.NONE, ImageModems.faxlan());
    }

    /**
     * Calls {@code hook} at the end of the fax (see {@link EndOfFax}), on {@code executor}: the thread
     * that calls {@link #process} never waits for it. While it runs, blocks go on (silence out, the
     * peer heard, T.30 timers on the samples counted); the MCF, or the DCN, goes in the block after it
     * answered. Set it before the last page.
     */
    public void endOfFax(EndOfFax hook, Executor executor) {
        session.endOfFax(hook, executor);
    }

    /**
     * Hears {@code len} samples of {@code in} and writes as many to send into {@code out}; the T.30
     * timers run on the samples counted.
     */
    public void process(short[] in, int inOff, short[] out, int outOff, int len) {
        samples += len;
        long now = samples / AudioFrontEnd.SAMPLES_PER_MS;
        if (session.state() != T30State.CALL_FINISHED) frontEnd.receive(in, inOff, len);
        session.runTimers(now);
        frontEnd.transmit(out, outOff, len);
    }

    /** Call time so far, in milliseconds of samples exchanged. */
    public long callMs() {
        return samples / AudioFrontEnd.SAMPLES_PER_MS;
    }

    /** Whether the call is over and its last signal has left. */
    public boolean done() {
        return session.done();
    }

    /** The outcome once {@link #done()}; null before. */
    public FaxResult result() {
        return session.result();
    }

    public int pagesTransferred() {
        return session.pagesTransferred();
    }

    /** Ends the call at once, as a local hang-up. */
    public void cancel() {
        session.cancel(callMs());
    }

    public FaxSession session() {
        return session;
    }

    AudioFrontEnd frontEnd() {
        return frontEnd;
    }
}
