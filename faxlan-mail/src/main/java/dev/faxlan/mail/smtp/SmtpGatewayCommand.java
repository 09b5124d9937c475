package dev.faxlan.mail.smtp;

import dev.faxlan.protocol.Fingerprint;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code faxlan smtp-gateway}: mail to NUMBER@fax-domain becomes fax jobs (docs/mail.md). */
@Command(name = "smtp-gateway", mixinStandardHelpOptions = true,
        description = "Accept mail to NUMBER@<fax domain> over SMTP and submit it as fax jobs of the sender's faxlan account"
                + " (logged in with SMTP AUTH, or mapped from an allow-listed sender address).")
public final class SmtpGatewayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--listen", required = true, paramLabel = "ADDR:PORT", description = "SMTP address to listen on (port 0: any free port, printed)")
    String listen;

    @Option(names = "--server", required = true, paramLabel = "HOST[:PORT]", description = "the fax server (default port 4644)")
    String server;

    @Option(names = "--config", paramLabel = "FILE", description = "properties: fax.domain, address.pattern, max.message.bytes, max.recipients,"
            + " max.connections, server.timeout.seconds, body.cover, body.as, senders.file, senders.networks, gateway.user,"
            + " gateway.password.file, tls.certificate, tls.key, auth.without.tls (docs/mail.md; files are named relative to FILE's directory)")
    Path config;

    @Option(names = "--pin", paramLabel = "FINGERPRINT", description = "the fax server's identity (default: trust the first one seen)")
    String pin;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Properties p = new Properties();
        if (config != null) {
            try (Reader r = Files.newBufferedReader(config)) {
                p.load(r);
            } catch (NoSuchFileException e) {
                err.println("faxlan: " + config + ": no such file");
                return 2;
            } catch (IOException | IllegalArgumentException e) {
                err.println("faxlan: cannot read " + config + ": " + e.getMessage());
                return 2;
            }
        }
        SmtpGatewayConfig cfg;
        try {
            cfg = SmtpGatewayConfig.parse(p, config == null ? Path.of("") : config.toAbsolutePath().getParent());
        } catch (SmtpGatewayConfig.Invalid e) {
            for (String problem : e.problems()) err.println("faxlan: " + (config != null ? config : "smtp-gateway") + ": " + problem);
            return 2;
        }
        InetSocketAddress listenAddress;
        InetSocketAddress serverAddress;
        byte[] fingerprint;
        try {
            listenAddress = address(listen, -1, "--listen");
            serverAddress = address(server, 4644, "--server");
            fingerprint = pin == null ? null : Fingerprint.parse(pin);
        } catch (IllegalArgumentException e) {
            err.println("faxlan: " + e.getMessage());
            return 2;
        }
        var accountProblem = SmtpGateway.gatewayAccountProblem(cfg, serverAddress, fingerprint);
        if (accountProblem.isPresent()) {
            err.println("faxlan: " + (config != null ? config : "smtp-gateway") + ": " + accountProblem.get());
            return 2;
        }
        SmtpGateway gateway;
        try {
            gateway = SmtpGateway.start(cfg, listenAddress, serverAddress, fingerprint);
        } catch (RuntimeException e) {
            err.println("faxlan: cannot listen on " + listen + ": " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
            return 1;
        }
        InetSocketAddress at = gateway.address();
        System.out.println("faxlan smtp-gateway listening on smtp " + at.getAddress().getHostAddress() + ":" + at.getPort()
                + " for mail to NUMBER@" + cfg.faxDomain() + ", faxing through " + serverAddress.getHostString() + ":" + serverAddress.getPort());
        System.out.flush();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stop.countDown();
        }));
        stop.await();
        return 0;
    }

    /** HOST:PORT, [V6]:PORT, or HOST alone when there is a default port. */
    public static InetSocketAddress address(String text, int defaultPort, String option) {
        String host = text;
        int port = defaultPort;
        int colon = text.lastIndexOf(':');
        if (colon >= 0 && (text.indexOf(':') == colon || text.startsWith("["))) {
            host = text.substring(0, colon);
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -2;
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        if (port < 0 || port > 65535 || host.isEmpty()) {
            throw new IllegalArgumentException(option + " must be " + (defaultPort < 0 ? "ADDR:PORT" : "HOST[:PORT]") + " with a port from 0 to 65535, not '" + text + "'");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(option + ": cannot resolve " + host);
        }
    }
}
