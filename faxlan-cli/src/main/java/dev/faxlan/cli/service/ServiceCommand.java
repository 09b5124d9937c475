package dev.faxlan.cli.service;

import dev.faxlan.cli.settings.InvalidSettings;
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
import java.util.concurrent.CountDownLatch;

/** What the long-running client services (the mail gateways, the web process) do alike around their own service. */
public final class ServiceCommand {
    /** The exit code of a command whose configuration or options cannot be used. */
    public static final int BAD_CONFIG = 2;

    private ServiceCommand() {
    }

    /** A command's settings parser, such as {@code MailPollerConfig::parse}. */
    @FunctionalInterface
    public interface SettingsParser<T> {
        T parse(Properties p) throws InvalidSettings;
    }

    /**
     * The settings in {@code config} (none at all when it is null), parsed; null, after printing what
     * is wrong (the file, or every problem in it, prefixed with the file or else {@code command}).
     */
    public static <T> T readConfig(Path config, String command, SettingsParser<T> parser, PrintWriter err) {
        Properties p = config == null ? new Properties() : loadConfig(config, err);
        if (p == null) return null;
        try {
            return parser.parse(p);
        } catch (InvalidSettings e) {
            printProblems(e, config != null ? config : command, err);
            return null;
        }
    }

    /** The properties in {@code config}; null, after one line on {@code err}, when it cannot be read. */
    private static Properties loadConfig(Path config, PrintWriter err) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(config)) {
            p.load(r);
            return p;
        } catch (NoSuchFileException e) {
            err.println("faxlan: " + config + ": no such file");
        } catch (IOException | IllegalArgumentException e) {
            err.println("faxlan: cannot read " + config + ": " + e.getMessage());
        }
        return null;
    }

    /** Prints every problem, one line each, prefixed with where it is; returns the exit code. */
    private static int printProblems(InvalidSettings e, Object where, PrintWriter err) {
        for (String problem : e.problems()) err.println("faxlan: " + where + ": " + problem);
        return BAD_CONFIG;
    }

    /** Waits until the JVM is asked to stop (Ctrl-C, SIGTERM), then closes the service; returns the exit code. */
    public static int runUntilStopped(Runnable close) throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close.run();
            stop.countDown();
        }));
        stop.await();
        return 0;
    }

    /**
     * HOST:PORT, [V6]:PORT, or HOST alone when there is a default port ({@code defaultPort} below 0:
     * none). The port must be from {@code minPort} to 65535.
     */
    public static InetSocketAddress address(String text, int defaultPort, int minPort, String option) {
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
        if (port < minPort || port > 65535 || host.isEmpty()) {
            throw new IllegalArgumentException(option + " must be " + (defaultPort < 0 ? "ADDR:PORT" : "HOST[:PORT]")
                    + " with a port from " + minPort + " to 65535, not '" + text + "'");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(option + ": cannot resolve " + host);
        }
    }
}
