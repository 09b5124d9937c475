package dev.faxlan.web.tls;

import io.javalin.config.JavalinConfig;
import java.net.InetSocketAddress;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** Jetty's TLS connector in place of Javalin's plain one: TLS 1.2 and 1.3 with the JDK's default suites. */
public final class HttpsConnector {
    private HttpsConnector() {}

    public static void configure(JavalinConfig config, InetSocketAddress listen, WebTls tls) {
        config.jetty.addConnector((server, http) -> {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(tls.keyStore());
            ssl.setKeyStorePassword("");
            ssl.setCertAlias(WebTls.ALIAS);
            ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
            // The self-signed certificate names localhost, not the host users type: they check the pin, so Jetty must not refuse SNI names.
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false);
            http.addCustomizer(secure);
            ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
                    new HttpConnectionFactory(http));
            connector.setHost(listen.getAddress().getHostAddress());
            connector.setPort(listen.getPort());
            return connector;
        });
    }
}
