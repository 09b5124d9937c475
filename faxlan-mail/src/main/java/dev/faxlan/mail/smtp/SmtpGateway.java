package dev.faxlan.mail.smtp;

import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.server.SMTPServer;

/**
 * The SMTP gateway: SubEthaSMTP in front, the fax server behind as a CPI client on the SDK.
 * Every session must log in (SMTP AUTH against the faxlan accounts) before it may send mail, unless
 * an allow-list of senders is configured, which {@link FaxMessageHandler} then applies to sessions
 * without AUTH; a session may log in only after STARTTLS unless configured otherwise for loopback;
 * sessions and message size are bounded by the configuration.
 */
public final class SmtpGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpGateway.class);

    private final SMTPServer smtp;
    private final FaxAuthentication logins;
    private final FaxServer server;

    private SmtpGateway(SMTPServer smtp, FaxAuthentication logins, FaxServer server) {
        this.smtp = smtp;
        this.logins = logins;
        this.server = server;
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
        FaxAuthentication logins = new FaxAuthentication(server);
        AuthAfterTls auth = new AuthAfterTls(config.authWithoutTls(), logins);
        SMTPServer.Builder builder = SMTPServer.port(listen.getPort())
                .bindAddress(listen.getAddress())
                .softwareName("faxlan smtp-gateway")
                .messageHandlerFactory(context -> new FaxMessageHandler(config, server, context, spool))
                .authenticationHandlerFactory(auth)
                // Closes a session's logged-in client when the session ends.
                .sessionHandler(logins)
                .requireAuth(!config.allowsSendersWithoutAuth())
                .insertReceivedHeaders(false)
                .maxConnections(config.maxConnections())
                .maxRecipients(config.maxRecipients())
                .maxMessageSize(config.maxMessageBytes())
                .connectionTimeout(60, TimeUnit.SECONDS);
        if (config.tls() != null) builder.enableTLS(true).startTlsSocketFactory(config.tls());
        SMTPServer smtp = builder.build();
        auth.install(smtp);
        smtp.start();
        return new SmtpGateway(smtp, logins, server);
    }

    /**
     * Logs in as the gateway's own account ({@code gateway.user}) to find a wrong password or a role
     * that may not submit for others before any mail is refused for it. A fax server that cannot be
     * reached is no problem at start (it may come up later; mail is deferred until then), only logged.
     *
     * @return what is wrong with the account, empty when nothing is (or no allow-list is configured)
     */
    public static Optional<String> gatewayAccountProblem(SmtpGatewayConfig config, InetSocketAddress faxServer, byte[] pin) {
        if (!config.allowsSendersWithoutAuth()) return Optional.empty();
        String user = config.gatewayUser();
        try (FaxlanClient c = new FaxServer(faxServer, config.serverTimeout(), pin).as(user, config.gatewayPassword())) {
            String role = c.login();
            if (role.equals("gateway") || role.equals("admin")) return Optional.empty();
            return Optional.of("gateway.user " + user + " has the role " + role + ": it needs the role gateway to fax for the senders of senders.file"
                    + " (faxlan user add NAME --role gateway)");
        } catch (FaxlanException.AuthenticationFailed e) {
            return Optional.of("gateway.user " + user + ": the fax server refused the password in gateway.password.file");
        } catch (FaxlanException e) {
            LOG.warn("cannot check gateway.user {} at the fax server now ({}); mail without AUTH is deferred until it answers", user, e.getMessage());
            return Optional.empty();
        }
    }

    /** Where it listens, with the port actually bound. */
    public InetSocketAddress address() {
        return new InetSocketAddress(smtp.getBindAddress().orElse(null), smtp.getPortAllocated());
    }

    @Override
    public void close() {
        smtp.stop();
        logins.closeAll();
        server.close();
    }
}
