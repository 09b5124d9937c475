package dev.faxlan.server.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code GET /metrics} over plain HTTP (the JDK's server: the server process serves no other HTTP).
 * It answers anyone who reaches it and shows counts, never users or numbers; bind it to loopback or
 * a management network (docs/operations.md).
 */
public final class MetricsEndpoint implements AutoCloseable {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private final HttpServer http;
    private final ExecutorService worker;

    private MetricsEndpoint(HttpServer http, ExecutorService worker) {
        this.http = http;
        this.worker = worker;
    }

    /** Listens on {@code address} (port 0: any free one) and serves {@code metrics}. */
    public static MetricsEndpoint start(InetSocketAddress address, ServerMetrics metrics) throws IOException {
        // Without TCP_NODELAY the body waits for the ACK of the headers: a delayed ACK (40 ms) per scrape on loopback.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer http = HttpServer.create(address, 16);
        // One thread: scrapes are rare and short, and a flood of them must not take the server's CPUs.
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "metrics-http");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(worker);
        http.createContext("/", exchange -> {
            try (exchange) {
                if (!exchange.getRequestURI().getPath().equals("/metrics")) {
                    answer(exchange, 404, "text/plain; charset=utf-8", "not found: the metrics are at /metrics\n");
                } else if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                    answer(exchange, 405, "text/plain; charset=utf-8", "only GET and HEAD\n");
                } else {
                    answer(exchange, 200, CONTENT_TYPE, metrics.scrape());
                }
            }
        });
        http.start();
        return new MetricsEndpoint(http, worker);
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : b.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(b);
            }
        }
    }

    public InetSocketAddress address() {
        return http.getAddress();
    }

    @Override
    public void close() {
        http.stop(0);
        worker.shutdownNow();
    }
}
