package dev.faxlan.web.tls;

import dev.faxlan.cli.tls.PemIdentity;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The TLS identity of {@code faxlan web}: the configured certificate and key (PEM), or without them
 * on an address other than loopback a self-signed one made on first start in the data directory
 * ({@code tls/web.crt}, {@code tls/web.key}, owner-only) and kept, so that users pin its fingerprint
 * once as they pin the fax server's. Plain HTTP is left only for loopback, where no one else listens.
 *
 * @param keyStore the key and chain for Jetty's TLS connector
 * @param certificate the certificate served (the first of the chain)
 * @param made whether it was made by this start (a new fingerprint to tell users)
 */
public record WebTls(KeyStore keyStore, X509Certificate certificate, boolean made) {
    public static final String ALIAS = "faxlan-web";
    public static final char[] STORE_PASSWORD = new char[0];

    /** A certificate or key that cannot be used; the message names the file and what is wrong. */
    public static final class Unusable extends Exception {
        public Unusable(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The identity for listening on {@code listen}: the configured one ({@code certificate} and {@code key}
     * both set), else a self-signed one in {@code dataDir} unless {@code listen} is loopback; null for plain HTTP.
     */
    public static WebTls forListen(Path certificate, Path key, Path dataDir, InetSocketAddress listen) throws Unusable {
        if (certificate != null) return load(certificate, key, false);
        if (listen.getAddress().isLoopbackAddress()) return null;
        return selfSigned(dataDir.resolve("tls"));
    }

    /** SHA-256 of the certificate, as {@code openssl x509 -fingerprint -sha256} prints it. */
    public String fingerprint() {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key pin as curl's {@code --pinnedpubkey} takes it: {@code sha256//} and the base64 SHA-256 of the key. */
    public String publicKeyPin() {
        try {
            return "sha256//" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static WebTls selfSigned(Path dir) throws Unusable {
        Path cert = dir.resolve("web.crt");
        Path key = dir.resolve("web.key");
        if (Files.exists(cert) && Files.exists(key)) return load(cert, key, false);
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = gen.generateKeyPair();
            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=faxlan web,O=faxlan");
            byte[] serial = new byte[16];
            new SecureRandom().nextBytes(serial);
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, new BigInteger(1, serial), Date.from(now.minus(1, ChronoUnit.DAYS)),
                    Date.from(now.plus(3650, ChronoUnit.DAYS)), subject, pair.getPublic());
            // Clients connect by the host's name or address, which this process cannot know: the pin, not the name, is what they check.
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            X509CertificateHolder holder = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(holder);
            writePrivately(key, pem(new JcaPKCS8Generator(pair.getPrivate(), null)));
            writePrivately(cert, pem(certificate));
            return new WebTls(new PemIdentity(pair.getPrivate(), List.of(certificate)).keyStore(ALIAS, STORE_PASSWORD), certificate, true);
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new Unusable("cannot make a certificate in " + dir + ": " + e.getMessage());
        }
    }

    static WebTls load(Path certFile, Path keyFile, boolean made) throws Unusable {
        PemIdentity identity;
        try {
            identity = PemIdentity.load(certFile, keyFile);
        } catch (PemIdentity.Unusable e) {
            throw new Unusable(e.getMessage());
        }
        try {
            return new WebTls(identity.keyStore(ALIAS, STORE_PASSWORD), identity.certificate(), made);
        } catch (GeneralSecurityException | IOException e) {
            throw new Unusable(certFile + ": cannot be used for TLS: " + e.getMessage());
        }
    }

    private static String pem(Object o) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        }
        return sw.toString();
    }

    /** Written owner-only (0600) and renamed into place, so a crash leaves no half key. */
    private static void writePrivately(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }
}
