package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.mail.smarthost.Smarthost;
import dev.faxlan.mail.smarthost.SmarthostSettings;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * faxlan's outgoing mail through an office mail server as docs/mail.md sets it up: a real Postfix
 * whose submission listener requires STARTTLS (a certificate from the office's own CA) and SMTP AUTH
 * (checked by a real Dovecot's auth service over its socket), and {@link Smarthost} with
 * {@code smarthost.tls=starttls}, a user, a password file and {@code smarthost.ca.file}. What must
 * not go out (a wrong password, a server without STARTTLS, a certificate from another CA) throws
 * before a message is handed over, and Postfix delivers none of it.
 */
class SmarthostTlsIT {
    static final String TO = "alice";
    @TempDir
    static Path dir;
    static DovecotFixture dovecot;
    static Postfix postfix;
    static Path ca;
    static Path otherCa;
    static Path passwordFile;

    @BeforeAll
    static void start() throws Exception {
        Postfix.require();
        String openssl = SwaksRun.require("openssl", "openssl");
        Path certs = Files.createDirectories(dir.resolve("certs"));
        ca = authority(openssl, certs, "office-ca", "faxlan test office CA");
        otherCa = authority(openssl, certs, "other-ca", "some other CA");
        // the server's certificate, signed by the office CA, for the name the smarthost is reached by
        Path key = certs.resolve("mail.key");
        run(openssl, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.toString(),
                "-out", certs.resolve("mail.csr").toString(), "-subj", "/CN=localhost");
        Path ext = Files.writeString(certs.resolve("mail.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n");
        Path cert = certs.resolve("mail.pem");
        run(openssl, "x509", "-req", "-in", certs.resolve("mail.csr").toString(), "-CA", ca.toString(), "-CAkey", certs.resolve("office-ca.key").toString(),
                "-CAcreateserial", "-days", "2", "-extfile", ext.toString(), "-out", cert.toString());

        // Dovecot checks the passwords Postfix is given (smtpd_sasl_type=dovecot): its auth service on a socket Postfix may use
        dovecot = DovecotFixture.start(dir.resolve("dovecot"), "service auth {\n  unix_listener auth-postfix {\n    mode = 0666\n  }\n}");
        passwordFile = Files.writeString(dir.resolve("smarthost.password"), DovecotFixture.PASSWORD + "\n");

        postfix = Postfix.start(dir, List.of(TO), new Postfix.Options()
                .mainCf(
                        "smtpd_tls_cert_file = " + cert,
                        "smtpd_tls_key_file = " + key,
                        // the first listener offers no STARTTLS at all
                        "smtpd_tls_security_level = none",
                        "smtpd_tls_loglevel = 1",
                        "smtpd_sasl_type = dovecot",
                        "smtpd_sasl_path = " + dovecot.socket("auth-postfix"))
                .submission(
                        "smtpd_tls_security_level=encrypt",
                        "smtpd_tls_auth_only=yes",
                        "smtpd_sasl_auth_enable=yes",
                        "smtpd_relay_restrictions=permit_sasl_authenticated,reject",
                        "smtpd_recipient_restrictions=permit_sasl_authenticated,reject"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (postfix != null) postfix.close();
        if (dovecot != null) dovecot.close();
    }

    @Test
    void startTlsWithTheOfficeCaAndAuthDelivers() throws Exception {
        Smarthost smarthost = smarthost(postfix.submissionPort(), ca, DovecotFixture.PASSWORD);
        smarthost.send(message(smarthost, "over starttls and auth"));
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(postfix.messages(TO, "Subject", "over starttls and auth")).as(log()).hasSize(1));
        // Postfix took it from the authenticated user, over TLS
        assertThat(log()).contains("sasl_username=" + DovecotFixture.USER).contains("TLS connection established from localhost[127.0.0.1]");
    }

    @Test
    void aWrongPasswordThrowsAndNothingIsDelivered() throws Exception {
        Smarthost smarthost = smarthost(postfix.submissionPort(), ca, "not-the-password");
        assertThatThrownBy(() -> smarthost.send(message(smarthost, "wrong password"))).isInstanceOf(AuthenticationFailedException.class);
        assertNotDelivered("wrong password");
    }

    @Test
    void aServerWithoutStartTlsIsNotSentToInClearText() throws Exception {
        Smarthost smarthost = smarthost(postfix.port(), ca, DovecotFixture.PASSWORD);
        assertThatThrownBy(() -> smarthost.send(message(smarthost, "clear text"))).isInstanceOf(MessagingException.class)
                .hasMessageContaining("STARTTLS");
        assertNotDelivered("clear text");
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() throws Exception {
        Smarthost smarthost = smarthost(postfix.submissionPort(), otherCa, DovecotFixture.PASSWORD);
        assertThatThrownBy(() -> smarthost.send(message(smarthost, "other ca"))).isInstanceOf(MessagingException.class)
                .extracting(SmarthostTlsIT::causes, InstanceOfAssertFactories.list(Throwable.class))
                .anyMatch(t -> t instanceof SSLHandshakeException);
        assertNotDelivered("other ca");
    }

    // ------------------------------------------------------------------ helpers

    /**
     * A refused message was never handed over, so it cannot arrive later: a good message sent after it
     * arrives, and by then the refused one is still not there.
     */
    static void assertNotDelivered(String subject) throws Exception {
        Smarthost good = smarthost(postfix.submissionPort(), ca, DovecotFixture.PASSWORD);
        String marker = "after " + subject;
        good.send(message(good, marker));
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(postfix.messages(TO, "Subject", marker)).as(log()).hasSize(1));
        assertThat(postfix.messages(TO, "Subject", subject)).isEmpty();
    }

    /** The smarthost as a gateway's properties file configures it. */
    static Smarthost smarthost(int port, Path caFile, String password) throws Exception {
        Path pw = Files.writeString(Files.createTempFile(dir, "password", ""), password + "\n");
        Properties p = new Properties();
        p.setProperty("smarthost.host", "127.0.0.1");
        p.setProperty("smarthost.port", Integer.toString(port));
        p.setProperty("smarthost.tls", "starttls");
        p.setProperty("smarthost.user", DovecotFixture.USER);
        p.setProperty("smarthost.password.file", pw.toString());
        p.setProperty("smarthost.ca.file", caFile.toString());
        p.setProperty("smarthost.from", "fax@example.org");
        p.setProperty("smarthost.timeout.seconds", "60");
        List<String> problems = new ArrayList<>();
        SmarthostSettings s = SmarthostSettings.parse(p, problems);
        assertThat(problems).isEmpty();
        return new Smarthost(s);
    }

    static MimeMessage message(Smarthost smarthost, String subject) throws MessagingException {
        MimeMessage m = smarthost.newMessage();
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(TO + "@" + Postfix.DOMAIN));
        m.setSubject(subject);
        m.setText("Sent by SmarthostTlsIT.");
        return m;
    }

    static List<Throwable> causes(Throwable t) {
        List<Throwable> all = new ArrayList<>();
        for (Throwable c = t; c != null && !all.contains(c); c = c.getCause()) all.add(c);
        return all;
    }

    static String log() throws Exception {
        return Files.exists(postfix.log()) ? Files.readString(postfix.log()) : "(no log)";
    }

    /** A self-signed CA: NAME.key and NAME.pem in {@code certs}; returns the certificate. */
    static Path authority(String openssl, Path certs, String name, String cn) throws Exception {
        Path pem = certs.resolve(name + ".pem");
        run(openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-keyout", certs.resolve(name + ".key").toString(), "-out", pem.toString(), "-subj", "/CN=" + cn);
        return pem;
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        return out;
    }
}
