package dev.faxlan.it.netns;

import dev.faxlan.protocol.Fingerprint;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.sdk.Job;
import dev.faxlan.sdk.SubmitRequest;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A load generator for the namespace tests, run as its own JVM inside the client namespace: submits
 * {@code --count} faxes, each a tiny distinct document with subject {@code PREFIX-i}, from
 * {@code --threads} threads, each thread with its own {@link FaxlanClient} (its own QUIC connection and
 * session). Credentials come from FAXLAN_USER / FAXLAN_PASSWORD.
 *
 * <p>Prints one JSON object per submission, {@code {"subject":..,"sha256":..,"jobs":[..],"ms":..}} or
 * {@code {"subject":..,"error":..,"exit":..}}, then a summary line {@code {"summary":true,..}}. A failed
 * submission is never retried with a new key (it might have been executed): it is reported. Exit 0 when
 * every submission succeeded.
 */
public final class SubmitLoad {
    public static void main(String[] args) throws Exception {
        String server = null;
        String pin = null;
        String prefix = "load";
        String to = "+15550100";
        int count = 10;
        int threads = 4;
        int timeoutSeconds = 120;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--server" -> server = args[++i];
                case "--pin" -> pin = args[++i];
                case "--prefix" -> prefix = args[++i];
                case "--to" -> to = args[++i];
                case "--count" -> count = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--timeout" -> timeoutSeconds = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (server == null) {
            System.err.println("--server HOST:PORT is required");
            System.exit(2);
        }
        int colon = server.lastIndexOf(':');
        String host = server.substring(0, colon);
        int port = Integer.parseInt(server.substring(colon + 1));
        byte[] fp = pin == null ? null : Fingerprint.parse(pin);
        String user = System.getenv("FAXLAN_USER");
        char[] password = System.getenv("FAXLAN_PASSWORD") == null ? null : System.getenv("FAXLAN_PASSWORD").toCharArray();
        Path dir = Files.createTempDirectory("submitload");
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        final int total = count;
        final String pfx = prefix;
        final String number = to;
        final int timeout = timeoutSeconds;
        long start = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try (FaxlanClient c = FaxlanClient.builder().server(host, port).user(user).password(password).pin(fp)
                        .timeout(Duration.ofSeconds(timeout)).build()) {
                    for (int i; (i = next.getAndIncrement()) < total; ) {
                        String subject = pfx + "-" + i;
                        long t0 = System.nanoTime();
                        try {
                            Path doc = dir.resolve(subject + ".txt");
                            Files.writeString(doc, "faxlan namespace load test\nsubject: " + subject + "\nnonce: " + UUID.randomUUID() + "\n");
                            String sha = FaxlanClient.sha256(doc);
                            List<Job> jobs = c.submit(new SubmitRequest(List.of(number), List.of(doc), subject, null, null,
                                    java.time.Instant.parse(ServerProcess.LATER)));
                            StringBuilder ids = new StringBuilder();
                            for (Job j : jobs) ids.append(ids.length() == 0 ? "" : ",").append(j.id());
                            out.println("{\"subject\":\"" + subject + "\",\"sha256\":\"" + sha + "\",\"jobs\":[" + ids + "],\"ms\":"
                                    + (System.nanoTime() - t0) / 1_000_000 + "}");
                            ok.incrementAndGet();
                        } catch (FaxlanException e) {
                            failed.incrementAndGet();
                            out.println("{\"subject\":\"" + subject + "\",\"error\":\"" + escape(e.toString()) + "\",\"exit\":" + e.exitCode() + "}");
                        } catch (Exception e) {
                            failed.incrementAndGet();
                            out.println("{\"subject\":\"" + subject + "\",\"error\":\"" + escape(e.toString()) + "\",\"exit\":1}");
                        }
                    }
                }
            }, "submit-" + t);
            w.start();
            workers.add(w);
        }
        for (Thread w : workers) w.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf("{\"summary\":true,\"ok\":%d,\"failed\":%d,\"threads\":%d,\"seconds\":%.2f}%n", ok.get(), failed.get(), threads, seconds);
        System.exit(failed.get() == 0 ? 0 : 1);
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }
}
