package dev.faxlan.server.cpi.abuse;

/**
 * A token bucket: {@code burst} tokens at most, refilled at {@code perSecond}. Time is passed in (ms), so
 * tests need no real clock. Not thread-safe; its owner serialises calls.
 */
public final class TokenBucket {
    private final double perSecond;
    private final double burst;
    private double tokens;
    private long lastMillis;

    public TokenBucket(double perSecond, double burst, long nowMillis) {
        if (perSecond <= 0 || burst < 1) throw new IllegalArgumentException("a token bucket needs a positive rate and a burst of at least 1");
        this.perSecond = perSecond;
        this.burst = burst;
        this.tokens = burst;
        this.lastMillis = nowMillis;
    }

    /** True when a token is there now, without taking it. */
    public boolean available(long nowMillis) {
        refill(nowMillis);
        return tokens >= 1;
    }

    /** Takes a token if one is there. */
    public boolean tryTake(long nowMillis) {
        refill(nowMillis);
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }

    private void refill(long nowMillis) {
        if (nowMillis > lastMillis) {
            tokens = Math.min(burst, tokens + (nowMillis - lastMillis) * perSecond / 1000.0);
            lastMillis = nowMillis;
        }
    }
}
