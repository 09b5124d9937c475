package dev.faxlan.bench.web;

import dev.faxlan.bench.mail.SmtpGatewayBench;
import dev.faxlan.documents.WorkDirectories;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.SubmitRequest;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import dev.faxlan.testkit.PortRetry;
import dev.faxlan.web.WebApp;
import dev.faxlan.web.WebSettings;
import dev.faxlan.web.cpi.UserClients;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The REST API of {@code faxlan web} (bench/web-api.sh): a server and the web process in this JVM on
 * 127.0.0.1, an API key of one user; then N requests over K threads of {@code GET /api/v1/faxes} and of
 * {@code POST /api/v1/faxes} (a 1-page PDF to one number), each timed alone for p50 and p99, and in
 * the same run the same calls straight through the SDK ({@code jobs(true)}, upload and submit) from K
 * threads with a logged-in client each: requests per second, latencies, and what the web process adds.
 * Rounds alternate the two paths. The number is on a SIP trunk to the discard port (one channel), so
 * jobs are made and queued, not faxed.
 *
 * <p>Usage: {@code WebApiBench [--requests 200] [--threads 4] [--rounds 2]}
 */
public final class WebApiBench {
    static final String ADMIN_PW = "bench-admin-pw";
    static final String USER = "apibench";
    static final String USER_PW = "apibench-pw-1";
    static final String NUMBER = "+15550100";

    /** Requests per second and the latencies of one path in one round. */
    record Figures(double perSecond, double p50Ms, double p99Ms) {}

    public static void main(String[] args) throws Exception {
        int requests = 200;
        int threads = 4;
        int rounds = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--requests" -> requests = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path work = Files.createTempDirectory("webapibench");
        int status = 0;
        try (FaxlanServer server = PortRetry.onAddressInUse("bench server", a -> FaxlanServer.start(ServerConfig.defaults()
                .withDataDir(work.resolve("data")).withBind(new InetSocketAddress("127.0.0.1", 0)).withName("bench")
                .withAdminPassword(ADMIN_PW).withLines(SmtpGatewayBench.lines())))) {
            String key;
            try (FaxlanClient admin = client(server)) {
                try (FaxlanClient a = FaxlanClient.builder().server(server.address()).user("admin").password(ADMIN_PW.toCharArray())
                        .timeout(Duration.ofSeconds(60)).build()) {
                    a.addUser(USER, USER_PW.toCharArray(), "user");
                }
                key = admin.createApiKey("bench").key();
            }
            Properties p = new Properties();
            p.setProperty("data.dir", work.resolve("web").toString());
            try (WebApp web = WebApp.start(WebSettings.parse(p, work), new InetSocketAddress("127.0.0.1", 0),
                    new UserClients(server.address(), null, Duration.ofSeconds(60)))) {
                String base = "http://127.0.0.1:" + web.port() + "/api/v1/faxes";
                Path pdf = SmtpGatewayBench.onePagePdf(work.resolve("letter.pdf"));
                byte[] pdfBytes = Files.readAllBytes(pdf);
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
                System.out.printf(Locale.ROOT, "# server %s, web %s, %d CPUs, %s; %d requests per path and round, %d threads, %d rounds%n",
                        server.address(), base, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"), requests, threads,
                        rounds);
                // Warm-up and 20 jobs for the list to hold: JIT, connections, logins on every side.
                run(threads, 20, () -> { post(http, base, key, pdfBytes); return null; });
                run(threads, 20, () -> { get(http, base, key); return null; });
                sdk(server, threads, 20, c -> c.jobs(true));
                List<Figures[]> list = new ArrayList<>();
                List<Figures[]> create = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    Figures webList = run(threads, requests, () -> { get(http, base, key); return null; });
                    Figures sdkList = sdk(server, threads, requests, c -> c.jobs(true));
                    Figures webCreate = run(threads, requests, () -> { post(http, base, key, pdfBytes); return null; });
                    Figures sdkCreate = sdk(server, threads, requests, c -> c.submit(new SubmitRequest(List.of(NUMBER), List.of(pdf), "bench", null, null, null)));
                    list.add(new Figures[] {webList, sdkList});
                    create.add(new Figures[] {webCreate, sdkCreate});
                    print(round, "GET /faxes", webList, sdkList);
                    print(round, "POST /faxes", webCreate, sdkCreate);
                }
                try (FaxlanClient c = client(server)) {
                    int want = 20 + rounds * requests * 2;
                    int jobs = c.jobs(true).size();
                    System.out.printf(Locale.ROOT, "jobs: %d of %d%n", jobs, want);
                    if (jobs != want) status = 1;
                }
            }
        } catch (Exception e) {
            System.out.println("FAIL " + e);
            e.printStackTrace();
            status = 1;
        } finally {
            WorkDirectories.delete(work);
        }
        System.exit(status); // JAIN-SIP's threads are not daemons
    }

    static void print(int round, String what, Figures web, Figures sdk) {
        System.out.printf(Locale.ROOT, "RESULT round %d %s: web %.0f requests/s, p50 %.1f ms, p99 %.1f ms; sdk %.0f calls/s, p50 %.1f ms, p99 %.1f ms;"
                + " web adds %.1f ms at p50 (web/sdk p50 %.2f, throughput web/sdk %.2f)%n", round, what, web.perSecond(), web.p50Ms(), web.p99Ms(),
                sdk.perSecond(), sdk.p50Ms(), sdk.p99Ms(), web.p50Ms() - sdk.p50Ms(), web.p50Ms() / sdk.p50Ms(), web.perSecond() / sdk.perSecond());
    }

    interface SdkCall {
        Object call(FaxlanClient c);
    }

    static Figures sdk(FaxlanServer server, int threads, int requests, SdkCall call) throws Exception {
        List<FaxlanClient> clients = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            FaxlanClient c = client(server);
            c.login();
            clients.add(c);
        }
        AtomicInteger next = new AtomicInteger();
        try {
            return run(threads, requests, () -> {
                call.call(clients.get((int) (Thread.currentThread().getId() % threads)));
                return null;
            });
        } finally {
            clients.forEach(FaxlanClient::close);
        }
    }

    /** {@code requests} calls of {@code one} from {@code threads} threads, each call timed. */
    static Figures run(int threads, int requests, Callable<Void> one) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        try {
            long t0 = System.nanoTime();
            List<Future<Void>> running = new ArrayList<>();
            for (int k = 0; k < threads; k++) {
                running.add(pool.submit(() -> {
                    while (next.getAndIncrement() < requests) {
                        long s = System.nanoTime();
                        one.call();
                        nanos.add(System.nanoTime() - s);
                    }
                    return null;
                }));
            }
            for (Future<Void> f : running) f.get();
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<Long> sorted = new ArrayList<>(nanos);
            Collections.sort(sorted);
            return new Figures(requests / seconds, sorted.get(sorted.size() / 2) / 1e6, sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1) / 1e6);
        } finally {
            pool.shutdownNow();
        }
    }

    static void get(HttpClient http, String url, String key) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "?limit=50")).header("Authorization", "Bearer " + key).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException("GET answered " + r.statusCode() + ": " + r.body());
    }

    static void post(HttpClient http, String url, String key, byte[] pdf) throws Exception {
        String boundary = "bench" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"to\"\r\n\r\n" + NUMBER + "\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"subject\"\r\n\r\nbench\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"letter.pdf\"\r\nContent-Type: application/pdf\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(pdf);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) throw new IllegalStateException("POST answered " + r.statusCode() + ": " + r.body());
    }

    static FaxlanClient client(FaxlanServer s) {
        return FaxlanClient.builder().server(s.address()).user(USER).password(USER_PW.toCharArray()).timeout(Duration.ofSeconds(60)).build();
    }
}
