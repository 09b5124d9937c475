package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faxlan.mail.imap.MailPoller;
import dev.faxlan.mail.imap.MailPollerConfig;
import dev.faxlan.mail.imap.PollerEvents;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.Job;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import dev.faxlan.testkit.PortRetry;
import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.smtp.helper.SimpleMessageListener;
import org.subethamail.smtp.helper.SimpleMessageListenerAdapter;
import org.subethamail.smtp.server.SMTPServer;

/**
 * {@code faxlan mail-poller} against a real Dovecot started by the test, messages placed with IMAP
 * APPEND, a real fax server on loopback, and a SubEthaSMTP server as the smarthost that receives the
 * replies. Each test reads the jobs through the SDK, the folders over IMAP and the replies as they
 * arrived at the smarthost.
 */
class MailPollerIT {
    static final String ADMIN_PW = "poller-admin-pw-1";
    static final String USER = "mailfax";
    static final String USER_PW = "mailfax-password-1";
    static final String DOMAIN = "fax.example.org";
    @TempDir
    static Path dir;
    static FaxlanServer server;
    static SMTPServer smarthost;
    static final Queue<MimeMessage> replies = new ConcurrentLinkedQueue<>();
    /** Whether the smarthost takes the replies; while false it refuses every recipient (553). */
    static final AtomicBoolean smarthostTakesMail = new AtomicBoolean(true);

    @BeforeAll
    static void start() throws Exception {
        DovecotFixture.require("dovecot", "/usr/sbin/dovecot", "dovecot-imapd");
        server = TestTrunk.start(ServerConfig.defaults().withDataDir(dir.resolve("data"))
                .withBind(new InetSocketAddress("127.0.0.1", 0)).withName("poller-it").withAdminPassword(ADMIN_PW));
        try (FaxlanClient admin = client("admin", ADMIN_PW)) {
            admin.addUser(USER, USER_PW.toCharArray(), "user");
        }
        SimpleMessageListener collect = new SimpleMessageListener() {
            @Override
            public boolean accept(String from, String recipient) {
                return smarthostTakesMail.get();
            }

            @Override
            public void deliver(String from, String recipient, java.io.InputStream data) throws IOException {
                try {
                    replies.add(new MimeMessage(Session.getInstance(new Properties()), data));
                } catch (MessagingException e) {
                    throw new IOException(e);
                }
            }
        };
        smarthost = SMTPServer.port(0).bindAddress(java.net.InetAddress.getLoopbackAddress())
                .messageHandlerFactory(new SimpleMessageListenerAdapter(collect)).build();
        smarthost.start();
    }

    @AfterAll
    static void stop() {
        if (smarthost != null) smarthost.stop();
        if (server != null) server.close();
    }

    /**
     * A PDF to one number, a text body to two (To and Cc), an attachment that cannot be faxed, and a
     * sender not on the list: jobs for the first two, each message in its folder, INBOX empty, one
     * reply each to the three listed senders and none to the fourth.
     */
    @Test
    void messagesBecomeJobsAreMovedAndAnswered() throws Exception {
        try (DovecotFixture dovecot = DovecotFixture.start(dir.resolve("dovecot-three"), "")) {
            Path pdf = SmtpGatewayIT.pdf(dir.resolve("offer.pdf"));
            Path junk = Files.write(dir.resolve("data.bin"), new byte[] {0x13, 0x37, 0x00, 0x01, 0x7f, 0x42, 0x00, 0x00});
            dovecot.append(
                    mail("<offer-1@poller-it>", "alice@example.org", "offer 1", List.of("+15552001@" + DOMAIN), List.of(), "Our offer is attached.", pdf),
                    mail("<note-1@poller-it>", "bob@example.org", "note 1", List.of("+15552002@" + DOMAIN, "office@example.org"),
                            List.of("+15552003@" + DOMAIN), "Please call me back.", null),
                    mail("<junk-1@poller-it>", "carol@example.org", "junk 1", List.of("+15552004@" + DOMAIN), List.of(), null, junk),
                    mail("<spam-1@poller-it>", "mallory@elsewhere.example", "spam 1", List.of("+15552005@" + DOMAIN), List.of(), "Buy now", null));
            Recorder events = new Recorder();
            try (MailPoller poller = MailPoller.start(config(config(dovecot, "imaps", dir.resolve("state-three"), 60)), server.address(), null, events)) {
                awaitSettled(dovecot, poller, 2, 2);
            }
            assertThat(dovecot.messageIds("faxlan/done")).containsExactlyInAnyOrder("<offer-1@poller-it>", "<note-1@poller-it>");
            assertThat(dovecot.messageIds("faxlan/failed")).containsExactlyInAnyOrder("<junk-1@poller-it>", "<spam-1@poller-it>");
            assertThat(jobs("offer 1")).singleElement().satisfies(j -> {
                assertThat(j.to()).isEqualTo("+15552001");
                assertThat(j.owner()).isEqualTo(USER);
                assertThat(j.documents()).containsExactly(FaxlanClient.sha256(pdf));
                assertThat(j.fields()).containsEntry("comment", "Our offer is attached.");
            });
            List<Job> note = jobs("note 1");
            assertThat(note).extracting(Job::to).containsExactlyInAnyOrder("+15552002", "+15552003");
            assertThat(jobs("junk 1")).isEmpty();
            assertThat(jobs("spam 1")).isEmpty();

            assertThat(repliesTo("<offer-1@poller-it>")).singleElement().satisfies(r -> {
                assertThat(r.getRecipients(Message.RecipientType.TO)).extracting(Object::toString).containsExactly("alice@example.org");
                assertThat(r.getSubject()).isEqualTo("Re: offer 1");
                assertThat(r.getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
                assertThat(text(r)).isEqualTo("faxed: jobs " + jobs("offer 1").get(0).id() + " to +15552001");
            });
            assertThat(repliesTo("<note-1@poller-it>")).singleElement().satisfies(r -> assertThat(text(r))
                    .matches("faxed: jobs (" + note.get(0).id() + " " + note.get(1).id() + "|" + note.get(1).id() + " " + note.get(0).id()
                            + ") to \\+15552002, \\+15552003"));
            assertThat(repliesTo("<junk-1@poller-it>")).singleElement().satisfies(r -> assertThat(text(r))
                    .startsWith("not faxed: 554 5.6.1 attachment data.bin cannot be faxed: unknown format"));
            assertThat(repliesTo("<spam-1@poller-it>")).isEmpty();
            assertThat(events.disconnected).isEmpty();
        }
    }

    /** With IDLE the poller learns of new mail at once: poll.seconds is an hour, yet a message placed later is faxed. */
    @Test
    void idleWakesThePollerForMailPlacedLater() throws Exception {
        try (DovecotFixture dovecot = DovecotFixture.start(dir.resolve("dovecot-idle"), "")) {
            Recorder events = new Recorder();
            try (MailPoller poller = MailPoller.start(config(config(dovecot, "none", dir.resolve("state-idle"), 3600)), server.address(), null, events)) {
                // The first message proves the poller has read the folder once; the second can only come by IDLE.
                dovecot.append(mail("<idle-1@poller-it>", "alice@example.org", "idle 1", List.of("+15552101@" + DOMAIN), List.of(), "first", null));
                await().atMost(Duration.ofSeconds(120)).until(() -> repliesTo("<idle-1@poller-it>").size() == 1);
                dovecot.append(mail("<idle-2@poller-it>", "alice@example.org", "idle 2", List.of("+15552102@" + DOMAIN), List.of(), "second", null));
                await().atMost(Duration.ofSeconds(120)).until(() -> repliesTo("<idle-2@poller-it>").size() == 1);
            }
            assertThat(events.connected).containsExactly(true);
            assertThat(events.disconnected).isEmpty();
            assertThat(jobs("idle 2")).singleElement().extracting(Job::to).isEqualTo("+15552102");
            assertThat(dovecot.messageIds("faxlan/done")).containsExactly("<idle-1@poller-it>", "<idle-2@poller-it>");
        }
    }

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

    /** Without the mailbox's CA (the JVM's own CAs do not know it) the poller does not log in, and the message waits. */
    @Test
    void aServerCertificateThatIsNotTrustedIsRefused() throws Exception {
        try (DovecotFixture dovecot = DovecotFixture.start(dir.resolve("dovecot-untrusted"), "")) {
            dovecot.append(mail("<trust-1@poller-it>", "alice@example.org", "trust 1", List.of("+15552501@" + DOMAIN), List.of(), "hi", null));
            Properties p = config(dovecot, "imaps", dir.resolve("state-untrusted"), 60);
            p.remove("imap.ca.file");
            Recorder events = new Recorder();
            try (MailPoller poller = MailPoller.start(config(p), server.address(), null, events)) {
                await().atMost(Duration.ofSeconds(120)).until(() -> !events.disconnected.isEmpty());
            }
            assertThat(events.disconnected.get(0)).containsIgnoringCase("certification path");
            assertThat(events.connected).isEmpty();
            assertThat(dovecot.messageIds("INBOX")).containsExactly("<trust-1@poller-it>");
            assertThat(jobs("trust 1")).isEmpty();
        }
    }

    /** Without IDLE and MOVE (Dovecot told to offer neither) the poller reads the folder every poll.seconds and copies and expunges. */
    @Test
    void aServerWithoutIdleOrMoveIsPolledAndTheMessagesCopied() throws Exception {
        String capabilities = "imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE LITERAL+ UIDPLUS";
        try (DovecotFixture dovecot = DovecotFixture.start(dir.resolve("dovecot-plain"), capabilities)) {
            Recorder events = new Recorder();
            try (MailPoller poller = MailPoller.start(config(config(dovecot, "imaps", dir.resolve("state-plain"), 2)), server.address(), null, events)) {
                dovecot.append(mail("<poll-1@poller-it>", "alice@example.org", "poll 1", List.of("+15552601@" + DOMAIN), List.of(), "first", null));
                await().atMost(Duration.ofSeconds(120)).until(() -> repliesTo("<poll-1@poller-it>").size() == 1);
                dovecot.append(mail("<poll-2@poller-it>", "alice@example.org", "poll 2", List.of("+15552602@" + DOMAIN), List.of(), "second", null));
                await().atMost(Duration.ofSeconds(120)).until(() -> repliesTo("<poll-2@poller-it>").size() == 1);
                awaitSettled(dovecot, poller, 2, 0);
            }
            assertThat(events.connected).containsExactly(false);
            assertThat(dovecot.messageIds("faxlan/done")).containsExactly("<poll-1@poller-it>", "<poll-2@poller-it>");
            assertThat(jobs("poll 2")).singleElement().extracting(Job::to).isEqualTo("+15552602");
        }
    }

    /**
     * SASL XOAUTH2 with a token file that is replaced while the poller runs: Dovecot checks each token
     * at an introspection endpoint (the authorisation server's part, played by the test); once the
     * first token is revoked and the file holds a new one, the poller logs in again with the new one.
     */
    @Test
    void anOAuth2TokenIsReadAgainAtEachLogin() throws Exception {
        Set<String> active = ConcurrentHashMap.newKeySet();
        List<String> presented = Collections.synchronizedList(new ArrayList<>());
        HttpServer introspection = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        introspection.createContext("/introspect", exchange -> {
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String token = "";
            for (String kv : form.split("&")) if (kv.startsWith("token=")) token = URLDecoder.decode(kv.substring(6), StandardCharsets.UTF_8);
            presented.add(token);
            byte[] body = (active.contains(token) ? "{\"active\":\"true\",\"username\":\"" + DovecotFixture.USER + "\"}" : "{\"active\":\"false\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        introspection.start();
        String url = "http://127.0.0.1:" + introspection.getAddress().getPort() + "/introspect";
        try (DovecotFixture dovecot = DovecotFixture.start(dir.resolve("dovecot-oauth2"), "", url)) {
            Path tokenFile = Files.writeString(dir.resolve("imap.token"), "token-1\n");
            active.add("token-1");
            Properties p = config(dovecot, "imaps", dir.resolve("state-oauth2"), 60);
            p.remove("imap.password.file");
            p.setProperty("imap.token.file", tokenFile.toString());
            Recorder events = new Recorder();
            try (MailPoller poller = MailPoller.start(config(p), server.address(), null, events)) {
                dovecot.append(mail("<oauth-1@poller-it>", "alice@example.org", "oauth 1", List.of("+15552701@" + DOMAIN), List.of(), "first", null));
                await().atMost(Duration.ofSeconds(120)).until(() -> repliesTo("<oauth-1@poller-it>").size() == 1);
                // The token is renewed: the old one no longer works, the file holds the new one, and the session ends.
                active.clear();
                active.add("token-2");
                Files.writeString(tokenFile, "token-2\n");
                dovecot.stop();
                dovecot.startAgain();
                dovecot.append(mail("<oauth-2@poller-it>", "alice@example.org", "oauth 2", List.of("+15552702@" + DOMAIN), List.of(), "second", null));
                await().atMost(Duration.ofSeconds(180)).until(() -> repliesTo("<oauth-2@poller-it>").size() == 1);
            }
            assertThat(presented).contains("token-1", "token-2");
            assertThat(events.connected).hasSizeGreaterThanOrEqualTo(2);
            assertThat(jobs("oauth 2")).singleElement().extracting(Job::to).isEqualTo("+15552702");
        } finally {
            introspection.stop(0);
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

    /** The command as shipped, over IMAPS with the test's CA: it says what it reads, and a message placed there is faxed. */
    @Test
    void theCommandReadsTheMailboxOverImaps() throws Exception {
        try (DovecotFixture dovecot = DovecotFixture.start(dir.resolve("dovecot-cmd"), "")) {
            Properties p = config(dovecot, "imaps", dir.resolve("state-cmd"), 60);
            Path cfg = dir.resolve("poller.properties");
            try (var w = Files.newBufferedWriter(cfg)) {
                p.store(w, null);
            }
            List<String> cmd = new ArrayList<>(Cli.javaCommand());
            cmd.addAll(List.of("mail-poller", "--server", "127.0.0.1:" + server.port(), "--config", cfg.toString()));
            Process proc = new ProcessBuilder(cmd).redirectError(dir.resolve("poller.err").toFile()).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8));
                String line = CompletableFuture.supplyAsync(() -> {
                    try {
                        for (String l; (l = out.readLine()) != null; ) if (l.startsWith("faxlan mail-poller reading ")) return l;
                        return null;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).get(90, TimeUnit.SECONDS);
                assertThat(line).as(Files.readString(dir.resolve("poller.err")))
                        .isEqualTo("faxlan mail-poller reading " + DovecotFixture.USER + " at imaps://127.0.0.1:" + dovecot.imapsPort()
                                + "/INBOX for mail to NUMBER@" + DOMAIN + ", faxing as " + USER + " through 127.0.0.1:" + server.port());
                dovecot.append(mail("<cmd-1@poller-it>", "carol@example.org", "by command", List.of("+15552401@" + DOMAIN), List.of(), "Hello", null));
                await().atMost(Duration.ofSeconds(120)).until(() -> repliesTo("<cmd-1@poller-it>").size() == 1);
                assertThat(jobs("by command")).singleElement().extracting(Job::to).isEqualTo("+15552401");
                assertThat(dovecot.messageIds("faxlan/done")).containsExactly("<cmd-1@poller-it>");
                assertThat(Files.readString(dir.resolve("poller.err"))).doesNotContain(DovecotFixture.PASSWORD, USER_PW);
            } finally {
                proc.destroy();
                if (!proc.waitFor(30, TimeUnit.SECONDS)) proc.destroyForcibly();
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    record Submitted(String messageId, List<Long> jobs) {}

    /** The poller's events, kept for the assertions. */
    static class Recorder implements PollerEvents {
        final List<Boolean> connected = Collections.synchronizedList(new ArrayList<>());
        final List<Submitted> submitted = Collections.synchronizedList(new ArrayList<>());
        final List<String> disconnected = Collections.synchronizedList(new ArrayList<>());
        final List<String> deferred = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void deferred(String messageId, String reason) {
            deferred.add(reason);
        }

        @Override
        public void connected(boolean idle) {
            connected.add(idle);
        }

        @Override
        public void submitted(String messageId, List<Long> jobs) {
            submitted.add(new Submitted(messageId, jobs));
        }

        @Override
        public void disconnected(String reason, Duration retryIn) {
            disconnected.add(reason);
        }
    }

    static Properties config(DovecotFixture dovecot, String tls, Path state, int pollSeconds) throws IOException {
        Properties p = new Properties();
        p.setProperty("imap.host", "127.0.0.1");
        p.setProperty("imap.tls", tls);
        p.setProperty("imap.port", String.valueOf(tls.equals("imaps") ? dovecot.imapsPort() : dovecot.imapPort()));
        if (!tls.equals("none")) p.setProperty("imap.ca.file", dovecot.caFile().toString());
        p.setProperty("imap.user", DovecotFixture.USER);
        p.setProperty("imap.password.file", Files.writeString(dir.resolve("imap.pw"), DovecotFixture.PASSWORD + "\n").toString());
        p.setProperty("poll.seconds", String.valueOf(pollSeconds));
        p.setProperty("fax.domain", DOMAIN);
        p.setProperty("server.user", USER);
        p.setProperty("server.password.file", Files.writeString(dir.resolve("fax.pw"), USER_PW + "\n").toString());
        p.setProperty("senders.file", Files.writeString(dir.resolve("senders"), "alice@example.org\nbob@example.org\n@example.org\n").toString());
        p.setProperty("state.dir", state.toString());
        p.setProperty("smarthost.host", "127.0.0.1");
        p.setProperty("smarthost.port", String.valueOf(smarthost.getPortAllocated()));
        p.setProperty("smarthost.tls", "none");
        p.setProperty("smarthost.from", "fax@example.org");
        return p;
    }

    static MailPollerConfig config(Properties p) {
        try {
            return MailPollerConfig.parse(p);
        } catch (MailPollerConfig.Invalid e) {
            throw new AssertionError(e.problems().toString());
        }
    }

    /** Waits until INBOX is empty, the folders hold what they should and every reply has gone out. */
    static void awaitSettled(DovecotFixture dovecot, MailPoller poller, int done, int failed) {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250)).ignoreExceptionsMatching(e -> e instanceof MessagingException)
                .until(() -> dovecot.messageIds("INBOX").isEmpty() && dovecot.messageIds("faxlan/done").size() >= done
                        && dovecot.messageIds("faxlan/failed").size() >= failed && poller.repliesWaiting() == 0);
    }

    static String id(String tag, int i) {
        return "<restart-" + tag + "-" + i + "@poller-it>";
    }

    /** A message with a fixed Message-ID (Jakarta Mail would make a new one on every save). */
    static MimeMessage mail(String messageId, String from, String subject, List<String> to, List<String> cc, String body, Path attachment)
            throws MessagingException {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties())) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        m.setFrom(new InternetAddress(from));
        for (String a : to) m.addRecipient(Message.RecipientType.TO, new InternetAddress(a));
        for (String a : cc) m.addRecipient(Message.RecipientType.CC, new InternetAddress(a));
        m.setSubject(subject);
        if (attachment == null) {
            m.setText(body, "UTF-8");
        } else {
            MimeMultipart mp = new MimeMultipart();
            if (body != null) {
                MimeBodyPart text = new MimeBodyPart();
                text.setText(body, "UTF-8");
                mp.addBodyPart(text);
            }
            MimeBodyPart file = new MimeBodyPart();
            file.setDataHandler(new DataHandler(new FileDataSource(attachment.toFile())));
            file.setFileName(attachment.getFileName().toString());
            file.setDisposition(MimeBodyPart.ATTACHMENT);
            mp.addBodyPart(file);
            m.setContent(mp);
        }
        m.saveChanges();
        return m;
    }

    static List<MimeMessage> repliesTo(String messageId) throws MessagingException {
        List<MimeMessage> found = new ArrayList<>();
        for (MimeMessage r : replies) if (messageId.equals(r.getHeader("In-Reply-To", null))) found.add(r);
        return found;
    }

    static String text(MimeMessage m) throws IOException, MessagingException {
        return String.valueOf(m.getContent()).strip();
    }

    static FaxlanClient client(String user, String pw) {
        return client(server, user, pw);
    }

    static FaxlanClient client(FaxlanServer s, String user, String pw) {
        return FaxlanClient.builder().server(s.address()).user(user).password(pw.toCharArray()).timeout(Duration.ofSeconds(30)).build();
    }

    /** The poller account's jobs, finished ones included, with this subject. */
    static List<Job> jobs(String subject) {
        try (FaxlanClient c = client(USER, USER_PW)) {
            return c.jobs(true).stream().filter(j -> subject.equals(j.subject())).toList();
        }
    }
}
