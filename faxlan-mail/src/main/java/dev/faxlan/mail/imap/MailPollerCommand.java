package dev.faxlan.mail.imap;

import dev.faxlan.cli.service.ServerOptions;
import dev.faxlan.cli.service.ServiceCommand;
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

/** {@code faxlan mail-poller}: mail in an IMAP mailbox to NUMBER@fax-domain becomes fax jobs (docs/mail.md). */
@Command(name = "mail-poller", mixinStandardHelpOptions = true,
        description = "Read an IMAP mailbox, fax each message to NUMBER@<fax domain>, move it to faxlan/done or faxlan/failed and reply with the outcome.")
public final class MailPollerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "properties: imap.*, fax.domain, server.user,"
            + " server.password.file, senders, state.dir, smarthost.* (docs/mail.md)")
    Path config;

    @Mixin
    ServerOptions serverOptions;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        MailPollerConfig cfg = ServiceCommand.readConfig(config, "mail-poller", MailPollerConfig::parse, err);
        if (cfg == null) return ServiceCommand.BAD_CONFIG;
        ServerOptions.Target target = serverOptions.resolve(0, err);
        if (target == null) return ServiceCommand.BAD_CONFIG;
        InetSocketAddress serverAddress = target.address();
        MailPoller poller;
        try {
            poller = MailPoller.start(cfg, serverAddress, target.fingerprint(), PollerEvents.NONE);
        } catch (IOException e) {
            err.println("faxlan: " + config + ": state.dir " + cfg.stateDir() + " cannot be used: " + e.getMessage());
            return 2;
        }
        System.out.println("faxlan mail-poller reading " + cfg.imap() + " for mail to NUMBER@" + cfg.addresses().faxDomain() + ", faxing as "
                + cfg.serverUser() + " through " + serverAddress.getHostString() + ":" + serverAddress.getPort());
        System.out.flush();
        return ServiceCommand.runUntilStopped(poller::close);
    }
}
