package dev.faxlan.mail.smtp;

import dev.faxlan.cli.tls.PemIdentity;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
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
        PemIdentity identity;
        try {
            identity = PemIdentity.load(certificateFile, keyFile);
        } catch (PemIdentity.Unusable e) {
            throw new Unusable(e.getMessage());
        }
        try {
            char[] none = new char[0];
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(identity.keyStore("smtp", none), none);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return new StartTls(ctx, identity.certificate());
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
}
