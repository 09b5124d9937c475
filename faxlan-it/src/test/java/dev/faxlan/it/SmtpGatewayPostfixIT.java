package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.mail.smtp.SmtpGateway;
import dev.faxlan.mail.smtp.SmtpGatewayConfig;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.Job;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import dev.faxlan.testkit.PortRetry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
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
    static String postfix;
    /** The Postfix instance's configuration and queue: outside the test's private directory, which Postfix's own user cannot enter. */
    static Path instance;
    static int postfixPort;

    @BeforeAll
    static void start() throws Exception {
        SwaksRun.executable();
        String openssl = SwaksRun.require("openssl", "openssl");
        postfix = SwaksRun.require("postfix", "postfix");
        SwaksRun.require("postmap", "postfix");
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

        instance = Files.createTempDirectory("faxlan-postfix-it");
        Files.setPosixFilePermissions(instance, PosixFilePermissions.fromString("rwxr-xr-x"));
        String next = "[127.0.0.1]:" + gateway.address().getPort();
        Files.writeString(instance.resolve("transport"), DOMAIN + "    smtp:" + next + "\n");
        Files.writeString(instance.resolve("tls_policy"), next + "    fingerprint match=" + fingerprint + "\n");
        Path sasl = Files.writeString(instance.resolve("sasl_passwd"), next + "    " + USER + ":" + USER_PW + "\n");
        Files.setPosixFilePermissions(sasl, PosixFilePermissions.fromString("rw-------"));
        Files.createDirectories(instance.resolve("queue"));
        Path data = Files.createDirectories(instance.resolve("data"));
        run("chown", "postfix", data.toString());
        postfixPort = PortRetry.onAddressInUse("postfix", attempt -> startPostfix(PortRetry.freeUdpAndTcp(InetAddress.getLoopbackAddress())));
    }

    /** Writes main.cf and master.cf for {@code port} and starts the instance; a port taken meanwhile is reported as such. */
    static int startPostfix(int port) throws Exception {
        String i = instance.toString();
        Files.writeString(instance.resolve("main.cf"), String.join("\n",
                "compatibility_level = 3.6",
                "queue_directory = " + i + "/queue",
                "data_directory = " + i + "/data",
                "maillog_file_prefixes = " + i,
                "maillog_file = " + i + "/maillog",
                "inet_interfaces = 127.0.0.1",
                "inet_protocols = ipv4",
                "myhostname = relay.example.org",
                "mydestination =",
                "mynetworks = 127.0.0.0/8",
                "smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination",
                // the TLS outcome in the log, for the test to read
                "smtp_tls_loglevel = 1",
                // as docs/mail.md has them
                "relay_domains = " + DOMAIN,
                "transport_maps = hash:" + i + "/transport",
                "smtp_sasl_auth_enable = yes",
                "smtp_sasl_password_maps = hash:" + i + "/sasl_passwd",
                "smtp_sasl_security_options = noanonymous",
                "smtp_sasl_tls_security_options = noanonymous",
                "smtp_tls_security_level = may",
                "smtp_tls_policy_maps = hash:" + i + "/tls_policy",
                "smtp_tls_fingerprint_digest = sha256",
                ""));
        Files.writeString(instance.resolve("master.cf"), String.join("\n",
                "127.0.0.1:" + port + " inet n - n - - smtpd",
                "pickup unix n - n 60 1 pickup",
                "cleanup unix n - n - 0 cleanup",
                "qmgr unix n - n 300 1 qmgr",
                "tlsmgr unix - - n 1000? 1 tlsmgr",
                "rewrite unix - - n - - trivial-rewrite",
                "bounce unix - - n - 0 bounce",
                "defer unix - - n - 0 bounce",
                "trace unix - - n - 0 bounce",
                "verify unix - - n - 1 verify",
                "flush unix n - n 1000? 0 flush",
                "proxymap unix - - n - - proxymap",
                "smtp unix - - n - - smtp",
                "relay unix - - n - - smtp",
                "showq unix n - n - - showq",
                "error unix - - n - - error",
                "retry unix - - n - - error",
                "discard unix - - n - - discard",
                "anvil unix - - n - 1 anvil",
                "scache unix - - n - 1 scache",
                "postlog unix-dgram n - n - 1 postlogd",
                ""));
        run("postmap", "-c", i, i + "/transport", i + "/tls_policy", i + "/sasl_passwd");
        run(postfix, "-c", i, "set-permissions");
        Process p = new ProcessBuilder(postfix, "-c", i, "start").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean started = p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        if (!started) {
            String log = Files.exists(instance.resolve("maillog")) ? Files.readString(instance.resolve("maillog")) : "";
            if (PortRetry.inUse(log)) throw new PortRetry.PortTaken("postfix: port " + port + " in use");
            throw new IllegalStateException("postfix did not start: " + out + log);
        }
        return port;
    }

    @AfterAll
    static void stop() throws Exception {
        if (instance != null && Files.exists(instance.resolve("main.cf"))) {
            new ProcessBuilder(postfix, "-c", instance.toString(), "stop").redirectErrorStream(true).start().waitFor(120, TimeUnit.SECONDS);
        }
        if (gateway != null) gateway.close();
        if (server != null) server.close();
        if (instance != null) {
            try (var files = Files.walk(instance)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void postfixRelaysOverPinnedTlsWithSaslAndTheMessageIsAJob() throws Exception {
        SwaksRun r = SwaksRun.run(dir, List.of("--server", "127.0.0.1:" + postfixPort, "--from", "clerk@example.org",
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
        Path log = instance.resolve("maillog");
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
        Process p = new ProcessBuilder(new ArrayList<>(List.of(cmd))).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        return out;
    }
}
