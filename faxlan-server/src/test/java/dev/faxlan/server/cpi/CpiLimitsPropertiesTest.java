package dev.faxlan.server.cpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class CpiLimitsPropertiesTest {
    @Test
    void theCpiKeysOfAConfigFileSetTheLimits() {
        Properties p = new Properties();
        p.setProperty("cpi.max.connections", "200");
        p.setProperty("cpi.max.connections.per.address", "8");
        p.setProperty("cpi.preauth.memory.bytes", "33554432");
        p.setProperty("cpi.frame.deadline.seconds", "30");
        p.setProperty("cpi.max.subscriptions.per.user", "4");
        CpiLimits l = CpiLimits.fromProperties(p);
        assertThat(l.maxConnections()).isEqualTo(200);
        assertThat(l.maxConnectionsPerAddress()).isEqualTo(8);
        assertThat(l.preAuthServerBytes()).isEqualTo(32L << 20);
        assertThat(l.frameDeadline()).isEqualTo(Duration.ofSeconds(30));
        assertThat(l.subscriptionsPerUser()).isEqualTo(4);
        assertThat(CpiLimits.fromProperties(new Properties())).isEqualTo(CpiLimits.defaults());
    }

    @Test
    void theServerWidePoolIsAnEighthOfTheHeapAt64MiBMost() {
        assertThat(CpiLimits.defaults().preAuthServerBytes()).isEqualTo(Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 8));
    }

    @Test
    void badValuesAreRefusedWithTheKeyNamed() {
        Properties p = new Properties();
        p.setProperty("cpi.max.connections", "many");
        assertThatThrownBy(() -> CpiLimits.fromProperties(p)).isInstanceOf(IllegalArgumentException.class).hasMessage("cpi.max.connections must be a whole number, not \"many\"");
        p.setProperty("cpi.max.connections", "0");
        assertThatThrownBy(() -> CpiLimits.fromProperties(p)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }
}
