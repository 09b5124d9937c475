package dev.faxlan.it;

import dev.faxlan.sdk.FaxlanClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * {@code faxlan server} in a child JVM on 127.0.0.1, on the port the system picks (the server
 * prints it), so tests can kill it with a real signal and start it again on the same data directory.
 */
public final class ServerChild implements AutoCloseable {
    public static final String ADMIN_PASSWORD = "child-admin-pw-1";
    private static final Pattern LISTENING = Pattern.compile("listening on udp /?127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final Path out;
    private final Path err;
    private final int port;

    private ServerChild(Process process, Path out, Path err, int port) {
        this.process = process;
        this.out = out;
        this.err = err;
        this.port = port;
    }

    /**
     * Starts {@code faxlan server --data DATA} (and {@code --config} when given), its output appended
     * to {@code logs/server.out} and {@code logs/server.err}, and waits until it listens.
     */
    public static ServerChild start(Path data, Path config, Path logs) throws IOException {
        return start(data, config, logs, "child", java.util.Map.of());
    }

    /**
     * As {@link #start(Path, Path, Path)}, as server {@code name}, with {@code env} added to its
     * environment (e.g. {@code FAXLAN_DB_USER}, {@code FAXLAN_DB_PASSWORD} for a node of a cluster).
     */
    public static ServerChild start(Path data, Path config, Path logs, String name, java.util.Map<String, String> env) throws IOException {
        return start(data, config, logs, name, env, 0);
    }

    /**
     * As {@link #start(Path, Path, Path, String, java.util.Map)}, on UDP {@code port} (0: the one the system
     * picks); a port another program holds makes the server exit, and this throw, saying the address is in use.
     */
    public static ServerChild start(Path data, Path config, Path logs, String name, java.util.Map<String, String> env, int port) throws IOException {
        Files.createDirectories(logs);
        Path out = logs.resolve("server.out");
        Path err = logs.resolve("server.err");
        long outStart = Files.exists(out) ? Files.size(out) : 0;
        long errStart = Files.exists(err) ? Files.size(err) : 0;
        List<String> cmd = new ArrayList<>(Cli.javaCommand());
        cmd.addAll(List.of("server", "--data", data.toString(), "--bind", "127.0.0.1", "--port", Integer.toString(port), "--name", name));
        if (config != null) cmd.addAll(List.of("--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile())).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("FAXLAN_ADMIN_PASSWORD", ADMIN_PASSWORD);
        pb.environment().putAll(env);
        Process p = pb.start();
        int[] bound = {-1};
        try {
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!p.isAlive()) {
                    String printed = Files.readString(err, StandardCharsets.UTF_8);
                    throw new AssertionError("the server exited with " + p.exitValue() + ": " + printed.substring((int) Math.min(errStart, printed.length())));
                }
                String printed = Files.readString(out, StandardCharsets.UTF_8);
                Matcher m = LISTENING.matcher(printed.substring((int) Math.min(outStart, printed.length())));
                if (!m.find()) return false;
                bound[0] = Integer.parseInt(m.group(1));
                return true;
            });
        } catch (RuntimeException | AssertionError e) {
            p.destroyForcibly();
            throw e;
        }
        return new ServerChild(p, out, err, bound[0]);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    public FaxlanClient client(String user, String password, Duration timeout) {
        return FaxlanClient.builder().server(address()).user(user).password(password.toCharArray()).timeout(timeout).build();
    }

    public FaxlanClient admin() {
        return client("admin", ADMIN_PASSWORD, Duration.ofSeconds(30));
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL, and waits for the process to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(60, TimeUnit.SECONDS);
    }

    /** SIGTERM; returns the process to wait on. */
    public Process terminate() {
        process.destroy();
        return process;
    }

    public Process process() {
        return process;
    }

    /** Everything the server wrote to stderr so far (its log). */
    public String log() throws IOException {
        return Files.readString(err, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill();
    }
}
