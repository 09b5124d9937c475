package dev.faxlan.sdk.transport;

import dev.faxlan.protocol.Fingerprint;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly one server certificate, by the SHA-256 of its DER encoding; with no pin yet (trust
 * on first use) it accepts any and remembers what it saw. Extends X509ExtendedTrustManager because
 * the QUIC client requires it.
 */
public final class PinningTrustManager extends X509ExtendedTrustManager {
    private final byte[] pin;
    private volatile byte[] seen;

    public PinningTrustManager(byte[] pin) {
        this.pin = pin == null ? null : pin.clone();
    }

    /** The fingerprint the server presented in the last handshake, or null. */
    public byte[] seen() {
        return seen;
    }

    public boolean mismatch() {
        return pin != null && seen != null && !MessageDigest.isEqual(pin, seen);
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) throw new CertificateException("the server sent no certificate");
        byte[] fp;
        try {
            fp = Fingerprint.of(chain[0].getEncoded());
        } catch (CertificateEncodingException e) {
            throw new CertificateException("unreadable server certificate", e);
        }
        seen = fp;
        if (pin != null && !MessageDigest.isEqual(pin, fp)) {
            throw new CertificateException("server identity " + Fingerprint.format(fp) + " does not match the pinned " + Fingerprint.format(pin));
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("CPI clients do not accept connections");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("CPI clients do not accept connections");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("CPI clients do not accept connections");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
