package dev.faxlan.cli.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A service's TLS identity read from PEM files as openssl and ACME clients write them: the certificate
 * chain (the service's certificate first, then any intermediates) and its private key (PKCS#8
 * {@code PRIVATE KEY} or a traditional {@code RSA}/{@code EC PRIVATE KEY}, unencrypted). Used by every
 * faxlan process that serves TLS (the SMTP gateway's STARTTLS, the web server's HTTPS).
 *
 * @param key the private key, checked to belong to {@code chain.get(0)}
 * @param chain the certificates, the service's own first
 */
public record PemIdentity(PrivateKey key, List<X509Certificate> chain) {

    /** Not usable: the message names the file and what is wrong with it. */
    public static final class Unusable extends Exception {
        public Unusable(String message) {
            super(message, null, false, false);
        }
    }

    public PemIdentity {
        chain = List.copyOf(chain);
    }

    /** The certificate served: the first of the chain. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** Reads {@code certificateFile} and {@code keyFile}, and checks that the key is the certificate's. */
    public static PemIdentity load(Path certificateFile, Path keyFile) throws Unusable {
        List<X509Certificate> chain = new ArrayList<>();
        for (Object o : pemObjects(certificateFile)) {
            if (o instanceof X509CertificateHolder h) {
                try {
                    chain.add(new JcaX509CertificateConverter().getCertificate(h));
                } catch (GeneralSecurityException e) {
                    throw new Unusable(certificateFile + ": a certificate cannot be read: " + e.getMessage());
                }
            }
        }
        if (chain.isEmpty()) throw new Unusable(certificateFile + ": no PEM certificate (-----BEGIN CERTIFICATE-----) in it");
        PrivateKey key = privateKey(keyFile);
        if (!matches(key, chain.get(0))) {
            throw new Unusable(keyFile + ": this key does not belong to the first certificate of " + certificateFile);
        }
        return new PemIdentity(key, chain);
    }

    /** A PKCS#12 key store holding the key and chain under {@code alias} with {@code password}. */
    public KeyStore keyStore(String alias, char[] password) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(alias, key, password, chain.toArray(new Certificate[0]));
        return store;
    }

    private static PrivateKey privateKey(Path keyFile) throws Unusable {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        for (Object o : pemObjects(keyFile)) {
            try {
                if (o instanceof PrivateKeyInfo info) return converter.getPrivateKey(info);
                // A traditional key may come without its public half: the private key is all TLS needs.
                if (o instanceof PEMKeyPair pair) return converter.getPrivateKey(pair.getPrivateKeyInfo());
            } catch (IOException e) {
                throw new Unusable(keyFile + ": the private key cannot be read: " + e.getMessage());
            }
            if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                // A passphrase would have to sit beside the key in a file the service reads: no safer than no passphrase.
                throw new Unusable(keyFile + ": the private key is encrypted; store it unencrypted, readable only by the service's user"
                        + " (openssl pkey -in KEY -out KEY.plain)");
            }
        }
        throw new Unusable(keyFile + ": no PEM private key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA/EC PRIVATE KEY-----) in it");
    }

    private static List<Object> pemObjects(Path file) throws Unusable {
        List<Object> objects = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(r)) {
            for (Object o; (o = pem.readObject()) != null; ) objects.add(o);
            return objects;
        } catch (NoSuchFileException e) {
            throw new Unusable(file + ": no such file");
        } catch (IOException | RuntimeException e) {
            throw new Unusable(file + ": not a PEM file: " + e.getMessage());
        }
    }

    /** Signs and verifies a test text: the one check that works for RSA, EC and EdDSA keys alike. */
    private static boolean matches(PrivateKey key, X509Certificate cert) {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (alg == null) return true; // an unusual key type: the TLS handshake will tell
        try {
            byte[] probe = "faxlan TLS key check".getBytes(StandardCharsets.US_ASCII);
            Signature sign = Signature.getInstance(alg);
            sign.initSign(key);
            sign.update(probe);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(alg);
            verify.initVerify(cert.getPublicKey());
            verify.update(probe);
            return verify.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
