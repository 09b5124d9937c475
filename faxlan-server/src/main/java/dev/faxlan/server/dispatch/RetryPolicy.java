package dev.faxlan.server.dispatch;

import dev.faxlan.lines.CallOutcome;
import java.time.Duration;
import java.util.Optional;

/**
 * When a failed transmission is tried again: only retryable outcomes, at most {@code maxTries}
 * attempts, each wait twice the previous one (from {@code firstDelay}, at most {@code maxDelay}), and
 * never after {@code killAfter} from the job's creation.
 */
public record RetryPolicy(int maxTries, Duration firstDelay, Duration maxDelay, Duration killAfter) {
    /** Three tries, 2 then 4 minutes apart, given up a day after submission. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMinutes(2), Duration.ofMinutes(30), Duration.ofDays(1));

    public RetryPolicy {
        if (maxTries < 1) throw new IllegalArgumentException("maxTries must be at least 1, not " + maxTries);
        if (firstDelay.compareTo(Duration.ofSeconds(1)) < 0 || firstDelay.compareTo(maxDelay) > 0) {
            throw new IllegalArgumentException("jobs.retry-first-seconds must be 1 to " + maxDelay.toSeconds() + ", not " + firstDelay.toSeconds());
        }
    }

    /** This policy with the first wait {@code firstDelay} ({@code jobs.retry-first-seconds}), the later ones doubling from it. */
    public RetryPolicy withFirstDelay(Duration firstDelay) {
        return new RetryPolicy(maxTries, firstDelay, maxDelay, killAfter);
    }

    /**
     * The time of the next attempt after {@code attempts} attempts ended with {@code outcome}, or empty
     * when the job should fail now.
     */
    public Optional<Long> nextAttempt(CallOutcome outcome, int attempts, long now, long created) {
        if (!outcome.retryable() || attempts >= maxTries) return Optional.empty();
        long delay = firstDelay.toMillis() << Math.min(20, attempts - 1);
        delay = Math.min(delay, maxDelay.toMillis());
        long next = now + delay;
        if (next > created + killAfter.toMillis()) return Optional.empty();
        return Optional.of(next);
    }
}
