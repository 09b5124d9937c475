package dev.faxlan.mail.out;

import dev.faxlan.protocol.Fingerprint;
import dev.faxlan.sdk.FaxlanException;
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

/** {@code faxlan mail-out}: transmission reports and received faxes by mail, through the smarthost (docs/mail.md). */
@Command(name = "mail-out", mixinStandardHelpOptions = true,
        description = "Mail a transmission report for each job that ends and each received fax to its mailbox's members, through the smarthost.")
public final class MailOutCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--server", required = true, paramLabel = "HOST[:PORT]", description = "the fax server (default port 4644)")
    String server;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "properties: server.user, server.password.file, state.file,"
            + " smarthost.*, address.USER, reports.*, received.* (docs/mail.md)")
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
        MailOutConfig cfg;
        try {
            cfg = MailOutConfig.parse(p);
        } catch (MailOutConfig.Invalid e) {
            for (String problem : e.problems()) err.println("faxlan: " + config + ": " + problem);
            return 2;
        }
        InetSocketAddress serverAddress;
        byte[] fingerprint;
        try {
            serverAddress = address(server);
            fingerprint = pin == null ? null : Fingerprint.parse(pin);
        } catch (IllegalArgumentException e) {
            err.println("faxlan: " + e.getMessage());
            return 2;
        }
        MailOut service;
        try {
            service = MailOut.create(cfg, serverAddress, fingerprint);
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
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stop.countDown();
        }));
        stop.await();
        return 0;
    }

    /** HOST, HOST:PORT or [V6]:PORT; the port defaults to 4644. */
    static InetSocketAddress address(String text) {
        String host = text;
        int port = 4644;
        int colon = text.lastIndexOf(':');
        if (colon >= 0 && (text.indexOf(':') == colon || text.startsWith("["))) {
            host = text.substring(0, colon);
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        if (port < 1 || port > 65535 || host.isEmpty()) throw new IllegalArgumentException("--server must be HOST[:PORT] with a port from 1 to 65535, not '" + text + "'");
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--server: cannot resolve " + host);
        }
    }
}
