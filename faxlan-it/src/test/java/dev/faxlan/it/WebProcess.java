package dev.faxlan.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code faxlan web} as shipped, in a child JVM on a port of its own choosing (port 0, read from its first line). */
final class WebProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("faxlan web listening on (http://127\\.0\\.0\\.1:[0-9]+)/");
    private final Process process;
    private final Path err;
    final String base;

    private WebProcess(Process process, Path err, String base) {
        this.process = process;
        this.err = err;
        this.base = base;
    }

    static WebProcess start(Path dir, int serverPort, String... more) throws Exception {
        List<String> cmd = new ArrayList<>(Cli.javaCommand());
        cmd.addAll(List.of("web", "--listen", "127.0.0.1:0", "--server", "127.0.0.1:" + serverPort));
        cmd.addAll(List.of(more));
        Path err = Files.createTempFile(dir, "web-", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile()).directory(dir.toFile());
        pb.environment().remove("FAXLAN_PASSWORD");
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                for (String l; (l = out.readLine()) != null; ) if (LISTENING.matcher(l).find()) return l;
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).get(120, TimeUnit.SECONDS);
        if (line == null) {
            p.destroyForcibly();
            throw new AssertionError("faxlan web did not start:\n" + Files.readString(err));
        }
        // Whatever it prints later must not fill the pipe and stop it.
        CompletableFuture.runAsync(() -> {
            try {
                while (out.readLine() != null) { /* drained */ }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        Matcher m = LISTENING.matcher(line);
        m.find();
        return new WebProcess(p, err, m.group(1));
    }

    /** SIGKILL, as a crash would end it, and waits for it to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(60, TimeUnit.SECONDS);
    }

    String stderr() throws IOException {
        return Files.readString(err);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
