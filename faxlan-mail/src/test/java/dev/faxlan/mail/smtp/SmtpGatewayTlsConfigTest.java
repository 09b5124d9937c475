package dev.faxlan.mail.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.mail.fax.BodyPlacement;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ssl.SSLSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Properties;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings of STARTTLS, logins before it and the body: each problem named, all at once. */
class SmtpGatewayTlsConfigTest {
    @TempDir
    Path dir;

    @Test
    void withoutTlsOrLoopbackNoOneCouldLogInAndThatIsAProblem() {
        assertThat(problems("fax.domain", "fax.example.org")).containsExactly(
                "no sender can log in: AUTH needs STARTTLS (set tls.certificate and tls.key), or set auth.without.tls=loopback"
                        + " to let clients on this host log in without it (or let allow-listed senders in without AUTH: senders.file)");
        assertThat(SmtpGatewayConfig.noWayToLogIn(true, AuthWithoutTls.NEVER, false)).isNull();
        assertThat(SmtpGatewayConfig.noWayToLogIn(false, AuthWithoutTls.LOOPBACK, false)).isNull();
        assertThat(SmtpGatewayConfig.noWayToLogIn(false, AuthWithoutTls.NEVER, true)).as("allow-listed senders need no login").isNull();
    }

    @Test
    void defaultsAreCoverAndNeverAndNoTls() throws Exception {
        SmtpGatewayConfig c = SmtpGatewayConfig.parse(props("fax.domain", "fax.example.org", "auth.without.tls", "loopback"));
        assertThat(c.tls()).isNull();
        assertThat(c.bodyAs()).isEqualTo(BodyPlacement.COVER);
        assertThat(c.authWithoutTls()).isEqualTo(AuthWithoutTls.LOOPBACK);
        assertThat(SmtpGatewayConfig.parse(props("fax.domain", "f.example", "auth.without.tls", "LOOPBACK", "body.as", "Page")).bodyAs())
                .isEqualTo(BodyPlacement.PAGE);
    }

    @Test
    void badChoicesAreListedEachWithTheAllowedValues() {
        assertThat(problems("fax.domain", "fax.example.org", "auth.without.tls", "always", "body.as", "attachment")).containsExactlyInAnyOrder(
                "auth.without.tls must be never or loopback, not 'always'",
                "body.as must be cover or page, not 'attachment'");
    }

    @Test
    void aPkcs8KeyAndATraditionalKeyBothWork() throws Exception {
        KeyPair ec = ecPair();
        KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
        rsaGenerator.initialize(2048);
        KeyPair rsa = rsaGenerator.generateKeyPair();
        Path pkcs8 = pem(dir.resolve("pkcs8.key"), new JcaPKCS8Generator(ec.getPrivate(), null));
        Path traditional = pem(dir.resolve("traditional.key"), rsa);
        assertThat(Files.readString(pkcs8)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(traditional)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        for (Path[] certAndKey : new Path[][] {{certificate(ec, "gw.example.org"), pkcs8}, {certificate(rsa, "gw.example.org", "rsa.crt"), traditional}}) {
            SmtpGatewayConfig c = SmtpGatewayConfig.parse(props("fax.domain", "fax.example.org", "tls.certificate", certAndKey[0].toString(),
                    "tls.key", certAndKey[1].toString()));
            assertThat(c.tls()).isNotNull();
            assertThat(c.tls().certificate().getSubjectX500Principal().getName()).isEqualTo("CN=gw.example.org");
            assertThat(c.authWithoutTls()).isEqualTo(AuthWithoutTls.NEVER);
        }
    }

    @Test
    void everyTlsProblemIsNamedWithItsFile() throws Exception {
        KeyPair pair = ecPair();
        Path cert = certificate(pair, "gw.example.org");
        Path key = pem(dir.resolve("key.pem"), new JcaPKCS8Generator(pair.getPrivate(), null));
        Path otherKey = pem(dir.resolve("other.pem"), new JcaPKCS8Generator(ecPair().getPrivate(), null));
        Path encrypted = pem(dir.resolve("encrypted.pem"), new JcaPKCS8Generator(pair.getPrivate(),
                new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC).setProvider(new BouncyCastleProvider()).setPassword("secret".toCharArray()).build()));
        Path notPem = Files.writeString(dir.resolve("notes.txt"), "hello\n");
        Path missing = dir.resolve("missing.pem");

        assertThat(problems("fax.domain", "f.example", "tls.certificate", cert.toString()))
                .containsExactly("tls.certificate is set but tls.key is not: STARTTLS needs both PEM files");
        assertThat(problems("fax.domain", "f.example", "tls.key", key.toString()))
                .containsExactly("tls.key is set but tls.certificate is not: STARTTLS needs both PEM files");
        assertThat(problems("fax.domain", "f.example", "tls.certificate", cert.toString(), "tls.key", otherKey.toString()))
                .containsExactly("tls: " + otherKey + ": this key does not belong to the first certificate of " + cert);
        assertThat(problems("fax.domain", "f.example", "tls.certificate", cert.toString(), "tls.key", encrypted.toString()))
                .singleElement().asString().startsWith("tls: " + encrypted + ": the private key is encrypted");
        assertThat(problems("fax.domain", "f.example", "tls.certificate", notPem.toString(), "tls.key", key.toString()))
                .containsExactly("tls: " + notPem + ": no PEM certificate (-----BEGIN CERTIFICATE-----) in it");
        assertThat(problems("fax.domain", "f.example", "tls.certificate", cert.toString(), "tls.key", cert.toString()))
                .singleElement().asString().startsWith("tls: " + cert + ": no PEM private key");
        assertThat(problems("fax.domain", "f.example", "tls.certificate", missing.toString(), "tls.key", key.toString()))
                .containsExactly("tls: " + missing + ": no such file");
    }

    /** TLS 1.2 and 1.3 only, whatever else the JDK supports; cipher suites are the JDK's defaults. */
    @Test
    void startTlsSocketsSpeakOnlyTls12And13() throws Exception {
        KeyPair pair = ecPair();
        Path cert = certificate(pair, "gw.example.org");
        Path key = pem(dir.resolve("key.pem"), new JcaPKCS8Generator(pair.getPrivate(), null));
        StartTls tls = SmtpGatewayConfig.parse(props("fax.domain", "f.example", "tls.certificate", cert.toString(), "tls.key", key.toString())).tls();
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
                Socket accepted = listener.accept();
                SSLSocket s = tls.createSSLSocket(accepted)) {
            assertThat(s.getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
            assertThat(s.getUseClientMode()).isFalse();
            assertThat(s.getEnabledCipherSuites()).containsExactlyInAnyOrder(
                    ((javax.net.ssl.SSLSocketFactory) javax.net.ssl.SSLSocketFactory.getDefault()).getDefaultCipherSuites());
        }
    }

    @Test
    void loopbackMeansTheClientsAddressNotTheGatewaysOne() {
        assertThat(AuthWithoutTls.LOOPBACK.allows(new InetSocketAddress("127.0.0.1", 40000))).isTrue();
        assertThat(AuthWithoutTls.LOOPBACK.allows(new InetSocketAddress("::1", 40000))).isTrue();
        assertThat(AuthWithoutTls.LOOPBACK.allows(new InetSocketAddress("192.0.2.7", 40000))).isFalse();
        assertThat(AuthWithoutTls.NEVER.allows(new InetSocketAddress("127.0.0.1", 40000))).isFalse();
    }

    // ------------------------------------------------------------------ helpers

    private static java.util.List<String> problems(String... kv) {
        try {
            SmtpGatewayConfig.parse(props(kv));
        } catch (SmtpGatewayConfig.Invalid e) {
            return e.problems();
        }
        throw new AssertionError("the configuration was taken: " + String.join(" ", kv));
    }

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) p.setProperty(kv[i], kv[i + 1]);
        return p;
    }

    private static KeyPair ecPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private Path certificate(KeyPair pair, String name) throws Exception {
        return certificate(pair, name, name + ".crt");
    }

    private Path certificate(KeyPair pair, String name, String file) throws Exception {
        X500Name subject = new X500Name("CN=" + name);
        Instant now = Instant.now();
        X509CertificateHolder holder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(30, ChronoUnit.DAYS)), subject, pair.getPublic())
                .build(new JcaContentSignerBuilder(pair.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA")
                        .build(pair.getPrivate()));
        return pem(dir.resolve(file), holder);
    }

    private static Path pem(Path file, Object o) throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(o instanceof JcaPKCS8Generator g ? g.generate() : o);
        }
        return Files.writeString(file, w.toString());
    }

    @Test
    void anUnreadableConfigurationIsNeverPartlyTaken() {
        assertThatThrownBy(() -> SmtpGatewayConfig.parse(props("fax.domain", "f.example", "body.as", "x", "auth.without.tls", "loopback")))
                .isInstanceOf(SmtpGatewayConfig.Invalid.class);
    }
}
