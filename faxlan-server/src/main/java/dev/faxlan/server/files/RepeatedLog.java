package dev.faxlan.server.files;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs a recurring problem once per interval and key, with how often it happened meanwhile, so a
 * full disk or a failing database writes a few lines a minute instead of one per request.
 */
public final class RepeatedLog {
    private final Logger log;
    private final long intervalMillis;
    private final LongSupplier clock;
    private final Map<String, long[]> seen = new ConcurrentHashMap<>(); // key -> {last logged, suppressed since}

    public RepeatedLog(Logger log, long intervalMillis, LongSupplier clock) {
        this.log = log;
        this.intervalMillis = intervalMillis;
        this.clock = clock;
    }

    public RepeatedLog(Logger log, long intervalMillis) {
        this(log, intervalMillis, System::currentTimeMillis);
    }

    /**
     * Logs {@code message} (with the stack trace of {@code e} the first time for its key) unless the
     * key was logged within the interval; returns whether it logged.
     */
    public boolean error(String key, String message, Throwable e) {
        long[] due = due(key);
        if (due == null) return false;
        String more = more(due[0]);
        if (due[1] == 1 && e != null) log.error(message + more, e);
        else log.error(message + more + (e == null ? "" : ": " + e));
        return true;
    }

    /** Logs {@code message} as a warning, never with a stack trace, unless the key was logged within the interval. */
    public boolean warn(String key, String message) {
        long[] due = due(key);
        if (due == null) return false;
        log.warn(message + more(due[0]));
        return true;
    }

    /** Null when {@code key} was logged within the interval, else {suppressed meanwhile, 1 if never logged before}. */
    private synchronized long[] due(String key) {
        long now = clock.getAsLong();
        if (seen.size() > 1000) seen.clear(); // keys are few (kinds of failure); never grow without bound
        long[] s = seen.get(key);
        if (s != null && now - s[0] < intervalMillis) {
            s[1]++;
            return null;
        }
        seen.put(key, new long[] {now, 0});
        return new long[] {s == null ? 0 : s[1], s == null ? 1 : 0};
    }

    private String more(long suppressed) {
        return suppressed > 0 ? " (" + suppressed + " more like it in the last " + (intervalMillis / 1000) + " s)" : "";
    }
}
