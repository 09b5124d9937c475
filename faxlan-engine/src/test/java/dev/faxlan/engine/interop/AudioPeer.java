package dev.faxlan.engine.interop;

import dev.faxlan.testkit.SpandspBuild;
import dev.faxlan.testkit.FlatJson;
import static dev.faxlan.engine.interop.PeerArgs.add;
import static dev.faxlan.engine.interop.PeerArgs.num;
import static org.junit.jupiter.api.Assertions.fail;

import dev.faxlan.engine.interop.SpandspPeer.Result;
import dev.faxlan.engine.interop.SpandspPeer.Role;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * spandsp's audio fax terminal as a peer process: {@code src/test/c/audiopeer/audiopeer.c},
 * compiled once per build into {@code target/audiopeer}. It exchanges G.711 audio over one TCP
 * connection on loopback: in each direction a byte stream of G.711 octets (one per sample, 8000
 * per second of call time) that both ends read and write in frames of {@link #FRAME_OCTETS}, one
 * frame out for each frame in. Nothing else is on the wire, and no wall clock paces it: a call
 * runs as fast as both ends compute (see docs/fax-engine.md, "Audio fax test harness").
 *
 * <p>{@link #start} listens on a fresh loopback port, starts the peer with {@code --connect}
 * and hands the caller the connection's two streams ({@link Running#fromPeer}, {@link
 * Running#toPeer}): a Java endpoint speaks them directly. {@link #call} connects two spandsp
 * peers to each other through this JVM. The result is the JSON line the peer prints, read as
 * a {@link Result} as for the T.38 peer, with the audio fields ({@code call_ms}, {@code law},
 * {@code snr_db}, {@code drift_ppm}, {@code level_dbm0}, {@code frames_rx}) besides.
 */
public final class AudioPeer {

    /** Octets per frame: 20 ms of G.711 at 8000 samples/s. */
    public static final int FRAME_OCTETS = 160;

    private static final Path TARGET = Path.of("target");
    /** How long the started peer may take to connect back. */
    private static final Duration CONNECT_LIMIT = Duration.ofSeconds(60);
    /** Wall-clock limit of a peer process; a call of five minutes' call time takes seconds. */
    private static final Duration WALL_LIMIT = Duration.ofSeconds(300);

    private AudioPeer() {
    }

    /** The G.711 law used in both directions. */
    public enum Law {
        ULAW, ALAW;

        String arg() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Everything the peer is told. {@code null} leaves the peer's default: compressions
     * {@code mh,mr,mmr}, resolutions {@code standard,fine,superfine}, modems {@code v27ter,v29,v17}
     * (or {@code all}) as comma-separated names; {@code levelDbm0} the level of its modem signals
     * (spandsp sends -14 dBm0); {@code snrDb} white noise that many dB under that level; {@code
     * driftPpm} how fast this end's sample clock runs against the far end's; {@code callLimit}
     * call time (not wall time) after which the peer gives up.
     */
    public record Options(Role role, Path file, Law law, boolean ecm, String compressions, String resolutions,
            String modems, String ident, Boolean calling, Double levelDbm0, Double snrDb, double driftPpm, int seed,
            Duration callLimit, boolean log) {

        public Options {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(law, "law");
            Objects.requireNonNull(callLimit, "callLimit");
        }

        public static Options send(Path file) {
            return new Options(Role.SEND, file, Law.ALAW, true, null, null, null, null, null, null, null, 0, 1,
                    Duration.ofSeconds(300), false);
        }

        public static Options receive(Path file) {
            return new Options(Role.RECEIVE, file, Law.ALAW, true, null, null, null, null, null, null, null, 0, 1,
                    Duration.ofSeconds(300), false);
        }

        public Options withLaw(Law l) {
            return new Options(role, file, l, ecm, compressions, resolutions, modems, ident, calling, levelDbm0, snrDb,
                    driftPpm, seed, callLimit, log);
        }

        public Options withEcm(boolean e) {
            return new Options(role, file, law, e, compressions, resolutions, modems, ident, calling, levelDbm0, snrDb,
                    driftPpm, seed, callLimit, log);
        }

        public Options withCompressions(String c) {
            return new Options(role, file, law, ecm, c, resolutions, modems, ident, calling, levelDbm0, snrDb,
                    driftPpm, seed, callLimit, log);
        }

        public Options withResolutions(String r) {
            return new Options(role, file, law, ecm, compressions, r, modems, ident, calling, levelDbm0, snrDb,
                    driftPpm, seed, callLimit, log);
        }

        public Options withModems(String m) {
            return new Options(role, file, law, ecm, compressions, resolutions, m, ident, calling, levelDbm0, snrDb,
                    driftPpm, seed, callLimit, log);
        }

        public Options withIdent(String i) {
            return new Options(role, file, law, ecm, compressions, resolutions, modems, i, calling, levelDbm0, snrDb,
                    driftPpm, seed, callLimit, log);
        }

        /** Whether this peer is the calling party; by default the sender calls. */
        public Options withCalling(boolean c) {
            return new Options(role, file, law, ecm, compressions, resolutions, modems, ident, c, levelDbm0, snrDb,
                    driftPpm, seed, callLimit, log);
        }

        public Options withLevel(double dbm0) {
            return new Options(role, file, law, ecm, compressions, resolutions, modems, ident, calling, dbm0, snrDb,
                    driftPpm, seed, callLimit, log);
        }

        /** White noise {@code db} under the modem level, from a generator seeded with {@code s}. */
        public Options withNoise(double db, int s) {
            return new Options(role, file, law, ecm, compressions, resolutions, modems, ident, calling, levelDbm0, db,
                    driftPpm, s, callLimit, log);
        }

        public Options withDrift(double ppm) {
            return new Options(role, file, law, ecm, compressions, resolutions, modems, ident, calling, levelDbm0, snrDb,
                    ppm, seed, callLimit, log);
        }

        public Options withCallLimit(Duration d) {
            return new Options(role, file, law, ecm, compressions, resolutions, modems, ident, calling, levelDbm0, snrDb,
                    driftPpm, seed, d, log);
        }

        /** spandsp flow logging in the peer's log file. */
        public Options withLog(boolean l) {
            return new Options(role, file, law, ecm, compressions, resolutions, modems, ident, calling, levelDbm0, snrDb,
                    driftPpm, seed, callLimit, l);
        }

        /** The peer's command-line arguments, without the program, for a connection to {@code port}. */
        public List<String> toArgs(int port) {
            List<String> a = new ArrayList<>();
            a.add(role == Role.SEND ? "--send" : "--receive");
            a.add(file.toString());
            a.addAll(List.of("--connect", Integer.toString(port), "--law", law.arg(), "--ecm", ecm ? "1" : "0",
                    "--timeout", num(callLimit.toMillis() / 1000.0)));
            add(a, "--compressions", compressions);
            add(a, "--resolutions", resolutions);
            add(a, "--modems", modems);
            add(a, "--ident", ident);
            if (calling != null) {
                a.addAll(List.of("--calling", calling ? "1" : "0"));
            }
            if (levelDbm0 != null) {
                a.addAll(List.of("--level", num(levelDbm0)));
            }
            if (snrDb != null) {
                a.addAll(List.of("--snr", num(snrDb), "--seed", Integer.toString(seed)));
            }
            if (driftPpm != 0) {
                a.addAll(List.of("--drift", num(driftPpm)));
            }
            if (log) {
                a.add("--log");
            }
            return a;
        }
    }

    /** A started peer and its end of the audio connection. */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final Socket socket;
        private final Path stdout;
        private final Path log;
        private final long startNanos;
        private final String name;

        private Running(Process process, Socket socket, Path stdout, Path log, long startNanos, String name) {
            this.process = process;
            this.socket = socket;
            this.stdout = stdout;
            this.log = log;
            this.startNanos = startNanos;
            this.name = name;
        }

        /** G.711 octets the peer sends, in frames of {@link #FRAME_OCTETS}; ends when it hangs up. */
        public InputStream fromPeer() throws IOException {
            return socket.getInputStream();
        }

        /** Where the peer hears us: one frame for each frame it sent, G.711 in its law. */
        public OutputStream toPeer() throws IOException {
            return socket.getOutputStream();
        }

        /** Tells the peer we hung up: it hears silence from now on. */
        public void hangUp() throws IOException {
            if (!socket.isClosed() && !socket.isOutputShutdown()) {
                socket.shutdownOutput();
            }
        }

        /** Waits for the peer to end and parses its JSON line; fails the test if it never exits or prints none. */
        public Result await() throws IOException, InterruptedException {
            if (!process.waitFor(WALL_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                fail("audiopeer " + name + " did not exit within " + WALL_LIMIT.toSeconds() + " s; log " + log);
            }
            Duration wall = Duration.ofNanos(System.nanoTime() - startNanos);
            String out = Files.readString(stdout, StandardCharsets.UTF_8);
            Files.deleteIfExists(stdout);
            String line = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
            if (line == null) {
                fail("audiopeer " + name + " exited " + process.exitValue() + " without a JSON result; stdout: " + out
                        + "\nlog " + log);
            }
            Files.writeString(log, "result (exit " + process.exitValue() + "): " + line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
            return new Result(process.exitValue(), FlatJson.parse(line), wall, log);
        }

        @Override
        public void close() throws IOException {
            socket.close();
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    /**
     * Starts a peer whose stderr goes to {@code target/spandsp-logs/<name>.log} and returns once it
     * has connected; the audio is then the caller's to carry.
     */
    public static Running start(Options options, String name) throws IOException, InterruptedException {
        Path bin = SpandspBuild.binary("audiopeer");
        Path logs = TARGET.resolve("spandsp-logs").toAbsolutePath();
        Files.createDirectories(logs);
        Path log = logs.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".log");
        Path stdout = Files.createTempFile(logs, "audiopeer", ".json");
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<String> cmd = new ArrayList<>();
            cmd.add(bin.toString());
            cmd.addAll(options.toArgs(server.getLocalPort()));
            Files.writeString(log, String.join(" ", cmd) + "\n", StandardCharsets.UTF_8);
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            // Short accept timeouts only so that a peer that exits at once (bad usage) is noticed.
            server.setSoTimeout(250);
            while (true) {
                try {
                    Socket s = server.accept();
                    s.setTcpNoDelay(true);
                    return new Running(p, s, stdout, log, t0, name);
                } catch (SocketTimeoutException notYet) {
                    if (!p.isAlive()) {
                        fail("audiopeer " + name + " exited " + p.exitValue() + " before connecting: "
                                + Files.readString(stdout, StandardCharsets.UTF_8).strip() + "; log " + log);
                    }
                    if (System.nanoTime() - t0 > CONNECT_LIMIT.toNanos()) {
                        p.destroyForcibly();
                        fail("audiopeer " + name + " did not connect within " + CONNECT_LIMIT.toSeconds() + " s");
                    }
                }
            }
        }
    }

    /** Both ends of one spandsp-to-spandsp call, and the wall time it took. */
    public record Pair(Result sender, Result receiver, Duration wall) {

        /** Call time, as the longer-lived end counted it. */
        public Duration callTime() {
            return Duration.ofMillis(Math.max(callMs(sender), callMs(receiver)));
        }

        /** How many times faster than real time the call ran. */
        public double realTimeFactor() {
            return callTime().toNanos() / (double) Math.max(1, wall.toNanos());
        }

        private static long callMs(Result r) {
            return r.json().get("call_ms") instanceof Long l ? l : 0;
        }
    }

    /**
     * A call between two spandsp peers, their audio carried through this JVM: each end's frames
     * copied to the other as they come, and a hang-up passed on.
     */
    public static Pair call(Options sender, Options receiver, String name) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        try (Running rx = start(receiver, name + "-receiver"); Running tx = start(sender, name + "-sender")) {
            Thread up = relay(tx, rx, name + " sender->receiver");
            Thread down = relay(rx, tx, name + " receiver->sender");
            Result s = tx.await();
            Result r = rx.await();
            up.join(WALL_LIMIT.toMillis());
            down.join(WALL_LIMIT.toMillis());
            return new Pair(s, r, Duration.ofNanos(System.nanoTime() - t0));
        }
    }

    private static Thread relay(Running from, Running to, String name) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[64 * FRAME_OCTETS];
            try {
                // Not closed here: closing a socket's stream closes the socket, which the other relay still writes.
                InputStream in = from.fromPeer();
                OutputStream out = to.toPeer();
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                // The other end hung up first: nothing more to carry.
            }
            try {
                to.hangUp();
            } catch (IOException e) {
                // Already closed.
            }
        }, "audio relay " + name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
