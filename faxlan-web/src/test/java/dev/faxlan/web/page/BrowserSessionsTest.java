package dev.faxlan.web.page;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.web.cpi.UserClients;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Idle expiry and logout of browser sessions, on a clock the test moves. The sessions' SDK clients
 * are real but never used here (a client connects on its first call), so no server is needed.
 */
class BrowserSessionsTest {
    static final InetSocketAddress NOWHERE = new InetSocketAddress("127.0.0.1", 9);
    final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T10:00:00Z"));
    final UserClients clients = new UserClients(NOWHERE, null, Duration.ofSeconds(1));

    BrowserSession session(String user) {
        FaxlanClient client = clients.withPassword(user, "unused-password".toCharArray());
        return new BrowserSession(user, "user", client, BrowserSessions.token(32), "web-test", clock.instant());
    }

    @Test
    void aSessionUsedWithinTheIdleTimeLivesOnAndOneIdleLongerIsGone() {
        try (BrowserSessions sessions = new BrowserSessions(clients, Duration.ofMinutes(30), clock)) {
            String id = sessions.adopt(session("alice"));
            clock.advance(Duration.ofMinutes(29));
            assertThat(sessions.find(id)).isPresent();
            // Each use starts the idle time again.
            clock.advance(Duration.ofMinutes(29));
            assertThat(sessions.find(id)).isPresent();
            clock.advance(Duration.ofMinutes(31));
            assertThat(sessions.find(id)).isEmpty();
            assertThat(sessions.size()).isZero();
        }
    }

    @Test
    void theSweepEndsSessionsNobodyCameBackTo() {
        try (BrowserSessions sessions = new BrowserSessions(clients, Duration.ofMinutes(5), clock)) {
            sessions.adopt(session("alice"));
            String bob = sessions.adopt(session("bob"));
            clock.advance(Duration.ofMinutes(4));
            assertThat(sessions.find(bob)).isPresent();
            clock.advance(Duration.ofMinutes(2));
            sessions.expire();
            assertThat(sessions.size()).isEqualTo(1);
            assertThat(sessions.find(bob)).isPresent();
        }
    }

    @Test
    void anEndedOrUnknownIdFindsNothing() {
        try (BrowserSessions sessions = new BrowserSessions(clients, Duration.ofMinutes(30), clock)) {
            String id = sessions.adopt(session("alice"));
            sessions.end(id);
            assertThat(sessions.find(id)).isEmpty();
            assertThat(sessions.find(null)).isEmpty();
            assertThat(sessions.find("made-up")).isEmpty();
        }
    }

    @Test
    void theCsrfTokenMatchesOnlyItself() {
        BrowserSession s = session("alice");
        assertThat(s.csrfMatches(s.csrfToken())).isTrue();
        assertThat(s.csrfMatches(s.csrfToken() + "x")).isFalse();
        assertThat(s.csrfMatches("")).isFalse();
        assertThat(s.csrfMatches(null)).isFalse();
        s.close();
    }

    static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
