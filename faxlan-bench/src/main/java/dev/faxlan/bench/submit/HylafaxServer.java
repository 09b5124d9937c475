package dev.faxlan.bench.submit;

import dev.faxlan.testkit.PortRetry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * HylaFAX's queueing side as Debian's hylafax-server installs it, started on loopback with a spool of
 * its own: a copy of the package's spool tree ({@code /var/spool/hylafax}) with {@code /etc/hylafax}
 * as its {@code etc} (what the package's init script copies there), owned by the fax user, then
 * {@code faxq -D} (the scheduler, which takes new jobs from hfaxd through the spool's FIFO) and
 * {@code hfaxd -d} (the client protocol on 127.0.0.1). No modem is configured: jobs are accepted and
 * queued, never sent. The package's {@code hosts.hfaxd} admits clients from localhost without a
 * password. Needs root (the daemons change to the fax user, as installed).
 */
public final class HylafaxServer implements AutoCloseable {
    static final Path PACKAGE_SPOOL = Path.of("/var/spool/hylafax");
    static final Path PACKAGE_ETC = Path.of("/etc/hylafax");
    static final String FAX_USER = "uucp";

    private final Path spool;
    private final Process faxq;
    private final Process hfaxd;
    private final int port;

    private HylafaxServer(Path spool, Process faxq, Process hfaxd, int port) {
        this.spool = spool;
        this.faxq = faxq;
        this.hfaxd = hfaxd;
        this.port = port;
    }

    /**
     * Starts the daemons on a new spool {@code spool} (a directory of its own under the system's temp
     * directory, since the daemons run as the fax user and must reach it) and writes their output to {@code logs}.
     */
    public static HylafaxServer start(Path spool, Path logs) throws Exception {
        for (String tool : List.of("/usr/sbin/hfaxd", "/usr/sbin/faxq", "/usr/bin/sendfax")) {
            if (!Files.isExecutable(Path.of(tool))) {
                throw new IllegalStateException(tool + " is missing: apt-get install hylafax-server hylafax-client");
            }
        }
        run(List.of("cp", "-a", PACKAGE_SPOOL + "/.", spool.toString()));
        run(List.of("cp", "-a", PACKAGE_ETC + "/.", spool.resolve("etc").toString()));
        run(List.of("chown", FAX_USER + ":" + FAX_USER, spool.toString()));
        Process faxq = new ProcessBuilder("/usr/sbin/faxq", "-D", "-q", spool.toString()).redirectErrorStream(true)
                .redirectOutput(logs.resolve("faxq.log").toFile()).start();
        try {
            awaitFile(spool.resolve("FIFO"), faxq, "faxq");
            record Started(Process hfaxd, int port) {}
            Started s = PortRetry.onAddressInUse("hfaxd", attempt -> {
                int port;
                try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                    port = probe.getLocalPort();
                }
                // -l before -i: the bind address applies to the -i that follows it.
                Process p = new ProcessBuilder("/usr/sbin/hfaxd", "-d", "-q", spool.toString(), "-l", "127.0.0.1", "-i", Integer.toString(port))
                        .redirectErrorStream(true).redirectOutput(logs.resolve("hfaxd-" + attempt + ".log").toFile()).start();
                if (!greets(p, port)) {
                    p.destroyForcibly();
                    // hfaxd logs to syslog only, so a bind that failed shows as an hfaxd that ended without greeting.
                    throw new PortRetry.PortTaken("hfaxd did not answer on 127.0.0.1:" + port + " (exited: " + !p.isAlive() + ")");
                }
                return new Started(p, port);
            });
            return new HylafaxServer(spool, faxq, s.hfaxd(), s.port());
        } catch (Exception e) {
            faxq.destroyForcibly();
            throw e;
        }
    }

    /** Whether the process {@code p} answers on {@code port} with HylaFAX's greeting (a 220 line naming it). */
    private static boolean greets(Process p, int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (p.isAlive() && System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                s.setSoTimeout(5000);
                String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                return p.isAlive() && line != null && line.startsWith("220") && line.contains("HylaFAX");
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        return false;
    }

    private static void awaitFile(Path file, Process p, String what) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(file)) {
            if (!p.isAlive() || System.nanoTime() > deadline) throw new IOException(what + " did not create " + file + " (alive: " + p.isAlive() + ")");
            Thread.sleep(50);
        }
    }

    static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException(String.join(" ", command) + " failed: " + out.strip());
    }

    /** host:port for sendfax's {@code -h}. */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** Jobs in the send queue (one {@code q} file each). */
    public long queuedJobs() throws IOException {
        try (Stream<Path> s = Files.list(spool.resolve("sendq"))) {
            return s.filter(f -> f.getFileName().toString().matches("q\\d+")).count();
        }
    }

    public Path spool() {
        return spool;
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : List.of(hfaxd, faxq)) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
        }
    }
}
