package dev.faxlan.engine.fax;

import dev.faxlan.engine.t30.T30Frame;
import java.util.HexFormat;
import java.util.List;

/** {@link FaxSessionObserver#logging}: a T.30 trace through the JDK's platform logging, which applications route where they like. */
final class LoggingObserver implements FaxSessionObserver {
    private static final System.Logger log = System.getLogger(FaxSession.class.getName());
    private final String call;

    LoggingObserver(String call) {
        this.call = call;
    }

    @Override
    public void frames(Direction direction, T30State state, List<T30Frame> frames, long now) {
        if (!log.isLoggable(System.Logger.Level.TRACE)) return;
        Object detail = frames.size() > 6 ? frames.size() + " frames, last " + frames.get(frames.size() - 1) : frames;
        log.log(System.Logger.Level.TRACE, "{0} at {1} ms in {2}: {3} {4}", call, now, state, direction, detail);
    }

    @Override
    public void unexpectedFrame(T30State state, T30Frame frame, long now) {
        log.log(System.Logger.Level.DEBUG, "{0} at {1} ms: ignored {2}, not expected in state {3}", call, now, frame, state);
    }

    @Override
    public void repeatIgnored(T30State state, List<T30Frame> frames, long now) {
        log.log(System.Logger.Level.DEBUG, "{0} at {1} ms: ignored {2} in state {3}, a repeat heard while still answering it", call, now, frames, state);
    }

    @Override
    public void malformedFrame(T30State state, byte[] frame, String reason, long now) {
        log.log(System.Logger.Level.DEBUG, "{0} at {1} ms: ignored a malformed frame in state {2} ({3}): {4}", call, now, state, reason,
                HexFormat.of().formatHex(frame));
    }
}
