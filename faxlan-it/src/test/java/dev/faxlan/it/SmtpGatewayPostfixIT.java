package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.mail.smtp.SmtpGateway;
import dev.faxlan.mail.smtp.SmtpGatewayConfig;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.Job;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/mail.md's Postfix relay, for real: a Postfix started by the test on a loopback port relays the
 * fax domain to the gateway, starts TLS with the gateway's certificate pinned by its fingerprint
 * (the {@code smtp_tls_*} settings of the docs), logs in with SASL after it, and the message becomes
 * a job of the relay's account.
 */
class SmtpGatewayPostfixIT {
    static final String ADMIN_PW = "postfix-admin-pw-1";
    static final String USER = "mailfax";
    static final String USER_PW = "mailfax-password-1";
    static final String DOMAIN = "fax.example.org";
    @TempDir
    static Path dir;
    static FaxlanServer server;
    static SmtpGateway gateway;
    static Postfix postfix;

    @BeforeAll
    static void start() throws Exception {
        SwaksRun.executable();
        String openssl = SwaksRun.require("openssl", "openssl");
        Postfix.require();
        Path cert = dir.resolve("smtp-gateway.crt");
        Path key = dir.resolve("smtp-gateway.key");
        run(openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "825",
                "-keyout", key.toString(), "-out", cert.toString(), "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1");
        // "sha256 Fingerprint=5E:1C:...", as docs/mail.md prints it
        String fingerprint = run(openssl, "x509", "-in", cert.toString(), "-noout", "-fingerprint", "-sha256").strip().replaceFirst("^.*=", "");

        server = TestTrunk.start(ServerConfig.defaults().withDataDir(dir.resolve("data"))
                .withBind(new InetSocketAddress("127.0.0.1", 0)).withName("smtp-postfix-it").withAdminPassword(ADMIN_PW));
        try (FaxlanClient admin = client("admin", ADMIN_PW)) {
            admin.addUser(USER, USER_PW.toCharArray(), "user");
        }
        Properties p = new Properties();
        p.setProperty("fax.domain", DOMAIN);
        p.setProperty("tls.certificate", cert.toString());
        p.setProperty("tls.key", key.toString());
        gateway = SmtpGateway.start(SmtpGatewayConfig.parse(p), new InetSocketAddress("127.0.0.1", 0), server.address(), null);

        String next = "[127.0.0.1]:" + gateway.address().getPort();
        // main.cf's relay lines as docs/mail.md has them, the lookup tables in the instance's config directory
        postfix = Postfix.start(dir, List.of(), new Postfix.Options()
                .table("transport", DOMAIN + "    smtp:" + next + "\n")
                .table("tls_policy", next + "    fingerprint match=" + fingerprint + "\n")
                .table("sasl_passwd", next + "    " + USER + ":" + USER_PW + "\n")
                .mainCf(
                        // the TLS outcome in the log, for the test to read
                        "smtp_tls_loglevel = 1",
                        "relay_domains = " + DOMAIN,
                        "transport_maps = hash:$config_directory/transport",
                        "smtp_sasl_auth_enable = yes",
                        "smtp_sasl_password_maps = hash:$config_directory/sasl_passwd",
                        "smtp_sasl_security_options = noanonymous",
                        "smtp_sasl_tls_security_options = noanonymous",
                        "smtp_tls_security_level = may",
                        "smtp_tls_policy_maps = hash:$config_directory/tls_policy",
                        "smtp_tls_fingerprint_digest = sha256"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (postfix != null) postfix.close();
        if (gateway != null) gateway.close();
        if (server != null) server.close();
    }

    @Test
    void postfixRelaysOverPinnedTlsWithSaslAndTheMessageIsAJob() throws Exception {
        SwaksRun r = SwaksRun.run(dir, List.of("--server", "127.0.0.1:" + postfix.port(), "--from", "clerk@example.org",
                "--to", " +15553001@" + DOMAIN, "--header", "Subject: through postfix", "--body", "Relayed by Postfix.", "--timeout", "90"));
        assertThat(r.transcript()).as(r.transcript()).contains("<-  250 2.0.0 Ok: queued");
        Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(jobs("through postfix")).as(maillog()).hasSize(1));
        Job job = jobs("through postfix").get(0);
        assertThat(job.to()).isEqualTo("+15553001");
        assertThat(job.owner()).isEqualTo(USER);
        // Postfix checked the gateway's certificate against the pinned fingerprint before it logged in.
        assertThat(maillog()).contains("Verified TLS connection established to 127.0.0.1[127.0.0.1]:" + gateway.address().getPort())
                .containsPattern("status=sent \\(250 fax jobs " + job.id() + "\\)");
    }

    // ------------------------------------------------------------------ helpers

    static String maillog() throws IOException {
        Path log = postfix.log();
        return Files.exists(log) ? Files.readString(log) : "(no maillog)";
    }

    static FaxlanClient client(String user, String pw) {
        return FaxlanClient.builder().server(server.address()).user(user).password(pw.toCharArray()).timeout(Duration.ofSeconds(30)).build();
    }

    static List<Job> jobs(String subject) {
        try (FaxlanClient c = client(USER, USER_PW)) {
            return c.jobs(true).stream().filter(j -> subject.equals(j.subject())).toList();
        }
    }

    /** Runs a command to its end; its output, or a failure with it. */
    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        return out;
    }
}
