package dev.faxlan.bench.cpi;

import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Op;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import dev.faxlan.server.cpi.CpiLimits;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Small-request throughput and latency on loopback (bench/cpi-requests.sh): N concurrent callers, each
 * issuing one request after another for a fixed time, against a server started in this JVM on
 * 127.0.0.1 (port chosen by the OS).
 *
 * <ul>
 *   <li>{@code info}: each caller has its own {@link FaxlanClient}, so its own QUIC connection (no login needed).
 *   <li>{@code job.list}: all callers share one logged-in {@link FaxlanClient}: one QUIC connection, one
 *       session, one stream per request (128 separate logins would measure PBKDF2, not CPI).
 *   <li>{@code phonebook.add}: as {@code job.list}, on the shared connection; a mutating request, so each
 *       one is an idempotent, durable transaction acknowledged only once it is synced to the disk.
 * </ul>
 *
 * Usage: {@code RequestBench [--clients 1,16,128] [--seconds 10] [--warmup 3] [--ops info,job.list,phonebook.add]}
 */
public final class RequestBench {
    static final String ADMIN_PW = "bench-admin-pw";

    public static void main(String[] args) throws Exception {
        int[] clients = {1, 16, 128};
        int seconds = 10;
        int warmup = 3;
        List<String> ops = List.of("info", "job.list", "phonebook.add");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--clients" -> clients = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--ops" -> ops = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path data = Files.createTempDirectory("requestbench");
        try (FaxlanServer server = FaxlanServer.start(ServerConfig.defaults().withDataDir(data)
                .withBind(new InetSocketAddress("127.0.0.1", 0)).withName("bench").withAdminPassword(ADMIN_PW)
                // Every caller connects from 127.0.0.1: the default per-address limit (64) would refuse 'info' callers beyond it.
                .withCpiLimits(CpiLimits.defaults().withConnections(CpiLimits.DEFAULT_MAX_CONNECTIONS, CpiLimits.DEFAULT_MAX_CONNECTIONS)))) {
            InetSocketAddress addr = server.address();
            System.out.printf(Locale.ROOT, "# server on %s, %d CPUs, %s%n", addr, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
            for (String op : ops) {
                for (int n : clients) {
                    if (warmup > 0) measure(addr, op, n, warmup, false);
                    measure(addr, op, n, seconds, true);
                }
            }
        } finally {
            deleteTree(data);
        }
        // JAIN-SIP's EventScannerThreads are not daemons and outlive the server's close: without this the JVM never ends.
        System.exit(0);
    }

    static void measure(InetSocketAddress addr, String op, int n, int seconds, boolean print) throws Exception {
        boolean shared = !op.equals("info");
        List<FaxlanClient> conns = new ArrayList<>();
        int connections = shared ? 1 : n;
        for (int i = 0; i < connections; i++) {
            FaxlanClient c = FaxlanClient.builder().server(addr).user(shared ? "admin" : null)
                    .password(shared ? ADMIN_PW.toCharArray() : null).timeout(Duration.ofSeconds(30)).build();
            if (shared) c.login();
            else c.info(); // connect before the clock starts
            conns.add(c);
        }
        long[][] lat = new long[n][];
        int[] counts = new int[n];
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        boolean add = op.equals("phonebook.add");
        Op wire = shared ? Op.JOB_LIST : Op.INFO;
        Fields body = shared ? Fields.builder().put("all", false).build() : Fields.EMPTY;
        for (int t = 0; t < n; t++) {
            final int id = t;
            final FaxlanClient c = conns.get(shared ? 0 : t);
            Thread th = new Thread(() -> {
                long[] l = new long[1 << 16];
                int k = 0;
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                while (!stop.get()) {
                    long t0 = System.nanoTime();
                    if (add) c.addContact("bench " + id + "-" + k, null, "+15555550100", false);
                    else c.call(wire, body);
                    long d = System.nanoTime() - t0;
                    if (k == l.length) l = Arrays.copyOf(l, l.length * 2);
                    l[k++] = d;
                }
                lat[id] = l;
                counts[id] = k;
            }, "caller-" + t);
            th.start();
            threads.add(th);
        }
        long t0 = System.nanoTime();
        start.countDown();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread th : threads) th.join();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        for (FaxlanClient c : conns) c.close();
        if (!print) return;
        int total = 0;
        for (int c : counts) total += c;
        long[] all = new long[total];
        int p = 0;
        for (int t = 0; t < n; t++) {
            System.arraycopy(lat[t], 0, all, p, counts[t]);
            p += counts[t];
        }
        Arrays.sort(all);
        System.out.printf(Locale.ROOT, "RESULT %-13s clients %3d (%s): %8.0f req/s  p50 %7.2f ms  p99 %7.2f ms  (%d requests in %.1f s)%n",
                op, n, shared ? "1 shared connection" : n + " connections", total / elapsed, pct(all, 50) / 1e6, pct(all, 99) / 1e6, total, elapsed);
    }

    static long pct(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static void deleteTree(Path p) throws Exception {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(x -> x.toFile().delete());
        }
    }
}
