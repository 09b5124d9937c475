package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faxlan.mail.imap.MailPoller;
import dev.faxlan.mail.imap.PollerEvents;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import dev.faxlan.testkit.PortRetry;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code faxlan mail-poller} when things fail: Dovecot restarted in the middle, the fax server
 * unreachable, the smarthost refusing, a message that cannot be read. In each, nothing is lost and
 * nothing is done twice.
 */
class MailPollerRecoveryIT extends MailPollerTestBase {
    /**
     * Dovecot is stopped right after the first message's jobs exist and before that message is moved,
     * then started again: in the end each of the five messages made its jobs once, sits once in
     * faxlan/done, and was answered once. The first message was seen again and given the same jobs.
     */
    @Test
    void aDovecotRestartBetweenSubmitAndMoveLosesNothingAndDuplicatesNothing() throws Exception {
        int[] attempt = {0};
        PortRetry.onAddressInUse("dovecot restart", n -> {
            restartScenario("s" + ++attempt[0], false);
            return null;
        });
    }

    /**
     * As above, Dovecot stopped once the first reply is kept and before the move: the message comes back
     * and is handled again, and its reply, kept under the message's key, still goes out once.
     */
    @Test
    void aDovecotRestartBetweenKeepingTheReplyAndTheMoveSendsOneReply() throws Exception {
        int[] attempt = {0};
        PortRetry.onAddressInUse("dovecot restart", n -> {
            restartScenario("a" + ++attempt[0], true);
            return null;
        });
    }

    private void restartScenario(String tag, boolean afterReply) throws Exception {
        int series = (tag.charAt(0) == 'a' ? 5 : 0) + tag.charAt(1) - '0';
        try (DovecotFixture dovecot = DovecotFixture.start(dir.resolve("dovecot-restart-" + tag), "")) {
            List<Message> five = new ArrayList<>();
            int recipients = 0;
            for (int i = 1; i <= 5; i++) {
                List<String> to = new ArrayList<>(List.of(String.format("+155523%d%d1@%s", series, i, DOMAIN)));
                if (i % 2 == 0) to.add(String.format("+155523%d%d2@%s", series, i, DOMAIN));
                recipients += to.size();
                five.add(mail(id(tag, i), "bob@example.org", "restart " + tag, to, List.of(), "Message " + i, null));
            }
            dovecot.append(five.toArray(Message[]::new));
            CountDownLatch stopped = new CountDownLatch(1);
            Recorder events = new Recorder() {
                @Override
                public void submitted(String messageId, List<Long> jobs) {
                    super.submitted(messageId, jobs);
                    if (!afterReply) stopOnce();
                }

                @Override
                public void answered(String messageId, String outcome) {
                    if (afterReply) stopOnce();
                }

                /** Stops Dovecot on the poller's own thread, so that it happens exactly between two of its steps. */
                private void stopOnce() {
                    if (stopped.getCount() == 0) return;
                    try {
                        dovecot.stop();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    stopped.countDown();
                }
            };
            try (MailPoller poller = MailPoller.start(config(config(dovecot, "imaps", dir.resolve("state-restart-" + tag), 60)), server.address(), null, events)) {
                assertThat(stopped.await(120, TimeUnit.SECONDS)).as("a first job was made").isTrue();
                dovecot.startAgain();
                awaitSettled(dovecot, poller, 5, 0);
            }
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= 5; i++) ids.add(id(tag, i));
            assertThat(dovecot.messageIds("faxlan/done")).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(dovecot.messageIds("faxlan/failed")).isEmpty();
            assertThat(jobs("restart " + tag)).hasSize(recipients);
            for (String id : ids) assertThat(repliesTo(id)).as("replies to " + id).hasSize(1);
            // The first message was submitted, lost its move with the connection, and came back with the same jobs.
            String first = events.submitted.get(0).messageId();
            assertThat(events.submitted).filteredOn(s -> s.messageId().equals(first)).hasSizeGreaterThanOrEqualTo(2)
                    .extracting(Submitted::jobs).containsOnly(events.submitted.get(0).jobs());
            assertThat(events.disconnected).isNotEmpty();
        }
    }

    /**
     * With the fax server down the message stays in INBOX and gets no reply; once the server is back
     * (same address) it is faxed on a later wake-up, exactly once.
     */
    @Test
    void anUnreachableFaxServerLeavesTheMessageForLater() throws Exception {
        int[] attempt = {0};
        PortRetry.onAddressInUse("fax server restart", n -> {
            deferredThenFaxed(++attempt[0]);
            return null;
        });
    }

    private void deferredThenFaxed(int attempt) throws Exception {
        ServerConfig cfg = ServerConfig.defaults().withDataDir(dir.resolve("data-down-" + attempt)).withBind(new InetSocketAddress("127.0.0.1", 0))
                .withName("poller-down").withAdminPassword(ADMIN_PW);
        FaxlanServer first = TestTrunk.start(cfg);
        InetSocketAddress address = first.address();
        try (FaxlanClient admin = client(first, "admin", ADMIN_PW)) {
            admin.addUser(USER, USER_PW.toCharArray(), "user");
        }
        first.close();
        String id = "<down-" + attempt + "@poller-it>";
        try (DovecotFixture dovecot = DovecotFixture.start(dir.resolve("dovecot-down-" + attempt), "")) {
            Properties p = config(dovecot, "imaps", dir.resolve("state-down-" + attempt), 2);
            p.setProperty("server.timeout.seconds", "3");
            Recorder events = new Recorder();
            try (MailPoller poller = MailPoller.start(config(p), address, null, events)) {
                dovecot.append(mail(id, "alice@example.org", "down " + attempt, List.of("+15552901@" + DOMAIN), List.of(), "Once only.", null));
                await().atMost(Duration.ofSeconds(120)).until(() -> !events.deferred.isEmpty());
                assertThat(events.deferred.get(0)).startsWith("451 4.4.1 fax server unreachable");
                assertThat(dovecot.messageIds("INBOX")).containsExactly(id);
                assertThat(repliesTo(id)).isEmpty();
                FaxlanServer again = TestTrunk.start(cfg.withBind(address));
                try {
                    awaitSettled(dovecot, poller, 1, 0);
                    assertThat(repliesTo(id)).hasSize(1);
                    try (FaxlanClient c = client(again, USER, USER_PW)) {
                        assertThat(c.jobs(true)).filteredOn(j -> ("down " + attempt).equals(j.subject())).hasSize(1);
                    }
                } finally {
                    again.close();
                }
            }
            assertThat(dovecot.messageIds("faxlan/done")).containsExactly(id);
        }
    }

    /** A reply the smarthost does not take waits in the outbox, the message moved meanwhile, and goes out once it does. */
    @Test
    void aReplyTheSmarthostRefusesIsSentLater() throws Exception {
        try (DovecotFixture dovecot = DovecotFixture.start(dir.resolve("dovecot-smarthost"), "")) {
            smarthostTakesMail.set(false);
            try (MailPoller poller = MailPoller.start(config(config(dovecot, "imaps", dir.resolve("state-smarthost"), 2)), server.address(), null,
                    PollerEvents.NONE)) {
                dovecot.append(mail("<later-1@poller-it>", "alice@example.org", "later 1", List.of("+15553001@" + DOMAIN), List.of(), "hi", null));
                await().atMost(Duration.ofSeconds(120)).ignoreExceptionsMatching(e -> e instanceof MessagingException)
                        .until(() -> dovecot.messageIds("faxlan/done").size() == 1 && poller.repliesWaiting() == 1);
                assertThat(repliesTo("<later-1@poller-it>")).isEmpty();
                smarthostTakesMail.set(true);
                await().atMost(Duration.ofSeconds(120)).until(() -> poller.repliesWaiting() == 0);
            } finally {
                smarthostTakesMail.set(true);
            }
            assertThat(repliesTo("<later-1@poller-it>")).hasSize(1);
            assertThat(jobs("later 1")).hasSize(1);
        }
    }

    /** A message whose headers cannot be read goes to faxlan/failed, and the message after it is faxed (here over STARTTLS). */
    @Test
    void anUnreadableMessageIsSetAsideAndTheNextIsFaxed() throws Exception {
        try (DovecotFixture dovecot = DovecotFixture.start(dir.resolve("dovecot-broken"), "")) {
            String broken = "Message-ID: <broken-1@poller-it>\r\nFrom: alice@example.org\r\nTo: \"unterminated <+15553101@" + DOMAIN + ">\r\n"
                    + "Subject: broken 1\r\nContent-Type: text/plain\r\n\r\nhi\r\n";
            dovecot.append(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(broken.getBytes(StandardCharsets.US_ASCII))),
                    mail("<after-1@poller-it>", "alice@example.org", "after 1", List.of("+15553102@" + DOMAIN), List.of(), "hi", null));
            Recorder events = new Recorder();
            try (MailPoller poller = MailPoller.start(config(config(dovecot, "starttls", dir.resolve("state-broken"), 60)), server.address(), null,
                    events)) {
                awaitSettled(dovecot, poller, 1, 1);
            }
            assertThat(events.disconnected).isEmpty();
            // Dovecot's log says how each session logged in: the poller's after STARTTLS, the test's own in clear text.
            assertThat(dovecot.log()).containsPattern("Login: user=<" + DovecotFixture.USER + ">, method=PLAIN, [^\\n]*, TLS,");
            assertThat(dovecot.messageIds("faxlan/failed")).containsExactly("<broken-1@poller-it>");
            assertThat(dovecot.messageIds("faxlan/done")).containsExactly("<after-1@poller-it>");
            assertThat(repliesTo("<broken-1@poller-it>")).singleElement().satisfies(r -> assertThat(text(r)).startsWith("not faxed: 554 5.6.0"));
            assertThat(jobs("broken 1")).isEmpty();
            assertThat(jobs("after 1")).hasSize(1);
        }
    }
}
