package dev.faxlan.mail.smtp;

import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.Socket;
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
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.subethamail.smtp.server.SSLSocketCreator;

/**
 * The gateway's side of STARTTLS: its certificate chain and private key, read from PEM files as
 * openssl and ACME clients write them, and sockets that speak TLS 1.2 or 1.3 only with the JDK's
 * default cipher suites (SubEthaSMTP's own factory would enable every protocol and suite the JDK has).
 */
public final class StartTls implements SSLSocketCreator {
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final SSLContext context;
    private final X509Certificate certificate;

    private StartTls(SSLContext context, X509Certificate certificate) {
        this.context = context;
        this.certificate = certificate;
    }

    /** Not usable: the reason names the file and what is wrong with it. */
    public static final class Unusable extends Exception {
        Unusable(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Reads {@code certificateFile} (the server certificate first, then any intermediates) and
     * {@code keyFile} (PKCS#8 {@code PRIVATE KEY} or a traditional {@code RSA}/{@code EC PRIVATE KEY}).
     */
    public static StartTls load(Path certificateFile, Path keyFile) throws Unusable {
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
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] none = new char[0];
            store.setKeyEntry("smtp", key, none, chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, none);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return new StartTls(ctx, chain.get(0));
        } catch (GeneralSecurityException | IOException e) {
            throw new Unusable(certificateFile + ": cannot be used for TLS: " + e.getMessage());
        }
    }

    /** The server certificate (the first of the chain). */
    public X509Certificate certificate() {
        return certificate;
    }

    @Override
    public SSLSocket createSSLSocket(Socket socket) throws IOException {
        InetSocketAddress peer = (InetSocketAddress) socket.getRemoteSocketAddress();
        // getHostString: no reverse DNS lookup for a name the server side never uses.
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(socket, peer.getHostString(), peer.getPort(), true);
        s.setUseClientMode(false);
        List<String> supported = Arrays.asList(s.getSupportedProtocols());
        s.setEnabledProtocols(PROTOCOLS.stream().filter(supported::contains).toArray(String[]::new));
        return s;
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
                // A passphrase would have to sit beside the key in a file the gateway reads: no safer than no passphrase.
                throw new Unusable(keyFile + ": the private key is encrypted; store it unencrypted, readable only by the gateway's user"
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
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (alg == null) return true; // an unusual key type: the TLS handshake will tell
        try {
            byte[] probe = "faxlan smtp-gateway key check".getBytes(StandardCharsets.US_ASCII);
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
