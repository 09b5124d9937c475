package dev.faxlan.web.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * When a failed delivery is tried again: waits that double from {@code first} up to {@link #MAX_WAIT},
 * each with jitter, until {@code retryFor} has passed since the event's first attempt; then it is given up.
 * The jitter spreads the retries of many webhooks that failed together (a receiver that was down) so they
 * do not all come back at the same second.
 */
public record RetrySchedule(Duration first, Duration retryFor) {
    /** The longest wait between two attempts, so a receiver that is back is reached within the hour. */
    public static final Duration MAX_WAIT = Duration.ofHours(1);

    public RetrySchedule {
        if (first.isNegative() || first.isZero()) throw new IllegalArgumentException("the first retry wait must be positive, not " + first);
    }

    /**
     * The wait after the {@code failed}-th failed attempt (1 for the first): the doubled wait's upper half
     * at random, so never less than half of it ("equal jitter").
     */
    public Duration waitAfter(int failed, RandomGenerator random) {
        if (failed < 1) throw new IllegalArgumentException("attempts failed must be at least 1, not " + failed);
        long firstMs = first.toMillis();
        long maxMs = Math.max(MAX_WAIT.toMillis(), firstMs);
        int doublings = Math.min(failed - 1, 40);
        long full = firstMs > (maxMs >> doublings) ? maxMs : firstMs << doublings;
        long half = full / 2;
        return Duration.ofMillis(full - half + random.nextLong(half + 1));
    }

    /** Whether an event first tried at {@code firstAttempt} and failing again at {@code now} is given up. */
    public boolean givesUp(Instant firstAttempt, Instant now) {
        return !now.isBefore(firstAttempt.plus(retryFor));
    }
}
