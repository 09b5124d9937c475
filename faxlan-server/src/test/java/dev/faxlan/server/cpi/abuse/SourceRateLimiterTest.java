package dev.faxlan.server.cpi.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.server.MutableClock;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class SourceRateLimiterTest {
    private final MutableClock clock = new MutableClock();

    @Test
    void eachSourceHasItsBurstThenItsRate() throws Exception {
        SourceRateLimiter limiter = new SourceRateLimiter(2, 4, 100, clock);
        InetAddress a = InetAddress.getByName("192.0.2.1");
        for (int i = 0; i < 4; i++) assertThat(limiter.tryAcquire(a)).isTrue();
        assertThat(limiter.tryAcquire(a)).isFalse();
        assertThat(limiter.tryAcquire(InetAddress.getByName("192.0.2.2"))).isTrue();
        clock.advanceMillis(500);
        assertThat(limiter.tryAcquire(a)).isTrue();
        assertThat(limiter.tryAcquire(a)).isFalse();
    }

    @Test
    void anIpv6Slash64IsOneSourceAndAMappedIpv4AddressIsItsIpv4Address() throws Exception {
        assertThat(SourceKey.of(InetAddress.getByName("fd00:1:2:3::1"))).isEqualTo(SourceKey.of(InetAddress.getByName("fd00:1:2:3:ffff::9")));
        assertThat(SourceKey.of(InetAddress.getByName("fd00:1:2:3::1"))).isNotEqualTo(SourceKey.of(InetAddress.getByName("fd00:1:2:4::1")));
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = (byte) 192;
        mapped[15] = 7;
        assertThat(SourceKey.of(InetAddress.getByAddress(mapped))).isEqualTo(SourceKey.of(InetAddress.getByName("192.0.0.7")));
        assertThat(SourceKey.of(InetAddress.getByName("fd00:1:2:3::1"))).hasToString("fd00:1:2:3::/64");
        assertThat(SourceKey.of(InetAddress.getByName("10.1.2.3"))).hasToString("10.1.2.3");
        // On a link every host is in fe80::/64: link-local addresses count one by one.
        assertThat(SourceKey.of(InetAddress.getByName("fe80::1:2:3:4"))).isNotEqualTo(SourceKey.of(InetAddress.getByName("fe80::1:2:3:5")))
                .hasToString("fe80::1:2:3:4");
        assertThat(SourceKey.of(InetAddress.getByName("fe80::1:2:3:4%1"))).isEqualTo(SourceKey.of(InetAddress.getByName("fe80::1:2:3:4")));
    }

    @Test
    void theTableIsBoundedWhateverTheNumberOfSpoofedSources() throws Exception {
        SourceRateLimiter limiter = new SourceRateLimiter(1, 1, 1000, clock);
        byte[] b = new byte[4];
        for (int i = 0; i < 100_000; i++) {
            b[0] = 10;
            b[1] = (byte) (i >> 16);
            b[2] = (byte) (i >> 8);
            b[3] = (byte) i;
            limiter.tryAcquire(InetAddress.getByAddress(b));
        }
        assertThat(limiter.trackedSources()).isEqualTo(1000);
    }
}
