package dev.faxlan.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.server.MutableClock;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private final MutableClock clock = new MutableClock();
    private final LoginThrottle throttle = new LoginThrottle(clock);

    @Test
    void theFirstFailuresAreFree() {
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            assertThat(throttle.waitMillis("alice", "192.0.2.1")).isZero();
            throttle.failure("alice", "192.0.2.1");
        }
        assertThat(throttle.waitMillis("alice", "192.0.2.1")).isZero();
    }

    @Test
    void delayStartsAfterTheFreeFailuresAndDoubles() {
        fail("alice", "192.0.2.1", LoginThrottle.FREE_FAILURES + 1);
        assertThat(throttle.waitMillis("alice", "192.0.2.1")).isEqualTo(LoginThrottle.BASE_DELAY_MS);
        clock.advanceMillis(400);
        assertThat(throttle.waitMillis("alice", "192.0.2.1")).isEqualTo(LoginThrottle.BASE_DELAY_MS - 400);
        clock.advanceMillis(600);
        assertThat(throttle.waitMillis("alice", "192.0.2.1")).isZero();
        throttle.failure("alice", "192.0.2.1");
        assertThat(throttle.waitMillis("alice", "192.0.2.1")).isEqualTo(2 * LoginThrottle.BASE_DELAY_MS);
        clock.advanceMillis(2 * LoginThrottle.BASE_DELAY_MS);
        throttle.failure("alice", "192.0.2.1");
        assertThat(throttle.waitMillis("alice", "192.0.2.1")).isEqualTo(4 * LoginThrottle.BASE_DELAY_MS);
    }

    @Test
    void delayIsCapped() {
        fail("alice", "192.0.2.1", 200);
        assertThat(throttle.waitMillis("alice", "192.0.2.1")).isEqualTo(LoginThrottle.MAX_DELAY_MS);
        clock.advanceMillis(LoginThrottle.MAX_DELAY_MS);
        assertThat(throttle.waitMillis("alice", "192.0.2.1")).isZero();
    }

    @Test
    void failuresFromOneAddressNeverLockOutAnother() {
        // The attack of issue #11: guessing admin's password from A must not lock admin out at B.
        fail("admin", "192.0.2.1", 200);
        assertThat(throttle.waitMillis("admin", "192.0.2.1")).isEqualTo(LoginThrottle.MAX_DELAY_MS);
        assertThat(throttle.waitMillis("admin", "198.51.100.7")).isZero();
        assertThat(throttle.waitMillis("bob", "198.51.100.7")).isZero();
    }

    @Test
    void aUserUnderAttackFromManyAddressesLosesTheFreeFailuresPerAddress() {
        // A distributed guesser: every address makes fewer failures than are free.
        for (int i = 0; i < LoginThrottle.USER_UNDER_ATTACK; i++) throttle.failure("alice", "192.0.2." + i);
        assertThat(throttle.waitMillis("alice", "192.0.2.0")).isZero();
        // From now on one failure from an address is enough to slow that address...
        throttle.failure("alice", "198.51.100.1");
        assertThat(throttle.waitMillis("alice", "198.51.100.1")).isEqualTo(LoginThrottle.BASE_DELAY_MS);
        // ...but an address that has not failed is never refused: the right password still gets in.
        assertThat(throttle.waitMillis("alice", "198.51.100.2")).isZero();
        assertThat(throttle.waitMillis("bob", "198.51.100.1")).isZero();
    }

    @Test
    void countsAreForgottenAfterAQuietHour() {
        fail("alice", "192.0.2.1", LoginThrottle.FREE_FAILURES);
        clock.advanceMillis(LoginThrottle.FORGET_AFTER_MS);
        throttle.failure("alice", "192.0.2.1");
        assertThat(throttle.waitMillis("alice", "192.0.2.1")).isZero();
    }

    @Test
    void throttlesPerAddressAcrossUsers() {
        for (int i = 0; i <= LoginThrottle.FREE_FAILURES; i++) throttle.failure("user" + i, "192.0.2.1");
        assertThat(throttle.waitMillis("somebody-new", "192.0.2.1")).isPositive();
        assertThat(throttle.waitMillis("somebody-new", "192.0.2.2")).isZero();
    }

    @Test
    void aFloodOfNewKeysNeverClearsExistingBlocks() {
        fail("admin", "192.0.2.1", LoginThrottle.FREE_FAILURES + 4);
        long blocked = throttle.waitMillis("admin", "192.0.2.1");
        assertThat(blocked).isPositive();
        for (int i = 0; i < 2 * LoginThrottle.MAX_KEYS; i++) {
            throttle.failure("user" + i, "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
        }
        assertThat(throttle.waitMillis("admin", "192.0.2.1")).isEqualTo(blocked);
        assertThat(throttle.trackedKeys()).isLessThanOrEqualTo(LoginThrottle.MAX_KEYS);
    }

    @Test
    void successClearsTheUserAndTheAddress() {
        fail("alice", "192.0.2.1", LoginThrottle.FREE_FAILURES + 3);
        clock.advanceMillis(LoginThrottle.MAX_DELAY_MS);
        throttle.success("alice", "192.0.2.1");
        throttle.failure("alice", "192.0.2.1");
        assertThat(throttle.waitMillis("alice", "192.0.2.1")).isZero();
    }

    @Test
    void userAndAddressNamesDoNotCollide() {
        // a user named like an address must not share the address's counter
        fail("192.0.2.1", "198.51.100.1", LoginThrottle.FREE_FAILURES + 1);
        assertThat(throttle.waitMillis("carol", "192.0.2.1")).isZero();
    }

    @Test
    void anIpv6SourceIsThrottledByItsSlash64() {
        // A host owns its whole /64 and can take a fresh address for every guess.
        for (int i = 0; i <= LoginThrottle.FREE_FAILURES; i++) throttle.failure("alice", "2001:db8:0:1:0:0:0:" + Integer.toHexString(i + 1));
        assertThat(throttle.waitMillis("alice", "2001:db8:0:1:ffff:ffff:ffff:ffff")).isEqualTo(LoginThrottle.BASE_DELAY_MS);
        assertThat(throttle.waitMillis("somebody-new", "2001:db8:0:1:0:0:0:99")).isEqualTo(LoginThrottle.BASE_DELAY_MS);
        // the neighbouring /64 is another source
        assertThat(throttle.waitMillis("alice", "2001:db8:0:2:0:0:0:1")).isZero();
    }

    @Test
    void aLoginFromAnIpv6AddressClearsItsSlash64() {
        fail("alice", "2001:db8:0:1:0:0:0:1", LoginThrottle.FREE_FAILURES + 1);
        clock.advanceMillis(LoginThrottle.BASE_DELAY_MS);
        throttle.success("alice", "2001:db8:0:1:0:0:0:2");
        throttle.failure("alice", "2001:db8:0:1:0:0:0:1");
        assertThat(throttle.waitMillis("alice", "2001:db8:0:1:0:0:0:1")).isZero();
    }

    @Test
    void anIpv6SourceWithAScopeIsThrottledByItsSlash64() {
        fail("alice", "fe80:0:0:0:0:0:0:1%eth0", LoginThrottle.FREE_FAILURES + 1);
        assertThat(throttle.waitMillis("alice", "fe80:0:0:0:0:0:0:2%eth0")).isEqualTo(LoginThrottle.BASE_DELAY_MS);
    }

    @Test
    void ipv4AndIpv4MappedIpv6SourcesStayPerAddress() {
        // ::ffff:0:0/96 holds all of IPv4: a /64 of it would be one source for every IPv4 client.
        fail("alice", "0:0:0:0:0:ffff:c000:201", LoginThrottle.FREE_FAILURES + 1);
        assertThat(throttle.waitMillis("alice", "192.0.2.1")).isEqualTo(LoginThrottle.BASE_DELAY_MS);
        assertThat(throttle.waitMillis("alice", "::ffff:192.0.2.2")).isZero();
        assertThat(throttle.waitMillis("alice", "192.0.2.2")).isZero();
        fail("bob", "192.0.2.3", LoginThrottle.FREE_FAILURES + 1);
        assertThat(throttle.waitMillis("bob", "192.0.2.4")).isZero();
    }

    @Test
    void anAddressThatIsNoLiteralIsCountedAsItCame() {
        fail("alice", "2001:db8::zz", LoginThrottle.FREE_FAILURES + 1);
        assertThat(throttle.waitMillis("alice", "2001:db8::zz")).isEqualTo(LoginThrottle.BASE_DELAY_MS);
        assertThat(throttle.waitMillis("alice", "2001:db8::1")).isZero();
    }

    private void fail(String user, String address, int times) {
        for (int i = 0; i < times; i++) throttle.failure(user, address);
    }
}
