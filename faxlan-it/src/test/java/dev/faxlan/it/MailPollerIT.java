package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.faxlan.mail.imap.MailPoller;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.Job;
import jakarta.mail.Message;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code faxlan mail-poller} against a real Dovecot started by the test, messages placed with IMAP
 * APPEND, a real fax server on loopback, and a SubEthaSMTP server as the smarthost that receives the
 * replies: what a message becomes, IDLE and polling, MOVE and COPY, IMAPS, OAuth2 and the shipped
 * command. {@link MailPollerRecoveryIT} has the failures.
 */
class MailPollerIT extends MailPollerTestBase {
    /**
     * A PDF to one number, a text body to two (To and Cc), an attachment that cannot be faxed, and a
     * sender not on the list: jobs for the first two, each message in its folder, INBOX empty, one
     * reply each to the three listed senders and none to the fourth.
     */
    @Test
    void messagesBecomeJobsAreMovedAndAnswered() throws Exception {
        try (DovecotFixture dovecot = DovecotFixture.start(dir.resolve("dovecot-three"), "")) {
            Path pdf = SmtpFixture.pdf(dir.resolve("offer.pdf"));
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
}
