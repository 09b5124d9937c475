package dev.faxlan.server.identity;

import dev.faxlan.protocol.Fingerprint;
import dev.faxlan.server.files.PrivateFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The server's TLS identity: an EC P-256 key and a self-signed certificate, made on first start and
 * kept in the data directory. Clients pin its fingerprint, so it must survive restarts.
 */
public final class ServerIdentity {
    private final PrivateKey key;
    private final X509Certificate certificate;
    private final byte[] fingerprint;

    private ServerIdentity(PrivateKey key, X509Certificate certificate) throws Exception {
        this.key = key;
        this.certificate = certificate;
        this.fingerprint = Fingerprint.of(certificate.getEncoded());
    }

    public PrivateKey key() {
        return key;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public byte[] fingerprint() {
        return fingerprint.clone();
    }

    /** Loads {@code dir/server.key} and {@code dir/server.crt}, creating both on first use. */
    public static ServerIdentity loadOrCreate(Path dir, String name) throws Exception {
        Path keyFile = dir.resolve("server.key");
        Path certFile = dir.resolve("server.crt");
        if (Files.exists(keyFile) && Files.exists(certFile)) {
            return load(keyFile, certFile);
        }
        PrivateFiles.createDirectories(dir);
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        KeyPair pair = gen.generateKeyPair();
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=" + name.replaceAll("[,=+<>#;\"\\\\]", "_") + ",O=faxlan");
        byte[] serial = new byte[16];
        new SecureRandom().nextBytes(serial);
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(1, serial),
                Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(36500, ChronoUnit.DAYS)), subject, pair.getPublic());
        X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(holder);
        // PKCS#8, not SEC1: BouncyCastle writes SEC1 EC keys without the public part and cannot read them back.
        writeAtomically(keyFile, pem(new JcaPKCS8Generator(pair.getPrivate(), null)));
        writeAtomically(certFile, pem(cert));
        return new ServerIdentity(pair.getPrivate(), cert);
    }

    private static ServerIdentity load(Path keyFile, Path certFile) throws Exception {
        PrivateKey key;
        try (Reader r = Files.newBufferedReader(keyFile); PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair kp) key = conv.getKeyPair(kp).getPrivate();
            else if (o instanceof PrivateKeyInfo pki) key = conv.getPrivateKey(pki);
            else throw new IOException(keyFile + " does not hold a private key");
        }
        X509Certificate cert;
        try (Reader r = Files.newBufferedReader(certFile); PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            if (!(o instanceof X509CertificateHolder h)) throw new IOException(certFile + " does not hold a certificate");
            cert = new JcaX509CertificateConverter().getCertificate(h);
        }
        return new ServerIdentity(key, cert);
    }

    private static String pem(Object o) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        }
        return sw.toString();
    }

    /** Writes {@code file} by a rename, created 0600 from the start: a private key is never readable by others, not even for a moment. */
    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp); // a leftover of a crash may have other permissions
        try (FileChannel ch = PrivateFiles.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
            ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }
}
