package dev.faxlan.server.cpi.abuse;

import java.net.InetAddress;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per source ({@link SourceKey}: IPv4 address or IPv6 /64), so that one sender cannot use
 * up what a server-wide limit leaves for everyone. The table is bounded: beyond {@code maxSources} the
 * source seen least recently is forgotten. A flood from random spoofed addresses therefore costs a fixed
 * amount of memory; what bounds its replies is the server-wide limit and, per victim, this one.
 */
public final class SourceRateLimiter {
    private final double perSecond;
    private final double burst;
    private final Clock clock;
    private final Map<SourceKey, TokenBucket> buckets;

    public SourceRateLimiter(double perSecond, double burst, int maxSources, Clock clock) {
        if (maxSources < 1) throw new IllegalArgumentException("maxSources must be at least 1");
        this.perSecond = perSecond;
        this.burst = burst;
        this.clock = clock;
        this.buckets = new LinkedHashMap<>(Math.min(maxSources, 1024) * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<SourceKey, TokenBucket> eldest) {
                return size() > maxSources;
            }
        };
        new TokenBucket(perSecond, burst, 0); // validates the rate and burst now rather than on the first packet
    }

    /** Takes one of {@code source}'s tokens if it has one left. */
    public synchronized boolean tryAcquire(InetAddress source) {
        long now = clock.millis();
        return buckets.computeIfAbsent(SourceKey.of(source), k -> new TokenBucket(perSecond, burst, now)).tryTake(now);
    }

    /** Sources tracked now (at most {@code maxSources}). */
    public synchronized int trackedSources() {
        return buckets.size();
    }
}
