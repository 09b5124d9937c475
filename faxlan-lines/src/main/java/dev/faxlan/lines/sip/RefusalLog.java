package dev.faxlan.lines.sip;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Decides which refusals of untrusted requests get a log line: the first from a source, then at
 * most one per source per interval, carrying how many went unlogged in between; and, against a
 * flood from many (forged) addresses, at most {@code maxLines} lines per interval in all. A flood
 * therefore costs a bounded number of lines, not one per packet.
 */
final class RefusalLog {
    static final long INTERVAL_MS = 60_000;
    /** Sources remembered at once; past this the table starts over. */
    static final int MAX_SOURCES = 4096;
    /** Lines per interval for all sources together. */
    static final int MAX_LINES = 20;

    /** A refusal to log: how many from the same source, and from any other source, were not logged before it. */
    record Report(long unloggedFromSource, long unloggedElsewhere) {}

    private final long intervalMs;
    private final int maxSources;
    private final int maxLines;
    private final Map<InetAddress, long[]> sources = new HashMap<>(); // {last logged at, refusals since}
    private long windowStart = Long.MIN_VALUE;
    private int linesInWindow;
    private long unloggedElsewhere;
    private long total;

    RefusalLog() {
        this(INTERVAL_MS, MAX_SOURCES, MAX_LINES);
    }

    RefusalLog(long intervalMs, int maxSources, int maxLines) {
        this.intervalMs = intervalMs;
        this.maxSources = maxSources;
        this.maxLines = maxLines;
    }

    /** Counts one refusal from {@code source} at {@code nowMs}; returns what to log, or null for nothing. */
    synchronized Report refused(InetAddress source, long nowMs) {
        total++;
        if (windowStart == Long.MIN_VALUE || nowMs - windowStart >= intervalMs) {
            windowStart = nowMs;
            linesInWindow = 0;
        }
        long[] s = sources.get(source);
        boolean due = s == null || nowMs - s[0] >= intervalMs;
        if (!due || linesInWindow >= maxLines) {
            if (s != null) s[1]++;
            else unloggedElsewhere++;
            return null;
        }
        if (s == null) {
            if (sources.size() >= maxSources) sources.clear();
            s = new long[] {nowMs, 0};
            sources.put(source, s);
        }
        Report r = new Report(s[1], unloggedElsewhere);
        s[0] = nowMs;
        s[1] = 0;
        unloggedElsewhere = 0;
        linesInWindow++;
        return r;
    }

    /** Every refusal counted, logged or not. */
    synchronized long total() {
        return total;
    }
}
