package dev.faxlan.it.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code faxlan relay} running in a namespace. It binds first and then reports ("listening on udp
 * ADDR:PORT"), so once {@link #start} returns clients can reach it; the server's identity follows
 * when the relay has heard it ({@link #awaitIdentity}). Killed by {@link #close()} (and by
 * {@link Netns#close()} if the test dies first).
 */
final class RelayProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("faxlan relay listening on udp (\\S+),");
    private static final Pattern IDENTITY = Pattern.compile("identity (SHA256:\\S+)");

    final Path stdout;
    final Path stderr;
    final Process process;
    /** ADDR:PORT as the relay printed it. */
    final String address;

    private RelayProcess(Path stdout, Path stderr, Process process, String address) {
        this.stdout = stdout;
        this.stderr = stderr;
        this.process = process;
        this.address = address;
    }

    /** Starts {@code faxlan relay ARGS} in {@code ns} and waits until it is bound and listening. */
    static RelayProcess start(Netns net, String ns, Path dir, String name, String... args) throws IOException, InterruptedException {
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        String[] cmd = new String[args.length + 1];
        cmd[0] = "relay";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = net.spawn(ns, Map.of(), out, err, Netns.faxlan(cmd));
        String address = await(p, out, err, LISTENING, Duration.ofSeconds(120), "faxlan relay in " + ns + " did not start");
        return new RelayProcess(out, err, p, address);
    }

    /** The fingerprint the relay reports for the server behind it, once it has heard it. */
    String awaitIdentity(Duration timeout) throws IOException, InterruptedException {
        return await(process, stdout, stderr, IDENTITY, timeout, "faxlan relay did not learn the server's identity");
    }

    private static String await(Process p, Path out, Path err, Pattern pattern, Duration timeout, String failure) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = pattern.matcher(Files.readString(out));
            if (m.find()) return m.group(1);
            if (!p.isAlive()) break;
            Thread.sleep(200);
        }
        throw new IllegalStateException(failure + " (alive: " + p.isAlive() + ")\nstdout: " + Files.readString(out) + "\nstderr: " + Files.readString(err));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
}
