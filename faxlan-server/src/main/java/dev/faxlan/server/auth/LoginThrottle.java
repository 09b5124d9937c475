package dev.faxlan.server.auth;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing: after {@link #FREE_FAILURES} failures for one user name or one client
 * address, further attempts are refused for a delay that doubles with each failure (capped at
 * {@link #MAX_DELAY_MS}). A success clears the user's and the address's count.
 */
public final class LoginThrottle {
    public static final int FREE_FAILURES = 5;
    public static final long BASE_DELAY_MS = 1_000;
    public static final long MAX_DELAY_MS = 5 * 60_000;
    /** Bound on tracked keys so a flood of spoofed names cannot exhaust memory. */
    static final int MAX_KEYS = 100_000;

    private record Failures(int count, long blockedUntil) {}

    private final Clock clock;
    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Milliseconds the caller must still wait, or 0 when a login attempt is allowed now. */
    public long waitMillis(String user, String address) {
        long now = clock.millis();
        return Math.max(0, Math.max(blocked("u:" + user, now), blocked("a:" + address, now)));
    }

    public void failure(String user, String address) {
        if (failures.size() > MAX_KEYS) failures.clear();
        long now = clock.millis();
        record("u:" + user, now);
        record("a:" + address, now);
    }

    public void success(String user, String address) {
        failures.remove("u:" + user);
        failures.remove("a:" + address);
    }

    private long blocked(String key, long now) {
        Failures f = failures.get(key);
        return f == null ? 0 : f.blockedUntil() - now;
    }

    private void record(String key, long now) {
        failures.compute(key, (k, f) -> {
            int count = f == null ? 1 : f.count() + 1;
            long delay = count <= FREE_FAILURES ? 0 : Math.min(MAX_DELAY_MS, BASE_DELAY_MS << Math.min(20, count - FREE_FAILURES - 1));
            return new Failures(count, now + delay);
        });
    }
}
