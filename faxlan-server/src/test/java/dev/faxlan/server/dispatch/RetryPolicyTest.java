package dev.faxlan.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.lines.CallOutcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static final long CREATED = 1_000_000;

    @Test
    void theWaitsDoubleFromTheFirstDelayUpToTheLongest() {
        RetryPolicy policy = new RetryPolicy(8, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofDays(1));
        assertThat(policy.nextAttempt(CallOutcome.BUSY, 1, CREATED, CREATED)).contains(CREATED + 5_000);
        assertThat(policy.nextAttempt(CallOutcome.BUSY, 2, CREATED, CREATED)).contains(CREATED + 10_000);
        assertThat(policy.nextAttempt(CallOutcome.BUSY, 4, CREATED, CREATED)).contains(CREATED + 30_000);
    }

    @Test
    void aShorterFirstDelayKeepsTheRestOfThePolicy() {
        RetryPolicy policy = RetryPolicy.DEFAULT.withFirstDelay(Duration.ofSeconds(2));
        assertThat(policy).isEqualTo(new RetryPolicy(RetryPolicy.DEFAULT.maxTries(), Duration.ofSeconds(2), RetryPolicy.DEFAULT.maxDelay(),
                RetryPolicy.DEFAULT.killAfter()));
        assertThat(policy.nextAttempt(CallOutcome.BUSY, 1, CREATED, CREATED)).contains(CREATED + 2_000);
        assertThat(policy.nextAttempt(CallOutcome.BUSY, RetryPolicy.DEFAULT.maxTries(), CREATED, CREATED)).isEmpty();
    }

    @Test
    void aFirstDelayUnderASecondOrPastTheLongestWaitIsRefusedWithTheKeyAndItsRange() {
        assertThatThrownBy(() -> RetryPolicy.DEFAULT.withFirstDelay(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("jobs.retry-first-seconds must be 1 to 1800, not 0");
        assertThatThrownBy(() -> RetryPolicy.DEFAULT.withFirstDelay(Duration.ofHours(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not 3600");
    }
}
