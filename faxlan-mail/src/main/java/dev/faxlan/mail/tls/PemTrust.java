package dev.faxlan.mail.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Trust in the certificates of a PEM file instead of the JDK's trust store, for a mail server whose
 * certificate comes from an organisation's own CA ({@code imap.ca.file}, {@code smarthost.ca.file}).
 * Only whom to trust changes: the chain is still verified, and the callers still check the server's
 * name, so there is no way to turn verification off.
 */
public final class PemTrust {
    private PemTrust() {
    }

    /**
     * Reads the optional {@code key} (a PEM file's path) from {@code p}: null when it is not set, or
     * when the file is unusable, which adds one line to {@code problems}.
     */
    public static SSLSocketFactory fromKey(Properties p, String key, List<String> problems) {
        String file = p.getProperty(key, "").strip();
        if (file.isEmpty()) return null;
        try {
            return socketFactory(Path.of(file));
        } catch (IOException | GeneralSecurityException e) {
            problems.add(key + " " + file + " is not a readable PEM file of certificates: " + e.getMessage());
            return null;
        }
    }

    /** A socket factory trusting exactly the certificates in a PEM file. */
    public static SSLSocketFactory socketFactory(Path pem) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) ks.setCertificateEntry("ca" + i++, c);
            if (i == 0) throw new GeneralSecurityException("no certificate in it");
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx.getSocketFactory();
    }
}
