package dev.faxlan.it;

import static org.awaitility.Awaitility.await;

import dev.faxlan.mail.imap.MailPoller;
import dev.faxlan.mail.imap.MailPollerConfig;
import dev.faxlan.mail.imap.PollerEvents;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.Job;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.smtp.helper.SimpleMessageListener;
import org.subethamail.smtp.helper.SimpleMessageListenerAdapter;
import org.subethamail.smtp.server.SMTPServer;

/**
 * What the mail-poller tests share: a real fax server on loopback with the poller's account, a
 * SubEthaSMTP server as the smarthost that receives the replies, and the helpers that place messages
 * and read jobs, folders and replies. Each test starts its own Dovecot ({@link DovecotFixture}).
 */
abstract class MailPollerTestBase {
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
