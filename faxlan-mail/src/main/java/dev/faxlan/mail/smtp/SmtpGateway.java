package dev.faxlan.mail.smtp;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.subethamail.smtp.server.SMTPServer;

/**
 * The SMTP gateway: SubEthaSMTP in front, the fax server behind as a CPI client on the SDK.
 * Every session must log in (SMTP AUTH against the faxlan accounts) before it may send mail; sessions
 * and message size are bounded by the configuration.
 */
public final class SmtpGateway implements AutoCloseable {
    private final SMTPServer smtp;

    private SmtpGateway(SMTPServer smtp) {
        this.smtp = smtp;
    }

    /** Binds {@code listen} (port 0 picks a free one: see {@link #address()}) and starts serving. */
    public static SmtpGateway start(SmtpGatewayConfig config, InetSocketAddress listen, InetSocketAddress faxServer, byte[] pin) {
        return start(config, listen, faxServer, pin, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * As above, each message spooled in a directory of its own under {@code spool} while it is read
     * (deleted when it is answered), so that what the gateway holds on disk can be watched.
     */
    public static SmtpGateway start(SmtpGatewayConfig config, InetSocketAddress listen, InetSocketAddress faxServer, byte[] pin, Path spool) {
        FaxServer server = new FaxServer(faxServer, config.serverTimeout(), pin);
        SMTPServer smtp = SMTPServer.port(listen.getPort())
                .bindAddress(listen.getAddress())
                .softwareName("faxlan smtp-gateway")
                .messageHandlerFactory(context -> new FaxMessageHandler(config, server, context, spool))
                .authenticationHandlerFactory(new FaxAuthentication(server))
                .requireAuth(true)
                .insertReceivedHeaders(false)
                .maxConnections(config.maxConnections())
                .maxRecipients(config.maxRecipients())
                .maxMessageSize(config.maxMessageBytes())
                .connectionTimeout(60, TimeUnit.SECONDS)
                .build();
        smtp.start();
        return new SmtpGateway(smtp);
    }

    /** Where it listens, with the port actually bound. */
    public InetSocketAddress address() {
        return new InetSocketAddress(smtp.getBindAddress().orElse(null), smtp.getPortAllocated());
    }

    @Override
    public void close() {
        smtp.stop();
    }
}
