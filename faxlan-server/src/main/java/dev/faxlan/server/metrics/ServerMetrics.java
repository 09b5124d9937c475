package dev.faxlan.server.metrics;

import dev.faxlan.server.service.JobState;
import dev.faxlan.server.storage.Database;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's meters, in the Prometheus text format (docs/operations.md lists them). Counting is
 * cheap (a counter found once per label value, then incremented); what needs the database (jobs by
 * state) is one grouped count, cached for {@link #JOB_COUNT_TTL_MS}, so scrapes cost no query each.
 */
public final class ServerMetrics {
    private static final Logger log = LoggerFactory.getLogger(ServerMetrics.class);
    /** How long a count of jobs by state is reused: a scraper every second costs one query per 5 s. */
    static final long JOB_COUNT_TTL_MS = 5_000;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter pagesSent;
    private final Counter pagesReceived;
    private final Map<String, Counter> calls = new ConcurrentHashMap<>();
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Map<String, Counter> replays = new ConcurrentHashMap<>();
    private volatile JobCounts jobCounts = new JobCounts(0, new EnumMap<>(JobState.class));

    /** A line's load as the meters show it. */
    public record LineLoad(String name, int channels, int busy) {}

    private record JobCounts(long at, Map<JobState, Long> byState) {}

    public ServerMetrics() {
        pagesSent = Counter.builder("faxlan.pages.sent").description("pages the receiving fax machine confirmed (MCF)").register(registry);
        pagesReceived = Counter.builder("faxlan.pages.received").description("pages of faxes received and stored").register(registry);
    }

    /** A page of an outgoing fax was confirmed by the far end. */
    public void pageSent() {
        pagesSent.increment();
    }

    /** A received fax of {@code pages} pages was stored. */
    public void faxReceived(int pages) {
        pagesReceived.increment(pages);
    }

    /** An outgoing call ended with {@code outcome} (the line's outcome, lower case, or {@code hung_up} / {@code error}). */
    public void callEnded(String outcome) {
        count(calls, outcome, k -> Counter.builder("faxlan.calls").description("outgoing fax calls by how they ended").tag("outcome", k));
    }

    /** A CPI request for {@code op} arrived (decoded; {@code unknown} when it never decoded). */
    public void request(String op) {
        count(requests, op, k -> Counter.builder("faxlan.cpi.requests").description("CPI requests by operation").tag("op", k));
    }

    /** A CPI request for {@code op} was answered with the error {@code code}. */
    public void error(String op, String code) {
        count(errors, op + '\0' + code, k -> Counter.builder("faxlan.cpi.errors").description("CPI error answers by operation and error code")
                .tag("op", op).tag("code", code));
    }

    /** A retried CPI request was answered from the idempotency store instead of being executed again. */
    public void replayed(String op) {
        count(replays, op, k -> Counter.builder("faxlan.cpi.replays")
                .description("retransmitted CPI requests answered from the idempotency store, by operation").tag("op", k));
    }

    private void count(Map<String, Counter> byKey, String key, Function<String, Counter.Builder> builder) {
        Counter c = byKey.get(key);
        if (c == null) c = byKey.computeIfAbsent(key, k -> builder.apply(k).register(registry));
        c.increment();
    }

    /** Live alert subscriptions, read at each scrape. */
    public void alertSubscribers(IntSupplier live) {
        Gauge.builder("faxlan.alert.subscribers", () -> live.getAsInt()).description("alert subscriptions connected to this node").register(registry);
    }

    /** The lines and their channels, read at each scrape (the lines keep these counts in memory). */
    public void lines(Supplier<List<LineLoad>> loads) {
        for (LineLoad l : loads.get()) {
            Gauge.builder("faxlan.line.channels", () -> load(loads, l.name()).channels()).description("channels (simultaneous calls) of a line")
                    .tag("line", l.name()).register(registry);
            Gauge.builder("faxlan.line.channels.busy", () -> load(loads, l.name()).busy()).description("channels of a line in a call")
                    .tag("line", l.name()).register(registry);
        }
        Gauge.builder("faxlan.lines.busy", () -> loads.get().stream().filter(l -> l.busy() > 0).count())
                .description("lines with at least one call in progress").register(registry);
    }

    private static LineLoad load(Supplier<List<LineLoad>> loads, String name) {
        for (LineLoad l : loads.get()) if (l.name().equals(name)) return l;
        return new LineLoad(name, 0, 0);
    }

    /** Jobs by state and the queue's length, from one grouped count of the jobs table reused for a few seconds. */
    public void jobs(Database db) {
        for (JobState s : JobState.values()) {
            Gauge.builder("faxlan.jobs", () -> jobCounts(db).byState().getOrDefault(s, 0L)).description("jobs by state (all nodes)")
                    .tag("state", s.wire()).register(registry);
        }
        Gauge.builder("faxlan.queue.length", () -> {
            Map<JobState, Long> m = jobCounts(db).byState();
            return m.getOrDefault(JobState.QUEUED, 0L) + m.getOrDefault(JobState.RETRY_WAIT, 0L);
        }).description("jobs waiting for a line: queued, or waiting to retry").register(registry);
    }

    private JobCounts jobCounts(Database db) {
        JobCounts c = jobCounts;
        long now = System.currentTimeMillis();
        if (now - c.at() < JOB_COUNT_TTL_MS) return c;
        synchronized (this) {
            c = jobCounts;
            if (now - c.at() < JOB_COUNT_TTL_MS) return c;
            try {
                Map<JobState, Long> m = db.tx(conn -> {
                    Map<JobState, Long> byState = new EnumMap<>(JobState.class);
                    try (PreparedStatement ps = conn.prepareStatement("SELECT state, COUNT(*) FROM jobs GROUP BY state"); ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            for (JobState s : JobState.values()) if (s.wire().equals(rs.getString(1))) byState.put(s, rs.getLong(2));
                        }
                    }
                    return byState;
                });
                c = new JobCounts(now, m);
            } catch (Exception e) {
                // The scrape still answers; the counts stay as last read, and are tried again next time.
                log.warn("counting jobs by state for the metrics failed: {}", e.toString());
                c = new JobCounts(now, c.byState());
            }
            jobCounts = c;
            return c;
        }
    }

    /** Everything in the Prometheus text format (version 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    /** For meters other parts of the server register themselves. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }
}
