package dev.faxlan.engine.fax;

import dev.faxlan.engine.t30.T30Frame;
import java.util.List;

/**
 * What a {@link FaxSession} reports besides its {@link FaxEvent}s, for logs, traces and metrics: the
 * session calls it and goes on, whatever it does. As Netty's {@code DnsQueryLifecycleObserver}: the
 * protocol code does not print.
 */
public interface FaxSessionObserver {
    /** Ignores everything. */
    FaxSessionObserver NONE = new FaxSessionObserver() {};

    /** Which way frames went. */
    enum Direction {
        SENT,
        RECEIVED
    }

    /** A burst of T.30 frames went out or came in, in {@code state}. */
    default void frames(Direction direction, T30State state, List<T30Frame> frames, long now) {}

    /** A valid frame that the session does not expect in {@code state}; it was ignored. */
    default void unexpectedFrame(T30State state, T30Frame frame, long now) {}

    /** A frame with a good FCS that is not valid T.30 ({@code reason} says why); it was ignored. */
    default void malformedFrame(T30State state, byte[] frame, String reason, long now) {}

    /**
     * The peer repeated the burst last heard while our answer to it was still being sent; it was
     * ignored, as a half-duplex modem would not have heard it.
     */
    default void repeatIgnored(T30State state, List<T30Frame> frames, long now) {}

    /** Reports through {@link System.Logger} {@code dev.faxlan.engine.fax.FaxSession}: frames at TRACE, the rest at DEBUG. */
    static FaxSessionObserver logging(String callName) {
        return new LoggingObserver(callName);
    }
}
