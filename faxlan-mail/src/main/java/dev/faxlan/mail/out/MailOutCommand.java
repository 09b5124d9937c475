package dev.faxlan.mail.out;

import dev.faxlan.cli.service.ServerOptions;
import dev.faxlan.cli.service.ServiceCommand;
import dev.faxlan.sdk.FaxlanException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code faxlan mail-out}: transmission reports and received faxes by mail, through the smarthost (docs/mail.md). */
@Command(name = "mail-out", mixinStandardHelpOptions = true,
        description = "Mail a transmission report for each job that ends and each received fax to its mailbox's members, through the smarthost.")
public final class MailOutCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "properties: server.user, server.password.file, state.file,"
            + " smarthost.*, address.USER, reports.*, received.* (docs/mail.md)")
    Path config;

    @Mixin
    ServerOptions serverOptions;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        MailOutConfig cfg = ServiceCommand.readConfig(config, "mail-out", MailOutConfig::parse, err);
        if (cfg == null) return ServiceCommand.BAD_CONFIG;
        // Port 0 means "any free port" only where faxlan listens, not for a server it connects to.
        ServerOptions.Target target = serverOptions.resolve(1, err);
        if (target == null) return ServiceCommand.BAD_CONFIG;
        InetSocketAddress serverAddress = target.address();
        MailOut service;
        try {
            service = MailOut.create(cfg, serverAddress, target.fingerprint());
        } catch (IOException e) {
            err.println("faxlan: cannot open the state file " + cfg.stateFile() + ": " + e.getMessage());
            return 1;
        }
        try {
            service.checkLogin();
        } catch (FaxlanException.Unreachable e) {
            // Not fatal: a service started before its server keeps trying, as it does after any outage.
            err.println("faxlan: mail-out: " + e.getMessage() + "; trying again every " + cfg.poll().toSeconds() + " s");
        } catch (FaxlanException e) {
            service.close();
            err.println("faxlan: mail-out: " + e.getMessage());
            return e.exitCode() == 0 ? 1 : e.exitCode();
        }
        service.startPolling();
        System.out.println("faxlan mail-out: reading jobs and received faxes from " + serverAddress.getHostString() + ":" + serverAddress.getPort()
                + " as " + cfg.user() + " every " + cfg.poll().toSeconds() + " s, mailing through " + cfg.smarthost().host() + ":" + cfg.smarthost().port());
        System.out.flush();
        return ServiceCommand.runUntilStopped(service::close);
    }
}
