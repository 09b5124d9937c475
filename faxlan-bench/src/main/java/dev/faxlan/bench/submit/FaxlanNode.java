package dev.faxlan.bench.submit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code faxlan server} as a child process, started through {@code bin/faxlan} as an operator
 * starts it (its own JVM and garbage collector), on 127.0.0.1 with a port the OS chooses; its address
 * is read from the line the server prints once it listens. The administrator's password goes in
 * through the environment, never the command line.
 */
public final class FaxlanNode implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on udp \\S*?/?(\\d+\\.\\d+\\.\\d+\\.\\d+):(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final Process process;
    private final InetSocketAddress address;
    private final Path log;

    private FaxlanNode(Process process, InetSocketAddress address, Path log) {
        this.process = process;
        this.address = address;
        this.log = log;
    }

    /**
     * Starts a node whose data directory is {@code dir}/data, with the {@code settings} of its config
     * file (port, bind and a short shutdown drain are set here), and waits until it listens.
     */
    public static FaxlanNode start(Path repo, Path dir, String name, Properties settings, String adminPassword) throws IOException, InterruptedException {
        return start(repo, dir, name, settings, adminPassword, Map.of());
    }

    /** {@link #start(Path, Path, String, Properties, String)} with more environment variables (the database's account). */
    public static FaxlanNode start(Path repo, Path dir, String name, Properties settings, String adminPassword, Map<String, String> environment)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Properties p = new Properties();
        p.setProperty("port", "0");
        p.setProperty("bind", "127.0.0.1");
        p.setProperty("shutdown.drain-seconds", "1");
        p.putAll(settings);
        Path config = dir.resolve("server.properties");
        try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            p.store(w, "bench node " + name);
        }
        Path log = dir.resolve("server.log");
        ProcessBuilder pb = new ProcessBuilder(List.of(repo.resolve("bin/faxlan").toString(), "server", "--config", config.toString(),
                "--data", dir.resolve("data").toString(), "--name", name)).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.putAll(environment);
        env.put("FAXLAN_ADMIN_PASSWORD", adminPassword);
        Process process = pb.start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            Matcher m = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (m.find()) return new FaxlanNode(process, new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2))), log);
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IOException("faxlan server " + name + (process.isAlive() ? " did not listen within " + START_TIMEOUT.toSeconds() + " s"
                        : " exited with " + process.exitValue()) + "; its output:\n" + tail(log));
            }
            // bin/faxlan's JVM takes a few seconds to start; its output file is all there is to wait on.
            Thread.sleep(100);
        }
    }

    public InetSocketAddress address() {
        return address;
    }

    /** The server JVM's process id (bin/faxlan execs java, so it is the child itself). */
    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** Resident set size of the server process in bytes, from /proc. */
    public long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the server's memory from /proc", e);
        }
        throw new IllegalStateException("no VmRSS in /proc/" + pid() + "/status");
    }

    /** The last 30 lines of a child's output file, for an error message. */
    public static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** Stops the server as an operator does (SIGTERM), and kills it if it has not ended within 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
