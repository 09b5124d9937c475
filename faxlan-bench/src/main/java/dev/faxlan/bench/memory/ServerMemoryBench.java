package dev.faxlan.bench.memory;

import static dev.faxlan.bench.BenchHost.load;
import static dev.faxlan.bench.BenchHost.secret;

import dev.faxlan.bench.submit.FaxlanNode;
import dev.faxlan.documents.WorkDirectories;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.SubmitRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Server memory (bench/server-memory.sh): one {@code faxlan server} child (bin/faxlan, embedded H2,
 * the built-in loopback line) idle, then with 1,000 connected alert clients: each its own QUIC
 * connection and session (logged in by API key: 1,000 password logins would measure PBKDF2) holding
 * one subscription, spread over several client processes ({@link AlertClients}). One job submitted
 * then must reach every client as an alert, which shows all of them connected. Each figure is taken
 * after a full GC ({@code jcmd GC.run}): the process's resident set (VmRSS) and the Java heap used
 * ({@code jcmd GC.heap_info}).
 *
 * <p>Usage: {@code ServerMemoryBench --repo DIR [--clients 1000] [--processes 4] [--idle-seconds 10]}
 */
public final class ServerMemoryBench {
    // Shenandoah: "  4010M max, 4010M soft max, 250M committed, 27M used"; G1, Parallel, Serial: "total 262144K, used 12345K".
    private static final Pattern HEAP_USED = Pattern.compile("(\\d+)([KMG]) used|used (\\d+)([KMG])");

    public static void main(String[] args) throws Exception {
        Path repo = null;
        int clients = 1000;
        int processes = 4;
        int idleSeconds = 10;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--repo" -> repo = Path.of(args[++i]).toAbsolutePath();
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--processes" -> processes = Integer.parseInt(args[++i]);
                case "--idle-seconds" -> idleSeconds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (repo == null) throw new IllegalArgumentException("give --repo, the faxlan checkout whose bin/faxlan starts the server");
        Path work = Files.createTempDirectory("memorybench");
        int status = 0;
        Properties settings = new Properties();
        // Every alert client comes from 127.0.0.1: room for all of them (and the bench's own) from one address.
        settings.setProperty("cpi.max.connections", Integer.toString(clients + 64));
        settings.setProperty("cpi.max.connections.per.address", Integer.toString(clients + 64));
        settings.setProperty("cpi.max.subscriptions.per.user", Integer.toString(clients + 16));
        String adminPassword = secret();
        try (FaxlanNode server = FaxlanNode.start(repo, work.resolve("server"), "memory", settings, adminPassword)) {
            String key;
            try (FaxlanClient admin = FaxlanClient.builder().server(server.address()).user("admin").password(adminPassword.toCharArray())
                    .timeout(Duration.ofSeconds(60)).build()) {
                admin.addUser("bench", secret().toCharArray(), "user");
                key = admin.createApiKey("memory bench", "bench").key();
            }
            System.out.printf(Locale.ROOT, "# server pid %d on %s (%s); load %s%n", server.pid(), server.address(), jvm(server.pid()), load());
            // Start-up work (migrations, the loopback line, JIT) settles before the idle figure.
            Thread.sleep(TimeUnit.SECONDS.toMillis(idleSeconds));
            Figures idle = measure(server);
            System.out.printf(Locale.ROOT, "RESULT idle server: RSS %.1f MiB, heap used after GC %.1f MiB; load %s%n", idle.rssMiB(), idle.heapMiB(), load());
            withAlertClients(server, key, clients, processes, work, idle);
        } catch (Exception e) {
            System.out.println("FAIL " + e);
            e.printStackTrace(System.out);
            status = 1;
        } finally {
            WorkDirectories.delete(work);
        }
        System.exit(status);
    }

    /** Starts the alert client processes, waits until each client is subscribed and alerted, measures, and ends them. */
    static void withAlertClients(FaxlanNode server, String key, int clients, int processes, Path work, Figures idle) throws Exception {
        List<Process> children = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            int perProcess = (clients + processes - 1) / processes;
            List<BufferedReader> outputs = new ArrayList<>();
            for (int p = 0; p < processes; p++) {
                int n = Math.min(perProcess, clients - p * perProcess);
                Process child = new ProcessBuilder(javaBin("java"), "-Xss256k", "-Xmx512m", "-Dfaxlan.rootlog=ERROR", "-cp",
                        System.getProperty("java.class.path"), AlertClients.class.getName(), "--server",
                        server.address().getAddress().getHostAddress() + ":" + server.address().getPort(), "--count", Integer.toString(n), "--name", "p" + p)
                        .redirectError(work.resolve("alert-clients-" + p + ".log").toFile()).start();
                children.add(child);
                try {
                    // Left open: the child holds its clients until its standard input closes.
                    Writer w = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
                    w.write(key + "\n");
                    w.flush();
                } catch (IOException e) {
                    throw new IOException("alert client process " + p + " ended at once: " + FaxlanNode.tail(work.resolve("alert-clients-" + p + ".log")), e);
                }
                outputs.add(new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)));
            }
            for (int p = 0; p < processes; p++) expect(outputs.get(p), "subscribed", work.resolve("alert-clients-" + p + ".log"));
            double connectSeconds = (System.nanoTime() - t0) / 1e9;
            try (FaxlanClient bench = FaxlanClient.builder().server(server.address()).apiKey(key.toCharArray()).timeout(Duration.ofSeconds(60)).build()) {
                Path letter = Files.writeString(work.resolve("letter.txt"), "One alert for every client.\n");
                bench.submit(new SubmitRequest(List.of("0000"), List.of(letter), null, null, null, Instant.now().plus(Duration.ofDays(30))));
            }
            for (int p = 0; p < processes; p++) expect(outputs.get(p), "alerted", work.resolve("alert-clients-" + p + ".log"));
            Figures held = measure(server);
            System.out.printf(Locale.ROOT, "RESULT %d alert clients (%d processes, connected and subscribed in %.1f s, each alerted once): RSS %.1f MiB,"
                    + " heap used after GC %.1f MiB; per client %.1f KiB RSS, %.1f KiB heap; load %s%n", clients, processes, connectSeconds,
                    held.rssMiB(), held.heapMiB(), (held.rssMiB() - idle.rssMiB()) * 1024 / clients, (held.heapMiB() - idle.heapMiB()) * 1024 / clients,
                    load());
        } finally {
            // The clients go before the server does: a client whose server is gone keeps trying to reconnect.
            for (Process child : children) child.getOutputStream().close(); // closing their input ends them
            for (Process child : children) {
                if (!child.waitFor(30, TimeUnit.SECONDS)) child.destroyForcibly().waitFor();
            }
        }
    }

    /** Resident set and heap used of the server, each after a full collection. */
    record Figures(double rssMiB, double heapMiB) {}

    static Figures measure(FaxlanNode server) throws IOException, InterruptedException {
        jcmd(server.pid(), "GC.run");
        String info = jcmd(server.pid(), "GC.heap_info");
        Matcher m = HEAP_USED.matcher(info);
        if (!m.find()) throw new IOException("no heap figure in jcmd GC.heap_info:\n" + info);
        String number = m.group(1) != null ? m.group(1) : m.group(3);
        String unit = m.group(2) != null ? m.group(2) : m.group(4);
        double mib = Long.parseLong(number) * switch (unit) {
            case "K" -> 1.0 / 1024;
            case "M" -> 1.0;
            default -> 1024.0;
        };
        return new Figures(server.rssBytes() / 1048576.0, mib);
    }

    static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(javaBin("jcmd"), Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException("jcmd " + pid + " " + command + " failed: " + out.strip());
        return out;
    }

    /** The server JVM's collector and maximum heap, as the JVM reports them. */
    static String jvm(long pid) throws IOException, InterruptedException {
        String flags = jcmd(pid, "VM.flags");
        Matcher gc = Pattern.compile("-XX:\\+Use(\\w+)GC").matcher(flags);
        Matcher max = Pattern.compile("-XX:MaxHeapSize=(\\d+)").matcher(flags);
        return (gc.find() ? gc.group(1) : "default") + " GC, max heap " + (max.find() ? Long.parseLong(max.group(1)) / 1048576 + " MiB" : "default");
    }

    /** Waits (at most 10 minutes) for an alert client process to print a line starting with {@code word}. */
    static void expect(BufferedReader out, String word, Path log) throws Exception {
        boolean seen = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith(word)) return true;
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        }).get(10, TimeUnit.MINUTES);
        if (!seen) throw new IOException("an alert client process ended before \"" + word + "\": " + FaxlanNode.tail(log));
    }

    static String javaBin(String tool) {
        return Path.of(System.getProperty("java.home"), "bin", tool).toString();
    }
}
