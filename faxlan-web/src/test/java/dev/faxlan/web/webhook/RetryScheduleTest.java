package dev.faxlan.web.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {
    final RetrySchedule schedule = new RetrySchedule(Duration.ofSeconds(10), Duration.ofHours(24));

    @Test
    void waitsDoubleFromTheFirstUpToAnHourEachInTheUpperHalf() {
        long[] full = {10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600};
        for (int failed = 1; failed <= full.length; failed++) {
            long f = full[failed - 1] * 1000;
            Duration low = schedule.waitAfter(failed, new FixedRandom(0));
            Duration high = schedule.waitAfter(failed, new FixedRandom(Long.MAX_VALUE));
            assertThat(low.toMillis()).as("after %d failed, the least", failed).isEqualTo(f - f / 2);
            assertThat(high.toMillis()).as("after %d failed, the most", failed).isEqualTo(f);
        }
        assertThat(schedule.waitAfter(10_000, new FixedRandom(Long.MAX_VALUE))).isEqualTo(RetrySchedule.MAX_WAIT);
    }

    @Test
    void theJitterSpreadsWebhooksThatFailedTogether() {
        Random random = new Random(42);
        Set<Duration> waits = new HashSet<>();
        for (int i = 0; i < 50; i++) waits.add(schedule.waitAfter(3, random));
        assertThat(waits).hasSizeGreaterThan(40);
    }

    @Property
    void everyWaitIsBetweenHalfAndAllOfTheDoubledWait(@ForAll @IntRange(min = 1, max = 100) int failed, @ForAll @LongRange(min = 1, max = 3600) long firstSeconds,
            @ForAll long seed) {
        RetrySchedule s = new RetrySchedule(Duration.ofSeconds(firstSeconds), Duration.ofHours(24));
        Duration wait = s.waitAfter(failed, new Random(seed));
        double full = Math.min(firstSeconds * Math.pow(2, failed - 1), 3600) * 1000;
        assertThat((double) wait.toMillis()).isBetween(Math.floor(full / 2), full);
    }

    @Test
    void anEventIsGivenUpOnlyOnceItsRetryTimeIsOver() {
        Instant first = Instant.parse("2026-12-07T02:00:00Z");
        assertThat(schedule.givesUp(first, first.plus(Duration.ofHours(24)).minusMillis(1))).isFalse();
        assertThat(schedule.givesUp(first, first.plus(Duration.ofHours(24)))).isTrue();
        assertThat(schedule.givesUp(first, first)).isFalse();
    }

    /** Over a day of failures the schedule makes a few dozen attempts, not thousands, and its last wait is the hour. */
    @Test
    void aDayOfFailuresIsAFewDozenAttempts() {
        Instant first = Instant.parse("2026-12-07T02:00:00Z");
        Instant now = first;
        int attempts = 1;
        Random random = new Random(7);
        while (!schedule.givesUp(first, now)) {
            now = now.plus(schedule.waitAfter(attempts, random));
            attempts++;
        }
        assertThat(attempts).isBetween(20, 60);
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> schedule.waitAfter(0, new Random())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetrySchedule(Duration.ZERO, Duration.ofHours(1))).isInstanceOf(IllegalArgumentException.class);
    }

    /** A random source that always gives the same bound-clamped value: the least or the most of a range. */
    static final class FixedRandom extends Random {
        private final long value;

        FixedRandom(long value) {
            this.value = value;
        }

        @Override
        public long nextLong(long bound) {
            return Math.min(value, bound - 1);
        }
    }
}
