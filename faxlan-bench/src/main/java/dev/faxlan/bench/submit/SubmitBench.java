package dev.faxlan.bench.submit;

import static dev.faxlan.bench.BenchHost.load;
import static dev.faxlan.bench.BenchHost.secret;

import dev.faxlan.documents.WorkDirectories;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.SubmitRequest;
import dev.faxlan.testkit.PostgresCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Submission throughput (bench/submit-throughput.sh): how many fax jobs a server accepts and queues
 * durably per second, and how long one submission takes (p50, p99), from N concurrent clients, each
 * submitting one job after another. A job is one small one-page text letter (each submission its own,
 * so nothing is deduplicated) to one number, due in 30 days, so no call is made: the figure is about
 * accepting work. Setups, each started by this program on loopback and stopped after it:
 *
 * <ul>
 *   <li>{@code h2}: one {@code faxlan server} child on its embedded H2; each client its own SDK connection
 *       and session; a submission is the SDK's {@code submit}: upload (SHA-256 checked, fsynced into the
 *       spool) and {@code job.submit} (a transaction synced before the answer).
 *   <li>{@code hylafax}: Debian's hylafax-server ({@code faxq}, {@code hfaxd}) on a spool of its own;
 *       each client runs {@code sendfax -n} (no cover page) once per job, as a user or script does.
 * </ul>
 *
 * Each setup gets an uncounted warm-up first. After each run the jobs are counted on the server, and the
 * ratio faxlan/HylaFAX of submissions per second is printed for every faxlan setup.
 *
 * <p>Usage: {@code SubmitBench --repo DIR [--clients 16] [--jobs 1000] [--warmup 100] [--setups h2,hylafax]}
 */
public final class SubmitBench {
    static final String NUMBER_FAXLAN = "0000"; // the built-in loopback line's number: valid on every node
    static final String NUMBER_HYLAFAX = "15550100";
    static final Duration DUE_IN = Duration.ofDays(30);

    /** Submissions per second and their latencies in one run. */
    record Figures(int jobs, double seconds, double perSecond, double p50Ms, double p99Ms) {}

    /** One client's way of making one submission of the document {@code doc}; returns nothing, fails by exception. */
    @FunctionalInterface
    interface Submitter {
        void submit(int client, Path doc) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Path repo = null;
        int clients = 16;
        int jobs = 1000;
        int warmup = 100;
        List<String> setups = List.of("h2", "hylafax");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--repo" -> repo = Path.of(args[++i]).toAbsolutePath();
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--jobs" -> jobs = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--setups" -> setups = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (repo == null) throw new IllegalArgumentException("give --repo, the faxlan checkout whose bin/faxlan starts the servers");
        Path work = Files.createTempDirectory("submitbench");
        int status = 0;
        Map<String, Figures> results = new LinkedHashMap<>();
        try {
            System.out.printf(Locale.ROOT, "# %d clients, %d jobs per setup after %d uncounted, a %d-byte one-page text letter each, due in %d days; load %s%n",
                    clients, jobs, warmup, Files.size(letter(work.resolve("sample.txt"), "sample", 0)), DUE_IN.toDays(), load());
            for (String setup : setups) {
                Path docs = Files.createDirectories(work.resolve("docs-" + setup));
                List<Path> letters = new ArrayList<>();
                for (int k = 0; k < warmup + jobs; k++) letters.add(letter(docs.resolve("letter-" + k + ".txt"), setup, k));
                Figures f = switch (setup) {
                    case "h2" -> faxlan(repo, work.resolve(setup), "faxlan H2, 1 node", 1, new Properties(), Map.of(), clients, letters, warmup);
                    case "postgres" -> postgres(repo, work.resolve(setup), 1, clients, letters, warmup);
                    case "postgres-3" -> postgres(repo, work.resolve(setup), 3, clients, letters, warmup);
                    case "hylafax" -> hylafax(work, clients, letters, warmup);
                    default -> throw new IllegalArgumentException("unknown setup " + setup + " (h2, postgres, postgres-3, hylafax)");
                };
                if (f == null) status = 1;
                else results.put(setup, f);
            }
            Figures peer = results.get("hylafax");
            if (peer != null) {
                for (var e : results.entrySet()) {
                    if (e.getKey().equals("hylafax")) continue;
                    System.out.printf(Locale.ROOT, "RATIO %s/hylafax submissions per second: %.2f (%.0f/s against %.0f/s); p50 latency %.2f (%.1f ms against %.1f ms)%n",
                            e.getKey(), e.getValue().perSecond() / peer.perSecond(), e.getValue().perSecond(), peer.perSecond(),
                            e.getValue().p50Ms() / peer.p50Ms(), e.getValue().p50Ms(), peer.p50Ms());
                }
            }
        } catch (Exception e) {
            System.out.println("FAIL " + e);
            e.printStackTrace();
            status = 1;
        } finally {
            WorkDirectories.delete(work);
        }
        System.exit(status); // the SDK's and JAIN-SIP's threads are not all daemons
    }

    /** faxlan on {@code nodes} server children sharing one throwaway PostgreSQL cluster's database. */
    static Figures postgres(Path repo, Path dir, int nodes, int clients, List<Path> letters, int warmup) throws Exception {
        try (PostgresCluster pg = PostgresCluster.start()) {
            Properties settings = new Properties();
            settings.setProperty("jdbc.url", pg.jdbcUrl(pg.createDatabase()));
            Path passwordFile = pg.writePasswordFile(Files.createDirectories(dir).resolve("db-password"));
            // The account goes in through the environment, as an operator's unit file gives it.
            Map<String, String> env = Map.of("FAXLAN_DB_USER", pg.user(), "FAXLAN_DB_PASSWORD_FILE", passwordFile.toString(),
                    "FAXLAN_DB_PASSWORD", pg.password());
            return faxlan(repo, dir, "faxlan PostgreSQL, " + nodes + (nodes == 1 ? " node" : " nodes"), nodes, settings, env, clients, letters, warmup);
        }
    }

    /** faxlan on {@code nodes} server children with {@code settings}; client i talks to node i mod nodes. */
    static Figures faxlan(Path repo, Path dir, String label, int nodes, Properties settings, Map<String, String> env, int clients, List<Path> letters,
            int warmup) throws Exception {
        String adminPassword = secret();
        char[] benchPassword = secret().toCharArray();
        List<FaxlanNode> started = new ArrayList<>();
        List<FaxlanClient> conns = new ArrayList<>();
        try {
            for (int n = 0; n < nodes; n++) started.add(FaxlanNode.start(repo, dir.resolve("node" + (n + 1)), "bench" + (n + 1), settings, adminPassword, env));
            try (FaxlanClient admin = FaxlanClient.builder().server(started.get(0).address()).user("admin").password(adminPassword.toCharArray())
                    .timeout(Duration.ofSeconds(60)).build()) {
                admin.addUser("bench", benchPassword, "user");
            }
            for (int c = 0; c < clients; c++) {
                FaxlanClient client = FaxlanClient.builder().server(started.get(c % nodes).address()).user("bench").password(benchPassword)
                        .timeout(Duration.ofSeconds(60)).build();
                client.login();
                conns.add(client);
            }
            Instant due = Instant.now().plus(DUE_IN);
            Submitter submit = (c, doc) -> conns.get(c).submit(new SubmitRequest(List.of(NUMBER_FAXLAN), List.of(doc), null, null, null, due));
            Figures f = measure(label, clients, letters, warmup, submit);
            long queued = conns.get(0).jobs(false).size();
            return report(label, clients, f, queued, letters.size());
        } finally {
            conns.forEach(FaxlanClient::close);
            for (FaxlanNode n : started) n.close();
        }
    }

    static Figures hylafax(Path work, int clients, List<Path> letters, int warmup) throws Exception {
        Path spool = Files.createTempDirectory("submitbench-hylafax");
        try (HylafaxServer hylafax = HylafaxServer.start(spool, Files.createDirectories(work.resolve("hylafax-logs")))) {
            Submitter submit = (c, doc) -> {
                Process p = new ProcessBuilder("/usr/bin/sendfax", "-n", "-h", hylafax.hostPort(), "-a", "now + " + DUE_IN.toDays() + " days",
                        "-d", NUMBER_HYLAFAX, doc.toString()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor() != 0 || !out.contains("request id is")) throw new IOException("sendfax failed (" + p.exitValue() + "): " + out.strip());
            };
            String label = "HylaFAX " + hylafaxVersion() + ", sendfax -n";
            Figures f = measure(label, clients, letters, warmup, submit);
            return report(label, clients, f, hylafax.queuedJobs(), letters.size());
        } finally {
            WorkDirectories.delete(spool);
        }
    }

    static Figures report(String label, int clients, Figures f, long queued, int submitted) {
        System.out.printf(Locale.ROOT, "RESULT %-34s %3d clients: %6.1f submissions/s, p50 %7.1f ms, p99 %7.1f ms (%d jobs in %.1f s); queued %d of %d; load %s%n",
                label, clients, f.perSecond(), f.p50Ms(), f.p99Ms(), f.jobs(), f.seconds(), queued, submitted, load());
        if (queued != submitted) {
            System.out.printf(Locale.ROOT, "FAIL %s: %d jobs queued, %d submitted%n", label, queued, submitted);
            return null;
        }
        return f;
    }

    /** The warm-up letters, then the counted ones, each taken by the next free client. */
    static Figures measure(String label, int clients, List<Path> letters, int warmup, Submitter submit) throws Exception {
        run(clients, letters.subList(0, warmup), submit);
        return run(clients, letters.subList(warmup, letters.size()), submit);
    }

    static Figures run(int clients, List<Path> letters, Submitter submit) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long[] nanos = new long[letters.size()];
        AtomicInteger next = new AtomicInteger();
        try {
            long t0 = System.nanoTime();
            List<Future<Void>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                final int client = c;
                running.add(pool.submit(() -> {
                    for (int k; (k = next.getAndIncrement()) < letters.size(); ) {
                        long s = System.nanoTime();
                        submit.submit(client, letters.get(k));
                        nanos[k] = System.nanoTime() - s;
                    }
                    return null;
                }));
            }
            for (Future<Void> f : running) f.get();
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (letters.isEmpty()) return new Figures(0, seconds, 0, 0, 0);
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            return new Figures(letters.size(), seconds, letters.size() / seconds, pct(sorted, 50) / 1e6, pct(sorted, 99) / 1e6);
        } finally {
            pool.shutdownNow();
        }
    }

    static long pct(long[] sorted, double p) {
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** A one-page business letter in plain text, made unique by its setup and number. */
    static Path letter(Path file, String setup, int k) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("Bench Medical Practice\n12 Example Street\nSpringfield\n\n");
        b.append(String.format(Locale.ROOT, "Reference: %s-%06d\n\n", setup, k));
        b.append("Dear colleague,\n\n");
        for (int line = 0; line < 24; line++) {
            b.append("Please find the requested results for your patient below; call us with any question.\n");
        }
        b.append("\nKind regards,\n\nthe bench\n");
        return Files.writeString(file, b, StandardCharsets.US_ASCII);
    }

    static String hylafaxVersion() {
        try {
            Process p = new ProcessBuilder("dpkg-query", "-W", "-f", "${Version}", "hylafax-server").start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 && !v.isEmpty() ? v : "?";
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }
}
