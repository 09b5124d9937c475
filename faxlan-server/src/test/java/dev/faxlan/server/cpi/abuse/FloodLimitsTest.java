package dev.faxlan.server.cpi.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FloodLimitsTest {
    @Test
    void theBurstsOfRetriesAndNewConnectionsFollowTheConnectionsOneAddressMayHold() {
        FloodLimits relayed = FloodLimits.DEFAULTS.withPerSourceBurst(1024);
        assertThat(relayed.retriesPerSourceBurst()).isEqualTo(1024);
        assertThat(relayed.newConnectionsPerSourceBurst()).isEqualTo(1024);
        assertThat(relayed.discoveryPerSourceBurst()).isEqualTo(FloodLimits.DEFAULTS.discoveryPerSourceBurst());
        assertThat(relayed.newConnectionsPerSourcePerSecond()).isEqualTo(FloodLimits.DEFAULTS.newConnectionsPerSourcePerSecond());
    }

    @Test
    void refusesLimitsThatCannotWork() {
        assertThatThrownBy(() -> FloodLimits.DEFAULTS.withMaxHalfOpen(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FloodLimits.DEFAULTS.withHandshakeDeadline(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SourceRateLimiter(0, 1, 10, java.time.Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class);
    }
}
