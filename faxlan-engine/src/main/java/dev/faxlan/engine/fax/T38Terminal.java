package dev.faxlan.engine.fax;

import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t38.Ifp;
import java.util.List;
import java.util.function.Consumer;

/**
 * A T.38 fax terminal: a {@link FaxSession} on a {@link T38FrontEnd}, as spandsp's
 * {@code t38_terminal} joins {@code t30} to {@code t38_core}. IFPs from the peer go in through
 * {@link #receive}, time through {@link #poll}, which hands out the IFPs due for sending. No I/O, no
 * clock of its own; not thread-safe (a {@link CallScheduler} drives it from one thread).
 */
public final class T38Terminal {
    private final FaxSession session;
    private final T38FrontEnd frontEnd;

    private T38Terminal(FaxSession session, T38FrontEnd frontEnd) {
        this.session = session;
        this.frontEnd = frontEnd;
    }

    /** A terminal that sends {@code pages} as the calling terminal (see {@link FaxSession#send}). */
    public static T38Terminal send(OutgoingPages pages, FaxOptions options, Consumer<FaxEvent> events, FaxSessionObserver observer, long now) {
        T38FrontEnd frontEnd = new T38FrontEnd();
        return new T38Terminal(FaxSession.send(pages, options, events, frontEnd, observer, now), frontEnd);
    }

    public static T38Terminal send(OutgoingPages pages, FaxOptions options, Consumer<FaxEvent> events, long now) {
        return send(pages, options, events, FaxSessionObserver.NONE, now);
    }

    public static T38Terminal send(List<BilevelPage> pages, FaxOptions options, Consumer<FaxEvent> events, long now) {
        return send(OutgoingPages.of(pages), options, events, FaxSessionObserver.NONE, now);
    }

    /** A terminal that answers and receives as the called terminal. */
    public static T38Terminal receive(FaxOptions options, Consumer<FaxEvent> events, FaxSessionObserver observer, long now) {
        T38FrontEnd frontEnd = new T38FrontEnd();
        return new T38Terminal(FaxSession.receive(options, events, frontEnd, observer, now), frontEnd);
    }

    /** A terminal that answers holding {@code held} for polling (see {@link FaxSession#receive(FaxOptions, PolledDocument, Consumer, FaxFrontEnd, FaxSessionObserver, long)}). */
    public static T38Terminal receive(FaxOptions options, PolledDocument held, Consumer<FaxEvent> events, FaxSessionObserver observer, long now) {
        T38FrontEnd frontEnd = new T38FrontEnd();
        return new T38Terminal(FaxSession.receive(options, held, events, frontEnd, observer, now), frontEnd);
    }

    /** A terminal that calls to poll and receives the polled document (see {@link FaxSession#poll}). */
    public static T38Terminal poll(PollRequest request, FaxOptions options, Consumer<FaxEvent> events, FaxSessionObserver observer, long now) {
        T38FrontEnd frontEnd = new T38FrontEnd();
        return new T38Terminal(FaxSession.poll(request, options, events, frontEnd, observer, now), frontEnd);
    }

    public static T38Terminal receive(FaxOptions options, Consumer<FaxEvent> events, long now) {
        return receive(options, events, FaxSessionObserver.NONE, now);
    }

    /** Feeds one IFP from the peer. */
    public void receive(Ifp ifp, long now) {
        if (session.state() == T30State.CALL_FINISHED) return;
        frontEnd.receive(ifp, now);
    }

    /** Tells the terminal that {@code count} IFPs from the peer were lost for good. */
    public void lost(int count) {
        frontEnd.lost(count);
    }

    /** Runs the T.30 timers and returns the IFPs to send now. */
    public List<Ifp> poll(long now) {
        List<Ifp> out = frontEnd.poll(now);
        session.runTimers(now);
        out.addAll(frontEnd.poll(now));
        return out;
    }

    /** The earliest time {@link #poll} has work: next IFP due or next timer. */
    public long nextWakeup() {
        return Math.min(frontEnd.nextTxTime(), session.nextTimer());
    }

    public boolean done() {
        return session.done();
    }

    /** The outcome once {@link #done()}; null before. */
    public FaxResult result() {
        return session.result();
    }

    /** Partial page requests answered so far (ECM sending). */
    public int pprRounds() {
        return session.pprRounds();
    }

    public int pagesTransferred() {
        return session.pagesTransferred();
    }

    /** Ends the call at once, as a local hang-up. */
    public void cancel(long now) {
        session.cancel(now);
    }

    public FaxSession session() {
        return session;
    }

    T30State state() {
        return session.state();
    }
}
