package dev.faxlan.mail.smarthost;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** smarthost.ca.file: a PEM file of CA certificates, each problem with it named like the other keys'. */
class SmarthostSettingsTest {
    @TempDir
    Path dir;

    @Test
    void aPemFileOfCertificatesIsTrustedInsteadOfTheJdks() throws Exception {
        Path ca = Files.writeString(dir.resolve("office-ca.pem"), pem("office CA"));
        List<String> problems = new ArrayList<>();
        SmarthostSettings s = SmarthostSettings.parse(props("smarthost.ca.file", ca.toString()), problems);
        assertThat(problems).isEmpty();
        assertThat(s.trust()).isNotNull();
        assertThat(SmarthostSettings.parse(props(), problems).trust()).as("without the key: the JDK's trust store").isNull();
    }

    @Test
    void aMissingFileAFileWithoutCertificatesAndCaWithoutTlsAreProblems() throws Exception {
        Path missing = dir.resolve("missing.pem");
        Path text = Files.writeString(dir.resolve("notes.pem"), "not a certificate\n");
        Path ca = Files.writeString(dir.resolve("office-ca.pem"), pem("office CA"));
        assertThat(problems("smarthost.ca.file", missing.toString())).singleElement().asString()
                .startsWith("smarthost.ca.file " + missing + " is not a readable PEM file of certificates: ");
        assertThat(problems("smarthost.ca.file", text.toString())).singleElement().asString()
                .startsWith("smarthost.ca.file " + text + " is not a readable PEM file of certificates: ");
        assertThat(problems("smarthost.ca.file", ca.toString(), "smarthost.tls", "none"))
                .containsExactly("smarthost.ca.file is set but smarthost.tls is none (no certificate is checked)");
    }

    @Test
    void anEmptyPemFileIsNamedAsHavingNoCertificate() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        assertThat(problems("smarthost.ca.file", empty.toString())).singleElement().asString().endsWith("no certificate in it");
    }

    @Test
    void theKeyIsKnownToTheGateways() {
        assertThat(SmarthostSettings.KEYS).contains("smarthost.ca.file");
    }

    private List<String> problems(String... kv) {
        List<String> problems = new ArrayList<>();
        assertThat(SmarthostSettings.parse(props(kv), problems)).isNull();
        return problems;
    }

    private static Properties props(String... kv) {
        Properties p = new Properties();
        p.setProperty("smarthost.host", "mail.example.org");
        p.setProperty("smarthost.from", "fax@example.org");
        for (int i = 0; i < kv.length; i += 2) p.setProperty(kv[i], kv[i + 1]);
        return p;
    }

    /** A self-signed certificate in PEM. */
    private static String pem(String cn) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair k = g.generateKeyPair();
        X500Name name = new X500Name("CN=" + cn);
        Instant now = Instant.now();
        X509CertificateHolder cert = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now.minus(1, ChronoUnit.DAYS)),
                Date.from(now.plus(2, ChronoUnit.DAYS)), name, k.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(k.getPrivate()));
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(cert);
        }
        return w.toString();
    }
}
