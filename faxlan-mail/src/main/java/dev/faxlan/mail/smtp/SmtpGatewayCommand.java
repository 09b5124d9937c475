package dev.faxlan.mail.smtp;

import dev.faxlan.cli.service.ServerOptions;
import dev.faxlan.cli.service.ServiceCommand;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Option(names = "--config", paramLabel = "FILE", description = "properties: fax.domain, address.pattern, max.message.bytes, max.recipients,"
            + " max.connections, server.timeout.seconds, body.cover, body.as, senders.file, senders.networks, gateway.user,"
            + " gateway.password.file, tls.certificate, tls.key, auth.without.tls (docs/mail.md; files are named relative to FILE's directory)")
    Path config;

    @Mixin
    ServerOptions serverOptions;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        // Without --config every setting has its default (and fax.domain is reported missing).
        Path base = config == null ? Path.of("") : config.toAbsolutePath().getParent();
        SmtpGatewayConfig cfg = ServiceCommand.readConfig(config, "smtp-gateway", p -> SmtpGatewayConfig.parse(p, base), err);
        if (cfg == null) return ServiceCommand.BAD_CONFIG;
        InetSocketAddress listenAddress;
        try {
            listenAddress = ServiceCommand.address(listen, -1, 0, "--listen");
        } catch (IllegalArgumentException e) {
            err.println("faxlan: " + e.getMessage());
            return ServiceCommand.BAD_CONFIG;
        }
        ServerOptions.Target target = serverOptions.resolve(0, err);
        if (target == null) return ServiceCommand.BAD_CONFIG;
        InetSocketAddress serverAddress = target.address();
        byte[] fingerprint = target.fingerprint();
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
        return ServiceCommand.runUntilStopped(gateway::close);
    }
}
