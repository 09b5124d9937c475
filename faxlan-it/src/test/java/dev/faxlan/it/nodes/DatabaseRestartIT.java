package dev.faxlan.it.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.lines.LinesConfig;
import dev.faxlan.sdk.Alert;
import dev.faxlan.sdk.AlertSubscription;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.InboxFax;
import dev.faxlan.sdk.Job;
import dev.faxlan.sdk.SubmitRequest;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import dev.faxlan.testkit.PostgresCluster;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database restarted, then crashed, in the middle of the flow: server nodes on PostgreSQL, each
 * with a loopback line (at {@link #SPEED} times real time) that answers one number per job, jobs
 * submitted one after another while faxes are sent. While PostgreSQL is down a request is refused as
 * retryable; the SDK retries submissions to success once it is back; the pool, the dispatcher, the
 * heartbeat and the event bus reconnect without a server restart; every acknowledged job is received
 * exactly once (counted by the number that received it), and the alert client saw every event of the
 * log, in order.
 */
class DatabaseRestartIT {
    private static final String ADMIN_PW = "restart-admin-pw";
    /** Jobs in the flow: one page each, to a number of their own. */
    private static final int JOBS = 40;
    /** Jobs of the two-node flow, submitted through both nodes in turn. */
    private static final int TWO_NODE_JOBS = 24;
    /** The loopback line's speed: its calls are what the test waits for. */
    private static final String SPEED = "10";
    @TempDir
    Path dir;

    private static String number(int i) {
        return String.format("+121255501%02d", i);
    }

    @Test
    void aRestartAndACrashOfPostgresLoseNoJobAndDoubleNone() throws Exception {
        Properties lines = new Properties();
        lines.setProperty("numbers.country-code", "1");
        lines.setProperty("numbers.area-code", "212");
        lines.setProperty("line.loopback.channels", "4");
        lines.setProperty("line.loopback.dids", IntStream.range(0, JOBS).mapToObj(DatabaseRestartIT::number).collect(Collectors.joining(",")));
        lines.setProperty("line.loopback.speed", SPEED);
        Path memo = dir.resolve("memo.txt");
        Files.writeString(memo, "A short memo.");
        try (PostgresCluster pg = PostgresCluster.start()) {
            String url = Pgpass.url(pg);
            ServerConfig cfg = ServerConfig.defaults().withDataDir(dir.resolve("data")).withBind(new InetSocketAddress("127.0.0.1", 0))
                    .withName("restart-it").withAdminPassword(ADMIN_PW).withJdbcUrl(url).withLines(LinesConfig.parse(lines))
                    .withOcr(new ServerConfig.Ocr(false, 1, Duration.ofSeconds(1))); // the received faxes are counted, not read
            try (FaxlanServer server = FaxlanServer.start(cfg);
                    FaxlanClient admin = client(server, Duration.ofSeconds(120));
                    FaxlanClient watcher = client(server, Duration.ofSeconds(120))) {
                List<Alert> alerts = new CopyOnWriteArrayList<>();
                AlertSubscription sub = watcher.subscribe("restart-it", 0L, alerts::add);

                Map<Integer, Long> acknowledged = new ConcurrentHashMap<>();
                AtomicReference<Throwable> submitterFailed = new AtomicReference<>();
                Thread submitter = new Thread(() -> {
                    try {
                        for (int i = 0; i < JOBS; i++) {
                            Job j = admin.submit(new SubmitRequest(List.of(number(i)), List.of(memo), "memo " + i, null, "standard", null)).get(0);
                            acknowledged.put(i, j.id());
                        }
                    } catch (Throwable e) {
                        submitterFailed.set(e);
                    }
                }, "submitter");
                submitter.start();

                Awaitility.await().atMost(Duration.ofMinutes(3)).until(() -> acknowledged.size() >= JOBS / 4 || submitterFailed.get() != null);
                pg.restart();
                Awaitility.await().atMost(Duration.ofMinutes(3)).until(() -> acknowledged.size() >= JOBS / 2 || submitterFailed.get() != null);
                pg.crash();
                // Submissions meanwhile are refused as retryable (BUSY once the pool gives up waiting): the SDK tries them again.
                pg.startAgain();

                submitter.join(Duration.ofMinutes(5).toMillis());
                assertThat(submitterFailed.get()).as("a submission failed for good").isNull();
                assertThat(acknowledged).hasSize(JOBS);

                Awaitility.await().atMost(Duration.ofMinutes(10)).until(() -> admin.jobs(true).stream().filter(j -> acknowledged.containsValue(j.id()))
                        .allMatch(Job::finished));
                Map<Long, String> states = admin.jobs(true).stream().collect(Collectors.toMap(Job::id, j -> j.state() + " " + j.reason()));
                assertThat(acknowledged.values()).allSatisfy(id -> assertThat(states.get(id)).startsWith("done"));
                assertThat(states).hasSize(JOBS); // no job the client did not ask for

                // Counted at the receiving side: each number received exactly one fax.
                Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> admin.inbox("Unaddressed", false).stream().filter(f -> f.pages() > 0).count() >= JOBS);
                Map<String, Long> received = admin.inbox("Unaddressed", false).stream().filter(f -> f.pages() > 0).collect(Collectors.groupingBy(InboxFax::did, Collectors.counting()));
                assertThat(received).isEqualTo(IntStream.range(0, JOBS).mapToObj(DatabaseRestartIT::number)
                        .collect(Collectors.toMap(Function.identity(), n -> 1L)));

                // The alert client saw the whole log, in order, without a gap: every job's 'done' and every received fax.
                Awaitility.await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                    assertThat(alerts.stream().filter(a -> a.type().equals("fax.received") && withPages(a)).count()).isEqualTo(JOBS);
                    assertThat(alerts.stream().filter(a -> a.type().equals("job") && "done".equals(a.body().get("state"))).count()).isEqualTo(JOBS);
                });
                List<Long> seqs = alerts.stream().map(Alert::seq).toList();
                assertThat(seqs).isEqualTo(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
                sub.close();
            }
        }
    }

    /**
     * Two nodes on one database and one spool, both connected when PostgreSQL restarts while their
     * calls are in flight: each node goes on by itself (its heartbeat is fresh again, its line calls and
     * receives jobs after the restart), and an alert client on one node hears of the other's work: every
     * event of the user's log in the database, once each and in order.
     */
    @Test
    void twoNodesRideOutARestartOfPostgresEachByItself() throws Exception {
        Properties lines = new Properties();
        lines.setProperty("numbers.country-code", "1");
        lines.setProperty("numbers.area-code", "212");
        lines.setProperty("line.loopback.channels", "2");
        lines.setProperty("line.loopback.speed", SPEED);
        lines.setProperty("line.loopback.dids", IntStream.range(0, TWO_NODE_JOBS).mapToObj(DatabaseRestartIT::number).collect(Collectors.joining(",")));
        Path memo = dir.resolve("memo.txt");
        Files.writeString(memo, "A short memo.");
        try (PostgresCluster pg = PostgresCluster.start()) {
            String url = Pgpass.url(pg);
            try (FaxlanServer a = FaxlanServer.start(node("a", url, lines));
                    FaxlanServer b = FaxlanServer.start(node("b", url, lines));
                    FaxlanClient viaA = client(a, Duration.ofSeconds(120));
                    FaxlanClient viaB = client(b, Duration.ofSeconds(120));
                    FaxlanClient watcher = client(b, Duration.ofSeconds(120))) {
                List<Alert> alerts = new CopyOnWriteArrayList<>();
                AlertSubscription sub = watcher.subscribe("restart-two", 0L, alerts::add);

                Map<Integer, Long> acknowledged = new ConcurrentHashMap<>();
                AtomicReference<Throwable> submitterFailed = new AtomicReference<>();
                Thread submitter = new Thread(() -> {
                    try {
                        for (int i = 0; i < TWO_NODE_JOBS; i++) {
                            FaxlanClient through = i % 2 == 0 ? viaA : viaB;
                            Job j = through.submit(new SubmitRequest(List.of(number(i)), List.of(memo), "memo " + i, null, "standard", null)).get(0);
                            acknowledged.put(i, j.id());
                        }
                    } catch (Throwable e) {
                        submitterFailed.set(e);
                    }
                }, "submitter");
                submitter.start();

                Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> acknowledged.size() >= TWO_NODE_JOBS / 3 || submitterFailed.get() != null);
                pg.restart();
                long restarted = System.currentTimeMillis();

                submitter.join(Duration.ofMinutes(3).toMillis());
                assertThat(submitterFailed.get()).as("a submission failed for good").isNull();
                assertThat(acknowledged).hasSize(TWO_NODE_JOBS);
                Awaitility.await().atMost(Duration.ofMinutes(3)).until(() -> viaA.jobs(true).stream().allMatch(Job::finished));
                Map<Long, String> states = viaA.jobs(true).stream().collect(Collectors.toMap(Job::id, j -> j.state() + " " + j.reason()));
                assertThat(acknowledged.values()).allSatisfy(id -> assertThat(states.get(id)).startsWith("done"));
                assertThat(states).hasSize(TWO_NODE_JOBS);

                // Counted at the receiving side: each number received exactly one fax, on one node or the other.
                Map<String, Long> received = new java.util.HashMap<>();
                Map<String, Long> afterRestartByNode = new java.util.HashMap<>();
                try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
                        // Faxes with their page: a call that failed before it (the sender retries) is recorded too, as an attempt.
                        java.sql.PreparedStatement ps = c.prepareStatement("SELECT called_number, node, received_at FROM received_faxes WHERE pages > 0");
                        java.sql.ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        received.merge(rs.getString(1), 1L, Long::sum);
                        if (rs.getLong(3) >= restarted) afterRestartByNode.merge(rs.getString(2), 1L, Long::sum);
                    }
                }
                assertThat(received).isEqualTo(IntStream.range(0, TWO_NODE_JOBS).mapToObj(DatabaseRestartIT::number)
                        .collect(Collectors.toMap(Function.identity(), n -> 1L)));
                // Each node's line took calls after the restart: its dispatcher found the database again by itself.
                assertThat(afterRestartByNode.keySet()).as("nodes that received faxes after the restart").containsExactlyInAnyOrder(a.node().name(),
                        b.node().name());
                // Each node's heartbeat is fresh again: both are alive to each other.
                Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(a.node().alive()).extracting(n -> n.name())
                        .containsExactlyInAnyOrder(a.node().name(), b.node().name()));

                // The alert client on node B saw the whole log, A's jobs and faxes included: each event of the
                // administrator's log in the database (the source of truth), once and in order, whatever NOTIFY lost.
                Awaitility.await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(alerts.stream().map(x -> x.seq() + " " + x.type()).toList())
                        .isEqualTo(eventLog(url, "admin")));
                assertThat(alerts.stream().filter(x -> x.type().equals("fax.received") && withPages(x)).count()).isEqualTo(TWO_NODE_JOBS);
                assertThat(alerts.stream().filter(x -> x.type().equals("job") && "done".equals(x.body().get("state"))).count()).isEqualTo(TWO_NODE_JOBS);
                sub.close();
            }
        }
    }

    /** User {@code user}'s event log as stored, one "seq type" per event in order. */
    private static List<String> eventLog(String url, String user) throws java.sql.SQLException {
        List<String> log = new java.util.ArrayList<>();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
                java.sql.PreparedStatement ps = c.prepareStatement(
                        "SELECT e.seq, e.type FROM events e JOIN users u ON u.id = e.user_id WHERE u.name = ? ORDER BY e.seq")) {
            ps.setString(1, user);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) log.add(rs.getLong(1) + " " + rs.getString(2));
            }
        }
        return log;
    }

    /** A node of the two: its own data directory and key, the shared spool, a heartbeat each second. */
    private ServerConfig node(String name, String url, Properties lines) {
        return ServerConfig.defaults().withDataDir(dir.resolve(name)).withBind(new InetSocketAddress("127.0.0.1", 0)).withName("restart-" + name)
                .withAdminPassword(ADMIN_PW).withJdbcUrl(url).withLines(LinesConfig.parse(lines))
                .withCluster(new ServerConfig.Cluster(dir.resolve("spool"), null, Duration.ofSeconds(1)))
                .withOcr(new ServerConfig.Ocr(false, 1, Duration.ofSeconds(1)));
    }

    /** A fax.received alert of a fax with its page (a call that failed before it is alerted too, and retried by its sender). */
    private static boolean withPages(Alert a) {
        return a.body().get("pages") instanceof Number n && n.intValue() > 0;
    }

    private static FaxlanClient client(FaxlanServer server, Duration timeout) {
        return FaxlanClient.builder().server(server.address()).user("admin").password(ADMIN_PW.toCharArray()).timeout(timeout).build();
    }
}
