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
        long now = clock.getAsLong();
        long suppressed;
        boolean first;
        synchronized (this) {
            if (seen.size() > 1000) seen.clear(); // keys are few (kinds of failure); never grow without bound
            long[] s = seen.get(key);
            first = s == null;
            if (s != null && now - s[0] < intervalMillis) {
                s[1]++;
                return false;
            }
            suppressed = s == null ? 0 : s[1];
            seen.put(key, new long[] {now, 0});
        }
        String more = suppressed > 0 ? " (" + suppressed + " more like it in the last " + (intervalMillis / 1000) + " s)" : "";
        if (first && e != null) log.error(message + more, e);
        else log.error(message + more + (e == null ? "" : ": " + e));
        return true;
    }
}
