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
 * The database restarted, then crashed, in the middle of the flow: a server node on PostgreSQL with
 * a loopback line that answers one number per job, jobs submitted one after another while faxes are
 * sent. While PostgreSQL is down a request is refused as retryable; the SDK retries submissions to
 * success once it is back; the pool, the dispatcher and the event bus reconnect without a server
 * restart; every acknowledged job is received exactly once (counted by the number that received it),
 * and the alert client saw every event of the log, in order.
 */
class DatabaseRestartIT {
    private static final String ADMIN_PW = "restart-admin-pw";
    /** Jobs in the flow: one page each, to a number of their own. */
    private static final int JOBS = 40;
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
                Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> admin.inbox("Unaddressed", false).size() >= JOBS);
                Map<String, Long> received = admin.inbox("Unaddressed", false).stream().collect(Collectors.groupingBy(InboxFax::did, Collectors.counting()));
                assertThat(received).isEqualTo(IntStream.range(0, JOBS).mapToObj(DatabaseRestartIT::number)
                        .collect(Collectors.toMap(Function.identity(), n -> 1L)));

                // The alert client saw the whole log, in order, without a gap: every job's 'done' and every received fax.
                Awaitility.await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                    assertThat(alerts.stream().filter(a -> a.type().equals("fax.received")).count()).isEqualTo(JOBS);
                    assertThat(alerts.stream().filter(a -> a.type().equals("job") && "done".equals(a.body().get("state"))).count()).isEqualTo(JOBS);
                });
                List<Long> seqs = alerts.stream().map(Alert::seq).toList();
                assertThat(seqs).isEqualTo(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
                sub.close();
            }
        }
    }

    private static FaxlanClient client(FaxlanServer server, Duration timeout) {
        return FaxlanClient.builder().server(server.address()).user("admin").password(ADMIN_PW.toCharArray()).timeout(timeout).build();
    }
}
