package dev.faxlan.it.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faxlan.sdk.FaxlanClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, acceptance "flood": an attacker namespace, routed like the client, sends 1,000,000 discovery
 * probes from random spoofed addresses in 10.232.0.0/16 (blackholed by the router) and replays 10,000
 * real client Initials (captured from the SDK) from random ports of its own address, through a C
 * generator writing forged IPv4 headers on a raw socket. Meanwhile a legitimate client in its own
 * namespace keeps asking {@code info}, on its connection and every 2 s on a new one. Asserted: the
 * client never fails; the server's resident memory stays under its bound; nftables counters in the
 * server's namespace show no more bytes sent to the spoofed range, or to the attacker, than received
 * from it; the server's own counters agree. The client's latency during the flood is printed, not asserted.
 */
class NetnsFloodIT {
    static final String ATTACKER_IP = "10.231.3.2";
    static final String ROUTER_ATTACKER_SIDE = "10.231.3.1";
    static final String SPOOFED = "10.232.0.0/16";
    static final long PROBES = 1_000_000;
    static final long INITIALS = 10_000;
    /** The bound on the server's resident memory during the flood: its heap maximum (384 MiB) plus 256 MiB. */
    static final long RSS_BOUND_KIB = (384 + 256) * 1024;
    /**
     * {@code -Dfaxlan.flood.kernel-discovery-limit=true}: the server's host also drops discovery datagrams beyond 1000 a
     * second in nftables, before they reach the socket (for bench/RESULTS.md; the counters still count every arrival).
     */
    static final boolean KERNEL_DISCOVERY_LIMIT = Boolean.getBoolean("faxlan.flood.kernel-discovery-limit");
    static final Pattern COUNTER = Pattern.compile("packets (\\d+) bytes (\\d+)");
    static final Pattern SERVER_COUNTERS = Pattern.compile("unvalidated sources: received (\\d+) datagrams \\((\\d+) bytes\\), sent (\\d+) \\((\\d+) bytes\\).*");

    @TempDir
    Path dir;
    Netns net;

    @AfterEach
    void tearDown() {
        if (net != null) net.close();
    }

    /** gcc builds the generator; like the namespace tools, its absence fails the test under CI=true. */
    static void requireGcc() {
        if (Netns.run(List.of("sh", "-c", "command -v gcc"), null, Duration.ofSeconds(10), Map.of()).exit() == 0) return;
        String reason = "gcc is not installed (it builds the flood generator)";
        if ("true".equals(System.getenv("CI"))) Assertions.fail(reason + " (CI=true: namespace tests must run)");
        System.out.println("SKIPPED (netns): " + reason);
        Assumptions.abort(reason);
    }

    Path buildGenerator() throws IOException {
        Path source = dir.resolve("udpflood.c");
        try (InputStream in = NetnsFloodIT.class.getResourceAsStream("/flood/udpflood.c")) {
            Files.copy(in, source);
        }
        Path binary = dir.resolve("udpflood");
        Netns.run(List.of("gcc", "-O2", "-o", binary.toString(), source.toString()), null, Duration.ofSeconds(60), Map.of()).check("gcc udpflood.c");
        return binary;
    }

    /** The first datagram of a real SDK connection attempt: a client Initial without a token. */
    byte[] captureClientInitial() throws Exception {
        try (DatagramSocket catcher = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            catcher.setSoTimeout(60_000);
            Thread attempt = new Thread(() -> {
                try (FaxlanClient c = FaxlanClient.builder().server("127.0.0.1", catcher.getLocalPort()).timeout(Duration.ofSeconds(2)).build()) {
                    c.info();
                } catch (RuntimeException expected) {
                    // nobody answers: only its first packet was wanted
                }
            }, "initial-capture");
            attempt.setDaemon(true);
            attempt.start();
            byte[] buf = new byte[2048];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            catcher.receive(p);
            return Arrays.copyOf(buf, p.getLength());
        }
    }

    long[] counter(String ns, String name) {
        Matcher m = COUNTER.matcher(net.exec(ns, Duration.ofSeconds(20), Map.of(), "nft", "list", "counter", "inet", "fxflood", name).check("nft list counter").out());
        assertThat(m.find()).as("counter %s", name).isTrue();
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }

    static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
            }
        } catch (IOException gone) {
            // the process ended
        }
        return 0;
    }

    record Call(long at, long micros, String kind) {}

    static List<Call> calls(Path out) throws IOException {
        List<Call> calls = new ArrayList<>();
        for (String line : Files.readAllLines(out)) {
            String[] f = line.split(" ", 4);
            if (f.length >= 3) calls.add(new Call(Long.parseLong(f[0]), Long.parseLong(f[1]), f[2]));
        }
        return calls;
    }

    static double percentileMs(List<Long> micros, double p) {
        if (micros.isEmpty()) return Double.NaN;
        List<Long> sorted = micros.stream().sorted().toList();
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1)) / 1000.0;
    }

    @Test
    void aSpoofedFloodNeitherStopsTheServerNorMakesItAnAmplifier() throws Exception {
        Netns.requireEnvironment();
        requireGcc();
        Path generator = buildGenerator();
        byte[] initial = captureClientInitial();
        assertThat(initial.length).as("a client Initial fills a datagram of at least 1200 bytes").isGreaterThanOrEqualTo(1200);
        assertThat(initial[0] & 0xf0).as("long header, type Initial").isEqualTo(0xc0);
        Path initialFile = dir.resolve("initial.bin");
        Files.write(initialFile, initial);

        net = new Netns();
        Topologies.Routed topo = Topologies.routed(net);
        String attacker = net.add("a");
        net.veth(attacker, "eth0", topo.router(), "eth2");
        net.addr(attacker, "eth0", ATTACKER_IP + "/24");
        net.addr(topo.router(), "eth2", ROUTER_ATTACKER_SIDE + "/24");
        net.defaultRoute(attacker, ROUTER_ATTACKER_SIDE);
        // The router passes the forged sources on (no reverse-path filter) and drops what the server sends back to them.
        net.exec(topo.router(), Duration.ofSeconds(10), Map.of(), "sh", "-c",
                "for f in all default eth2; do echo 0 > /proc/sys/net/ipv4/conf/$f/rp_filter; done && ip route add blackhole " + SPOOFED)
                .check("router set-up");
        net.nft(topo.server(), "table inet fxflood {\n"
                + "\tcounter spoofed_in {\n\t}\n\tcounter spoofed_out {\n\t}\n\tcounter attacker_in {\n\t}\n\tcounter attacker_out {\n\t}\n"
                + "\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n"
                + "\t\tip saddr " + SPOOFED + " udp dport " + ServerProcess.PORT + " counter name \"spoofed_in\"\n"
                + (KERNEL_DISCOVERY_LIMIT ? "\t\tudp dport " + ServerProcess.PORT + " @th,64,8 < 0x40 limit rate over 1000/second drop\n" : "")
                + "\t\tip saddr " + ATTACKER_IP + " udp dport " + ServerProcess.PORT + " counter name \"attacker_in\"\n\t}\n"
                + "\tchain output {\n\t\ttype filter hook output priority filter; policy accept;\n"
                + "\t\tip daddr " + SPOOFED + " udp sport " + ServerProcess.PORT + " counter name \"spoofed_out\"\n"
                + "\t\tip daddr " + ATTACKER_IP + " udp sport " + ServerProcess.PORT + " counter name \"attacker_out\"\n\t}\n}\n");

        ServerProcess server = ServerProcess.start(net, topo.server(), dir, "netns-flood");
        long pid = server.process.pid();
        assertThat(Files.readString(Path.of("/proc/" + pid + "/cmdline"))).as("the server's own process").contains("java");

        Path stop = dir.resolve("stop");
        Path loopOut = dir.resolve("info-loop.out");
        Path loopErr = dir.resolve("info-loop.err");
        Process loop = net.spawn(topo.client(), Map.of(), loopOut, loopErr,
                Netns.java(InfoLoop.class.getName(), Topologies.SERVER_IP, String.valueOf(ServerProcess.PORT), stop.toString(), "2000").toArray(String[]::new));
        await("the legitimate client's first calls").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> !loop.isAlive() || calls(loopOut).size() >= 25);
        assertThat(loop.isAlive()).as("the client loop runs; stderr: %s", Files.readString(loopErr)).isTrue();

        long baseline = rssKib(pid);
        AtomicLong peak = new AtomicLong(baseline);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(rssKib(pid), Math::max);
                try {
                    Thread.sleep(100); // a sampling period, not a wait for a condition
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();

        long floodStart = System.currentTimeMillis();
        Process probes = net.spawn(attacker, Map.of(), dir.resolve("probes.out"), dir.resolve("probes.err"), generator.toString(), "probe",
                String.valueOf(PROBES), "150000", SPOOFED, Topologies.SERVER_IP, String.valueOf(ServerProcess.PORT));
        Process initials = net.spawn(attacker, Map.of(), dir.resolve("initials.out"), dir.resolve("initials.err"), generator.toString(), "replay",
                String.valueOf(INITIALS), "2000", ATTACKER_IP, Topologies.SERVER_IP, String.valueOf(ServerProcess.PORT), initialFile.toString());
        assertThat(probes.waitFor(120, TimeUnit.SECONDS)).as("the probe flood ends").isTrue();
        assertThat(initials.waitFor(120, TimeUnit.SECONDS)).as("the Initial flood ends").isTrue();
        long floodEnd = System.currentTimeMillis();
        String probesSent = Files.readString(dir.resolve("probes.out")).strip();
        String initialsSent = Files.readString(dir.resolve("initials.out")).strip();
        assertThat(probes.exitValue()).as("probe generator: %s %s", probesSent, Files.readString(dir.resolve("probes.err"))).isZero();
        assertThat(initials.exitValue()).as("Initial generator: %s %s", initialsSent, Files.readString(dir.resolve("initials.err"))).isZero();

        // The server works off what its socket still holds; the client goes on until it has made 10 calls since.
        await("the legitimate client's calls after the flood").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> !loop.isAlive() || calls(loopOut).stream().filter(c -> c.at() > floodEnd).count() >= 10);
        Files.writeString(stop, "");
        assertThat(loop.waitFor(120, TimeUnit.SECONDS)).as("the client loop stops").isTrue();
        sampler.interrupt();
        long[] spoofedIn = counter(topo.server(), "spoofed_in");
        long[] spoofedOut = counter(topo.server(), "spoofed_out");
        long[] attackerIn = counter(topo.server(), "attacker_in");
        long[] attackerOut = counter(topo.server(), "attacker_out");
        String udp = net.exec(topo.server(), Duration.ofSeconds(10), Map.of(), "sh", "-c", "grep '^Udp:' /proc/net/snmp").check("snmp").out();

        server.process.destroy(); // SIGTERM: the server logs its counters as it stops
        assertThat(server.process.waitFor(90, TimeUnit.SECONDS)).as("the server stops").isTrue();
        Matcher own = SERVER_COUNTERS.matcher(Files.readString(server.stderr)); // the server logs to stderr
        String lastOwn = null;
        long[] ownFigures = null;
        while (own.find()) {
            lastOwn = own.group();
            ownFigures = new long[] {Long.parseLong(own.group(2)), Long.parseLong(own.group(4))};
        }

        List<Call> all = calls(loopOut);
        List<Call> during = all.stream().filter(c -> c.at() >= floodStart && c.at() <= floodEnd).toList();
        List<Long> duringMicros = during.stream().filter(c -> c.kind().equals("ok")).map(Call::micros).toList();
        List<Long> freshMicros = during.stream().filter(c -> c.kind().equals("fresh")).map(Call::micros).toList();
        // Before the flood: the last 20 calls on the long-lived connection (the first ones include its start and the JIT's warm-up).
        List<Long> before = all.stream().filter(c -> c.at() < floodStart && c.kind().equals("ok")).map(Call::micros).toList();
        List<Long> beforeMicros = before.subList(Math.max(0, before.size() - 20), before.size());
        System.out.printf("[netns-flood] probes: %s; Initials: %s; flood %.1f s%s%n", probesSent, initialsSent, (floodEnd - floodStart) / 1000.0,
                KERNEL_DISCOVERY_LIMIT ? "; nftables drops discovery beyond 1000/s" : "");
        System.out.printf("[netns-flood] at the server: from the spoofed range %d datagrams / %d bytes in, %d / %d out; from the attacker %d / %d in, %d / %d out%n",
                spoofedIn[0], spoofedIn[1], spoofedOut[0], spoofedOut[1], attackerIn[0], attackerIn[1], attackerOut[0], attackerOut[1]);
        System.out.printf("[netns-flood] server UDP (/proc/net/snmp): %s%n", udp.replace('\n', ' ').strip());
        System.out.printf("[netns-flood] server's own counters: %s%n", lastOwn);
        System.out.printf("[netns-flood] connections the server refused over its connection limits: %d%n",
                Files.readAllLines(server.stderr).stream().filter(l -> l.contains("refused a CPI connection")).count());
        System.out.printf("[netns-flood] server RSS: %d MiB before, %d MiB peak (bound %d MiB)%n", baseline / 1024, peak.get() / 1024, RSS_BOUND_KIB / 1024);
        System.out.printf("[netns-flood] legitimate info calls on one connection: before the flood p50 %.1f ms p99 %.1f ms (%d calls);"
                        + " during it p50 %.1f ms p99 %.1f ms max %.1f ms (%d calls)%n",
                percentileMs(beforeMicros, 0.5), percentileMs(beforeMicros, 0.99), beforeMicros.size(),
                percentileMs(duringMicros, 0.5), percentileMs(duringMicros, 0.99), percentileMs(duringMicros, 1.0), duringMicros.size());
        System.out.printf("[netns-flood] legitimate info calls on a new connection each during the flood: p50 %.1f ms max %.1f ms (%d calls)%n",
                percentileMs(freshMicros, 0.5), percentileMs(freshMicros, 1.0), freshMicros.size());

        assertThat(loop.exitValue()).as("the legitimate client never failed; its calls:\n%s", Files.readString(loopOut)).isZero();
        assertThat(all).noneMatch(c -> c.kind().equals("error"));
        assertThat(duringMicros).as("calls on the long-lived connection during the flood").isNotEmpty();
        assertThat(freshMicros).as("calls on new connections during the flood").isNotEmpty();
        assertThat(spoofedIn[0]).as("spoofed probes reached the server").isGreaterThan(PROBES / 10);
        assertThat(attackerIn[0]).as("replayed Initials reached the server").isGreaterThan(INITIALS / 10);
        assertThat(spoofedOut[1]).as("bytes sent to the spoofed range vs received from it").isLessThanOrEqualTo(spoofedIn[1]);
        assertThat(attackerOut[1]).as("bytes sent to the attacker vs received from it").isLessThanOrEqualTo(attackerIn[1]);
        assertThat(ownFigures).as("the server logs its counters of unvalidated traffic").isNotNull();
        assertThat(ownFigures[1]).as("the server's own count: bytes sent vs received, unvalidated").isLessThanOrEqualTo(ownFigures[0]);
        assertThat(peak.get()).as("the server's resident memory, KiB").isLessThan(RSS_BOUND_KIB);
    }
}
