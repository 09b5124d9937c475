package dev.faxlan.engine.interop;

import dev.faxlan.testkit.SpandspBuild;
import dev.faxlan.testkit.FlatJson;
import static dev.faxlan.engine.interop.PeerArgs.add;
import static dev.faxlan.engine.interop.PeerArgs.num;
import static org.junit.jupiter.api.Assertions.fail;

import dev.faxlan.testkit.PortRetry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * spandsp's T.38 terminal as a peer process: {@code src/test/c/t38peer/t38peer.c}, compiled once
 * per build into {@code target/t38peer}, speaking UDPTL over UDP on 127.0.0.1.
 *
 * <p>Tests describe a peer with {@link Options}, {@link #start} it, and {@link Running#await}
 * its {@link Result}: the phase E completion code and transfer statistics the peer prints as
 * one JSON line when T.30 ends. Its stderr (spandsp's log) goes to a file under
 * {@code target/spandsp-logs/}. When gcc or the spandsp/libtiff headers are missing the calling
 * test is skipped with a printed reason, or failed when {@code CI=true}.
 *
 * <p>See {@code docs/spandsp-harness.md} for the peer's options and wire behaviour.
 */
public final class SpandspPeer {

    /** Completion code of a successful call, spandsp's {@code T30_ERR_OK}. */
    public static final int T30_ERR_OK = 0;

    private static final Path TARGET = Path.of("target");
    private static final Duration KILL_GRACE = Duration.ofSeconds(20);

    private SpandspPeer() {
    }

    /** Which side of the document transfer the peer takes. */
    public enum Role {
        SEND("--send"), RECEIVE("--receive");

        private final String flag;

        Role(String flag) {
            this.flag = flag;
        }
    }

    /**
     * Everything the peer is told. {@code null} strings and a {@code null calling} leave
     * spandsp's (or the peer's) default. Lists are comma-separated names as the peer takes
     * them: compressions {@code mh,mr,mmr}, resolutions {@code standard,fine,superfine},
     * modems {@code v27ter,v29,v17}; {@code all} for each.
     */
    public record Options(Role role, Path file, int localPort, int remotePort, int version, boolean ecm,
            String compressions, String resolutions, String modems, String ident, Boolean calling,
            int redundancy, String fec, double speed, Duration timeout, double dropPercent, long seed,
            boolean log, String dropData) {

        public Options {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(timeout, "timeout");
        }

        public static Options send(Path file) {
            return new Options(Role.SEND, file, 0, 0, 2, true, null, null, null, null, null, 3, null, 1.0,
                    Duration.ofSeconds(300), 0.0, 1, false, null);
        }

        public static Options receive(Path file) {
            return new Options(Role.RECEIVE, file, 0, 0, 2, true, null, null, null, null, null, 3, null, 1.0,
                    Duration.ofSeconds(300), 0.0, 1, false, null);
        }

        public Options withPorts(int local, int remote) {
            return new Options(role, file, local, remote, version, ecm, compressions, resolutions, modems, ident,
                    calling, redundancy, fec, speed, timeout, dropPercent, seed, log, dropData);
        }

        public Options withVersion(int v) {
            return new Options(role, file, localPort, remotePort, v, ecm, compressions, resolutions, modems, ident,
                    calling, redundancy, fec, speed, timeout, dropPercent, seed, log, dropData);
        }

        public Options withEcm(boolean e) {
            return new Options(role, file, localPort, remotePort, version, e, compressions, resolutions, modems,
                    ident, calling, redundancy, fec, speed, timeout, dropPercent, seed, log, dropData);
        }

        public Options withCompressions(String c) {
            return new Options(role, file, localPort, remotePort, version, ecm, c, resolutions, modems, ident,
                    calling, redundancy, fec, speed, timeout, dropPercent, seed, log, dropData);
        }

        public Options withResolutions(String r) {
            return new Options(role, file, localPort, remotePort, version, ecm, compressions, r, modems, ident,
                    calling, redundancy, fec, speed, timeout, dropPercent, seed, log, dropData);
        }

        public Options withModems(String m) {
            return new Options(role, file, localPort, remotePort, version, ecm, compressions, resolutions, m, ident,
                    calling, redundancy, fec, speed, timeout, dropPercent, seed, log, dropData);
        }

        public Options withIdent(String id) {
            return new Options(role, file, localPort, remotePort, version, ecm, compressions, resolutions, modems,
                    id, calling, redundancy, fec, speed, timeout, dropPercent, seed, log, dropData);
        }

        /** Whether this peer is the calling party; by default the sender calls. */
        public Options withCalling(boolean c) {
            return new Options(role, file, localPort, remotePort, version, ecm, compressions, resolutions, modems,
                    ident, c, redundancy, fec, speed, timeout, dropPercent, seed, log, dropData);
        }

        public Options withRedundancy(int n) {
            return new Options(role, file, localPort, remotePort, version, ecm, compressions, resolutions, modems,
                    ident, calling, n, fec, speed, timeout, dropPercent, seed, log, dropData);
        }

        /** Send FEC parity ({@code span} packets per entry, {@code entries} entries) instead of redundancy. */
        public Options withFec(int span, int entries) {
            return new Options(role, file, localPort, remotePort, version, ecm, compressions, resolutions, modems,
                    ident, calling, redundancy, span + ":" + entries, speed, timeout, dropPercent, seed, log, dropData);
        }

        /** Time scale: spandsp's 20 ms tick every 20/x ms of wall time. */
        public Options withSpeed(double x) {
            return new Options(role, file, localPort, remotePort, version, ecm, compressions, resolutions, modems,
                    ident, calling, redundancy, fec, x, timeout, dropPercent, seed, log, dropData);
        }

        /** Wall-clock limit after which the peer gives up and reports. */
        public Options withTimeout(Duration t) {
            return new Options(role, file, localPort, remotePort, version, ecm, compressions, resolutions, modems,
                    ident, calling, redundancy, fec, speed, t, dropPercent, seed, log, dropData);
        }

        /** Drop this percentage of outgoing datagrams at random, reproducibly for a given seed. */
        public Options withDrop(double percent, long s) {
            return new Options(role, file, localPort, remotePort, version, ecm, compressions, resolutions, modems,
                    ident, calling, redundancy, fec, speed, timeout, percent, s, log, dropData);
        }

        /** spandsp flow logging and UDPTL events in the peer's log file. */
        public Options withLog(boolean l) {
            return new Options(role, file, localPort, remotePort, version, ecm, compressions, resolutions, modems,
                    ident, calling, redundancy, fec, speed, timeout, dropPercent, seed, l, dropData);
        }

        /**
         * Drop the image data (TCF and pages) it receives for these modems ({@code v17}, {@code v29},
         * {@code v27ter}), as a gateway that cannot carry them: the training indicator arrives, no data.
         */
        public Options withDropData(String dropped) {
            return new Options(role, file, localPort, remotePort, version, ecm, compressions, resolutions, modems,
                    ident, calling, redundancy, fec, speed, timeout, dropPercent, seed, log, dropped);
        }

        /** The peer's command-line arguments, without the program. */
        public List<String> toArgs() {
            if (localPort <= 0 || remotePort <= 0) {
                throw new IllegalStateException("ports not set: call withPorts(local, remote)");
            }
            List<String> a = new ArrayList<>();
            a.add(role.flag);
            a.add(file.toString());
            a.addAll(List.of("--local-port", Integer.toString(localPort), "--remote-port", Integer.toString(remotePort),
                    "--version", Integer.toString(version), "--ecm", ecm ? "1" : "0",
                    "--redundancy", Integer.toString(redundancy), "--speed", num(speed),
                    "--timeout", num(timeout.toMillis() / 1000.0)));
            add(a, "--compressions", compressions);
            add(a, "--resolutions", resolutions);
            add(a, "--modems", modems);
            add(a, "--ident", ident);
            add(a, "--fec", fec);
            add(a, "--drop-data", dropData);
            if (calling != null) {
                a.addAll(List.of("--calling", calling ? "1" : "0"));
            }
            if (dropPercent > 0) {
                a.addAll(List.of("--drop", num(dropPercent), "--seed", Long.toString(seed)));
            }
            if (log) {
                a.add("--log");
            }
            return a;
        }
    }

    /**
     * What the peer reported. {@code json} holds every field of its final line (numbers as
     * {@code Long}, see docs/spandsp-harness.md); {@code wall} is measured here, from start to exit.
     */
    public record Result(int exitCode, Map<String, Object> json, Duration wall, Path log) {

        /** spandsp's phase E completion code ({@code T30_ERR_*}), -1 for a usage or socket error. */
        public int result() {
            return intField("result");
        }

        public String resultText() {
            Object t = json.get("result_text");
            return t != null ? t.toString() : String.valueOf(json.get("error"));
        }

        public boolean ok() {
            return exitCode == 0 && result() == T30_ERR_OK;
        }

        public boolean timedOut() {
            return Boolean.TRUE.equals(json.get("timed_out"));
        }

        public int pagesTx() {
            return intField("pages_tx");
        }

        public int pagesRx() {
            return intField("pages_rx");
        }

        public int bitRate() {
            return intField("bit_rate");
        }

        public boolean ecm() {
            return Boolean.TRUE.equals(json.get("ecm"));
        }

        /** {@code mh}, {@code mr}, {@code mmr}, {@code none} or {@code other}. */
        public String compression() {
            return (String) json.get("compression");
        }

        public String remoteIdent() {
            return (String) json.get("remote_ident");
        }

        /** Horizontal resolution of the last page in dpi, when a page was transferred. */
        public OptionalInt xRes() {
            return optionalInt("x_res");
        }

        public OptionalInt yRes() {
            return optionalInt("y_res");
        }

        /** A counter of the peer's UDPTL layer, e.g. {@code dropped}, {@code recovered_redundancy}, {@code lost}. */
        public long counter(String name) {
            Object v = json.get(name);
            if (!(v instanceof Long l)) {
                throw new IllegalArgumentException("no numeric field " + name + " in " + json);
            }
            return l;
        }

        private int intField(String name) {
            return (int) counter(name);
        }

        private OptionalInt optionalInt(String name) {
            Object v = json.get(name);
            return v instanceof Long l ? OptionalInt.of(l.intValue()) : OptionalInt.empty();
        }

        /** One line for test output and assertion messages. */
        public String summary() {
            return String.format(Locale.ROOT, "%s: %d %s, exit %d, pages tx/rx %s/%s, %s bps, ecm %s, %s, %.2f s, log %s",
                    json.get("role"), result(), resultText(), exitCode, json.get("pages_tx"), json.get("pages_rx"),
                    json.get("bit_rate"), json.get("ecm"), json.get("compression"), wall.toMillis() / 1000.0, log);
        }

        /** The peer's stderr, for assertion messages. */
        public String logText() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(log unreadable: " + e + ")";
            }
        }
    }

    /** A started peer process. */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final Options options;
        private final Path stdout;
        private final Path log;
        private final long startNanos;

        private Running(Process process, Options options, Path stdout, Path log, long startNanos) {
            this.process = process;
            this.options = options;
            this.stdout = stdout;
            this.log = log;
            this.startNanos = startNanos;
        }

        /**
         * Waits for the peer to end (it gives up by itself after its timeout) and parses its
         * JSON line; fails the test if it never exits or prints no result, and throws
         * {@link PortRetry.PortTaken} if it could not bind its port because another program had it.
         */
        public Result await() throws IOException, InterruptedException {
            Duration limit = options.timeout().plus(KILL_GRACE);
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                fail("t38peer " + options.toArgs() + " did not exit within " + limit.toSeconds() + " s; log " + log);
            }
            Duration wall = Duration.ofNanos(System.nanoTime() - startNanos);
            String out = Files.readString(stdout, StandardCharsets.UTF_8);
            Files.deleteIfExists(stdout);
            String line = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
            if (line == null) {
                fail("t38peer exited " + process.exitValue() + " without a JSON result; stdout: " + out
                        + "\nlog " + log + ":\n" + tail(log));
            }
            Files.writeString(log, "result (exit " + process.exitValue() + "): " + line + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            Result r = new Result(process.exitValue(), FlatJson.parse(line), wall, log);
            String error = String.valueOf(r.json().get("error"));
            if (error.startsWith("bind") && PortRetry.inUse(error)) {
                // The port chosen for it was taken first: that run tested nothing.
                throw new PortRetry.PortTaken("t38peer " + options.toArgs() + ": " + error);
            }
            return r;
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    /**
     * Path of the compiled peer, compiling it when missing or older than its source: once per
     * build in practice. Skips (or, with CI=true, fails) the test when gcc or the spandsp and
     * libtiff headers or libraries are missing.
     */
    public static Path binary() throws IOException, InterruptedException {
        return SpandspBuild.binary("t38peer");
    }

    /** Starts a peer whose stderr goes to {@code target/spandsp-logs/<name>.log}. */
    public static Running start(Options options, String name) throws IOException, InterruptedException {
        return start(options, List.of(), name);
    }

    /** As {@link #start(Options, String)}, with {@code extra} arguments after the options' (polling's {@code --password}, {@code --sep}). */
    public static Running start(Options options, List<String> extra, String name) throws IOException, InterruptedException {
        Path bin = binary();
        Path logs = TARGET.resolve("spandsp-logs").toAbsolutePath();
        Files.createDirectories(logs);
        Path log = logs.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".log");
        Path stdout = Files.createTempFile(logs, "t38peer", ".json");
        List<String> cmd = new ArrayList<>();
        cmd.add(bin.toString());
        cmd.addAll(options.toArgs());
        cmd.addAll(extra);
        Files.writeString(log, String.join(" ", cmd) + "\n", StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(stdout.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new Running(p, options, stdout, log, t0);
    }

    /** The two ends of one call. */
    public record Pair(Result sender, Result receiver) {
        public Duration wall() {
            return sender.wall().compareTo(receiver.wall()) >= 0 ? sender.wall() : receiver.wall();
        }
    }

    /**
     * Runs a sender and a receiver against each other on two free loopback ports (the ports in
     * the options are replaced), again on fresh ports when one was taken meanwhile.
     */
    public static Pair runPair(Options sender, Options receiver, String name) throws Exception {
        return PortRetry.onAddressInUse("t38peer pair " + name, attempt -> {
            int[] ports = freeUdpPorts(2);
            try (Running rx = start(receiver.withPorts(ports[1], ports[0]), name + "-receiver");
                    Running tx = start(sender.withPorts(ports[0], ports[1]), name + "-sender")) {
                Result s = tx.await();
                Result r = rx.await();
                return new Pair(s, r);
            }
        });
    }

    /** Distinct UDP ports that were free on 127.0.0.1 a moment ago: for starts inside {@link PortRetry#onAddressInUse}. */
    public static int[] freeUdpPorts(int n) {
        return PortRetry.freeUdp(InetAddress.getLoopbackAddress(), n);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
