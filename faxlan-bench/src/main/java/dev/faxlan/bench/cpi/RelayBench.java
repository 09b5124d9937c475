package dev.faxlan.bench.cpi;

import dev.faxlan.sdk.FaxlanClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What {@code faxlan relay} costs (bench/relay.sh): the same server reached directly and through a
 * relay over the same path, from one JVM, in alternating rounds so that machine noise hits both alike.
 * Per path: latency of {@code info} on an open connection (p50, p99) and upload throughput of a large
 * file (median MB/s, 1 MB = 10^6 bytes); then the relay's added latency and its throughput ratio.
 *
 * <p>Usage: {@code RelayBench --direct HOST:PORT --relay HOST:PORT [--requests 2000] [--size-mb 50] [--rounds 3]};
 * credentials from FAXLAN_USER / FAXLAN_PASSWORD.
 */
public final class RelayBench {
    public static void main(String[] args) throws Exception {
        String direct = null;
        String relay = null;
        int requests = 2000;
        int sizeMb = 50;
        int rounds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--direct" -> direct = args[++i];
                case "--relay" -> relay = args[++i];
                case "--requests" -> requests = Integer.parseInt(args[++i]);
                case "--size-mb" -> sizeMb = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (direct == null || relay == null) {
            System.err.println("usage: RelayBench --direct HOST:PORT --relay HOST:PORT [--requests N] [--size-mb N] [--rounds N]");
            System.exit(2);
        }
        long size = (long) sizeMb * 1_000_000L;
        Path file = Files.createTempFile("relaybench", ".bin");
        try (FaxlanClient d = client(direct); FaxlanClient r = client(relay)) {
            UploadBench.fill(file, size);
            d.login();
            r.login();
            // Warm-up: JIT on every side, connections, congestion state; not counted.
            for (int i = 0; i < 300; i++) {
                d.info();
                r.info();
            }
            d.upload(file, b -> {});
            UploadBench.stamp(file);
            r.upload(file, b -> {});
            long[] dLat = new long[requests];
            long[] rLat = new long[requests];
            List<Double> dUp = new ArrayList<>();
            List<Double> rUp = new ArrayList<>();
            int per = requests / rounds;
            int di = 0;
            int ri = 0;
            for (int round = 1; round <= rounds; round++) {
                int n = round == rounds ? requests - di : per;
                for (int i = 0; i < n; i++) dLat[di++] = timed(d);
                for (int i = 0; i < n; i++) rLat[ri++] = timed(r);
                UploadBench.stamp(file);
                double du = upload(d, file, size);
                UploadBench.stamp(file);
                double ru = upload(r, file, size);
                dUp.add(du);
                rUp.add(ru);
                System.out.printf(Locale.ROOT, "round %d: upload direct %.1f MB/s, relay %.1f MB/s%n", round, du, ru);
            }
            Arrays.sort(dLat);
            Arrays.sort(rLat);
            double d50 = pct(dLat, 50), d99 = pct(dLat, 99), r50 = pct(rLat, 50), r99 = pct(rLat, 99);
            double dMed = UploadBench.median(dUp), rMed = UploadBench.median(rUp);
            System.out.printf(Locale.ROOT, "RESULT info latency (%d calls each): direct p50 %.3f ms p99 %.3f ms; relay p50 %.3f ms p99 %.3f ms;"
                    + " added p50 %.3f ms p99 %.3f ms%n", requests, d50, d99, r50, r99, r50 - d50, r99 - d99);
            System.out.printf(Locale.ROOT, "RESULT upload %d MB, %d rounds: median direct %.1f MB/s, relay %.1f MB/s, relay/direct %.2f%n",
                    sizeMb, rounds, dMed, rMed, rMed / dMed);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static FaxlanClient client(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return FaxlanClient.builder().server(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)))
                .user(System.getenv("FAXLAN_USER")).password(System.getenv("FAXLAN_PASSWORD").toCharArray())
                .timeout(Duration.ofSeconds(60)).build();
    }

    private static long timed(FaxlanClient c) {
        long t0 = System.nanoTime();
        c.info();
        return System.nanoTime() - t0;
    }

    private static double upload(FaxlanClient c, Path file, long size) {
        long t0 = System.nanoTime();
        c.upload(file, b -> {});
        return UploadBench.mbps(size, System.nanoTime() - t0);
    }

    /** The p-th percentile (nearest rank) of sorted nanoseconds, in milliseconds. */
    static double pct(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
