package dev.faxlan.mail.imap;

import dev.faxlan.mail.smtp.SmtpGatewayCommand;
import dev.faxlan.protocol.Fingerprint;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.net.InetSocketAddress;
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

/** {@code faxlan mail-poller}: mail in an IMAP mailbox to NUMBER@fax-domain becomes fax jobs (docs/mail.md). */
@Command(name = "mail-poller", mixinStandardHelpOptions = true,
        description = "Read an IMAP mailbox, fax each message to NUMBER@<fax domain>, move it to faxlan/done or faxlan/failed and reply with the outcome.")
public final class MailPollerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--server", required = true, paramLabel = "HOST[:PORT]", description = "the fax server (default port 4644)")
    String server;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "properties: imap.*, fax.domain, server.user,"
            + " server.password.file, senders, state.dir, smarthost.* (docs/mail.md)")
    Path config;

    @Option(names = "--pin", paramLabel = "FINGERPRINT", description = "the fax server's identity (default: trust the first one seen)")
    String pin;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(config)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            err.println("faxlan: " + config + ": no such file");
            return 2;
        } catch (IOException | IllegalArgumentException e) {
            err.println("faxlan: cannot read " + config + ": " + e.getMessage());
            return 2;
        }
        MailPollerConfig cfg;
        try {
            cfg = MailPollerConfig.parse(p);
        } catch (MailPollerConfig.Invalid e) {
            for (String problem : e.problems()) err.println("faxlan: " + config + ": " + problem);
            return 2;
        }
        InetSocketAddress serverAddress;
        byte[] fingerprint;
        try {
            serverAddress = SmtpGatewayCommand.address(server, 4644, "--server");
            fingerprint = pin == null ? null : Fingerprint.parse(pin);
        } catch (IllegalArgumentException e) {
            err.println("faxlan: " + e.getMessage());
            return 2;
        }
        MailPoller poller;
        try {
            poller = MailPoller.start(cfg, serverAddress, fingerprint, PollerEvents.NONE);
        } catch (IOException e) {
            err.println("faxlan: " + config + ": state.dir " + cfg.stateDir() + " cannot be used: " + e.getMessage());
            return 2;
        }
        System.out.println("faxlan mail-poller reading " + cfg.imap() + " for mail to NUMBER@" + cfg.addresses().faxDomain() + ", faxing as "
                + cfg.serverUser() + " through " + serverAddress.getHostString() + ":" + serverAddress.getPort());
        System.out.flush();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            poller.close();
            stop.countDown();
        }));
        stop.await();
        return 0;
    }
}
