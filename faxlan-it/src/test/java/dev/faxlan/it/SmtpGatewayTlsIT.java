package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.mail.smtp.SmtpGateway;
import dev.faxlan.mail.smtp.SmtpGatewayConfig;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.Job;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import jakarta.mail.Session;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * STARTTLS and AUTH only after it: the gateway's certificate made with openssl as docs/mail.md
 * says, swaks checking it against that certificate, and a session that tries to log in before TLS.
 */
class SmtpGatewayTlsIT {
    static final String ADMIN_PW = "tls-admin-pw-1";
    static final String USER = "mailer";
    static final String USER_PW = "mailer-password-1";
    static final String DOMAIN = "fax.example.org";
    @TempDir
    static Path dir;
    static FaxlanServer server;
    /** STARTTLS with the test certificate, auth.without.tls=never (the default). */
    static SmtpGateway tlsGateway;
    static Path certificate;

    @BeforeAll
    static void start() throws Exception {
        SwaksRun.executable();
        String openssl = SwaksRun.require("openssl", "openssl");
        certificate = dir.resolve("smtp-gateway.crt");
        Path key = dir.resolve("smtp-gateway.key");
        // As docs/mail.md makes it, for the name the test connects to.
        Process p = new ProcessBuilder(openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key.toString(), "-out", certificate.toString(), "-days", "825", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(out).isTrue();
        server = TestTrunk.start(ServerConfig.defaults().withDataDir(dir.resolve("data"))
                .withBind(new InetSocketAddress("127.0.0.1", 0)).withName("smtp-tls-it").withAdminPassword(ADMIN_PW));
        try (FaxlanClient admin = client("admin", ADMIN_PW)) {
            admin.addUser(USER, USER_PW.toCharArray(), "user");
        }
        tlsGateway = SmtpGateway.start(config("tls.certificate", certificate.toString(), "tls.key", key.toString()),
                new InetSocketAddress("127.0.0.1", 0), server.address(), null);
    }

    @AfterAll
    static void stop() {
        if (tlsGateway != null) tlsGateway.close();
        if (server != null) server.close();
    }

    @Test
    void startTlsThenAuthThenAPdfIsOneJob() throws Exception {
        Path pdf = SmtpFixture.pdf(dir.resolve("contract.pdf"));
        SwaksRun r = send(tlsGateway, "<tls-1@smtp-tls-it>", "over tls", "+15551001", USER_PW, "-tls", "--tls-verify",
                "--tls-ca-path", certificate.toString(), "--tls-sni", "localhost", "--attach", "@" + pdf, "--body", "Signed copy attached.");
        assertThat(r.dataReply()).as(r.transcript()).startsWith("250 fax jobs ");
        assertThat(r.transcript()).contains("=== TLS started with cipher TLSv1.");
        String beforeTls = r.transcript().substring(0, r.transcript().indexOf("=== TLS started"));
        assertThat(beforeTls).as("EHLO before STARTTLS offers no AUTH").contains("<-  250-STARTTLS").doesNotContain("AUTH");
        assertThat(r.transcript()).contains("<~  250-AUTH PLAIN LOGIN", "<~  235 ");
        assertThat(jobs("over tls")).singleElement().satisfies(j -> {
            assertThat(j.to()).isEqualTo("+15551001");
            assertThat(j.owner()).isEqualTo(USER);
            assertThat(j.documents()).containsExactly(FaxlanClient.sha256(pdf));
            assertThat(j.fields()).containsEntry("comment", "Signed copy attached.");
        });
    }

    /** Without STARTTLS: EHLO offers no AUTH, so swaks cannot log in, and no job is made. */
    @Test
    void withoutTlsNoLoginIsOfferedAndNoJobMade() throws Exception {
        SwaksRun r = send(tlsGateway, "<clear-1@smtp-tls-it>", "in clear", "+15551003", USER_PW, "--body", "hi");
        assertThat(r.transcript()).contains("<-  250-STARTTLS").doesNotContain("250-AUTH").doesNotContain("<-  235");
        assertThat(r.exit()).isNotZero();
        assertThat(jobs("in clear")).isEmpty();
    }

    /** A client that sends AUTH before STARTTLS anyway (Angus Mail's SMTP client, command by command): 538 5.7.11. */
    @Test
    void authBeforeStartTlsIs538AndMailThenNeedsALogin() throws Exception {
        Properties props = new Properties();
        props.setProperty("mail.smtp.starttls.enable", "false");
        props.setProperty("mail.smtp.timeout", "60000");
        SMTPTransport smtp = (SMTPTransport) Session.getInstance(props).getTransport("smtp");
        smtp.connect("127.0.0.1", tlsGateway.address().getPort(), null, null);
        try {
            assertThat(smtp.supportsExtension("STARTTLS")).isTrue();
            assertThat(smtp.supportsExtension("AUTH")).isFalse();
            String plain = Base64.getEncoder().encodeToString(("\0" + USER + "\0" + USER_PW).getBytes(StandardCharsets.UTF_8));
            assertThat(smtp.simpleCommand("AUTH PLAIN " + plain)).isEqualTo(538);
            assertThat(smtp.getLastServerResponse()).startsWith("538 5.7.11 ");
            assertThat(smtp.simpleCommand("MAIL FROM:<clerk@example.org>")).isEqualTo(530);
        } finally {
            smtp.close();
        }
    }

    /** auth.without.tls=loopback: a client on 127.0.0.1 logs in without STARTTLS. */
    @Test
    void loopbackClientsMayLogInWithoutTlsWhenConfigured() throws Exception {
        try (SmtpGateway loopback = SmtpGateway.start(config("auth.without.tls", "loopback"), new InetSocketAddress("127.0.0.1", 0),
                server.address(), null)) {
            SwaksRun r = send(loopback, "<loop-1@smtp-tls-it>", "loopback clear", "+15551004", USER_PW, "--body", "hi");
            assertThat(r.transcript()).contains("<-  250-AUTH PLAIN LOGIN").doesNotContain("STARTTLS");
            assertThat(r.dataReply()).as(r.transcript()).startsWith("250 fax jobs ");
            assertThat(jobs("loopback clear")).hasSize(1);
        }
    }

    /**
     * auth.without.tls=loopback lets in loopback clients only: a client connecting from this host's
     * network address is offered no AUTH and refused with 538, STARTTLS being not configured.
     */
    @Test
    void loopbackMeansLoopbackClientsOnly() throws Exception {
        InetAddress lan = nonLoopbackAddress();
        Assumptions.assumeTrue(lan != null, "this host has no network address besides loopback");
        try (SmtpGateway loopback = SmtpGateway.start(config("auth.without.tls", "loopback"), new InetSocketAddress(lan, 0),
                server.address(), null)) {
            Properties props = new Properties();
            props.setProperty("mail.smtp.timeout", "60000");
            props.setProperty("mail.smtp.localaddress", lan.getHostAddress());
            SMTPTransport smtp = (SMTPTransport) Session.getInstance(props).getTransport("smtp");
            smtp.connect(lan.getHostAddress(), loopback.address().getPort(), null, null);
            try {
                assertThat(smtp.supportsExtension("AUTH")).isFalse();
                assertThat(smtp.supportsExtension("STARTTLS")).isFalse();
                String plain = Base64.getEncoder().encodeToString(("\0" + USER + "\0" + USER_PW).getBytes(StandardCharsets.UTF_8));
                assertThat(smtp.simpleCommand("AUTH PLAIN " + plain)).isEqualTo(538);
                assertThat(smtp.getLastServerResponse()).startsWith("538 5.7.11 Encryption required: without STARTTLS this gateway takes logins only");
            } finally {
                smtp.close();
            }
        }
    }

    /** An IPv4 address of this host's own network interfaces that is not loopback, or null. */
    static InetAddress nonLoopbackAddress() throws Exception {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ni.isLoopback()) continue;
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) return a;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ helpers

    static SmtpGatewayConfig config(String... kv) throws Exception {
        Properties p = new Properties();
        p.setProperty("fax.domain", DOMAIN);
        for (int i = 0; i < kv.length; i += 2) p.setProperty(kv[i], kv[i + 1]);
        return SmtpGatewayConfig.parse(p);
    }

    static FaxlanClient client(String user, String pw) {
        return FaxlanClient.builder().server(server.address()).user(user).password(pw.toCharArray()).timeout(java.time.Duration.ofSeconds(30)).build();
    }

    static List<Job> jobs(String subject) {
        try (FaxlanClient c = client(USER, USER_PW)) {
            return c.jobs(true).stream().filter(j -> subject.equals(j.subject())).toList();
        }
    }

    /** A recipient starting with '+' gets a leading space, which swaks drops: it reads a leading '+' as an option prefix. */
    static SwaksRun send(SmtpGateway gw, String messageId, String subject, String number, String password, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--server", "127.0.0.1:" + gw.address().getPort(), "--from", "clerk@example.org",
                "--to", " " + number + "@" + DOMAIN, "--header", "Message-Id: " + messageId, "--header", "Subject: " + subject,
                "--timeout", "90", "--auth", "PLAIN", "--auth-user", USER, "--auth-password", password));
        args.addAll(List.of(more));
        return SwaksRun.run(dir, args);
    }
}
