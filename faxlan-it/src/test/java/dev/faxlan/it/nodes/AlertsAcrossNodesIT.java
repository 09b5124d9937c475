package dev.faxlan.it.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.documents.convert.ConvertOptions;
import dev.faxlan.documents.convert.DocumentConverter;
import dev.faxlan.documents.page.PageSize;
import dev.faxlan.engine.t4.Resolution;
import dev.faxlan.engine.tiff.TiffReader;
import dev.faxlan.lines.LinesConfig;
import java.io.ByteArrayOutputStream;
import dev.faxlan.sdk.Alert;
import dev.faxlan.sdk.AlertSubscription;
import dev.faxlan.sdk.FaxlanClient;
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
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server nodes in one JVM, each with its own data directory, on one PostgreSQL database: node A
 * has the loopback line, node B no line at all, so every job is called by A whichever node it came
 * through. A user connected to B hears of A's work, and a cancel given to B hangs up A's call.
 */
class AlertsAcrossNodesIT {
    private static final String ADMIN_PW = "nodes-admin-pw";
    @TempDir
    static Path dir;
    private static PostgresCluster pg;
    private static FaxlanServer a;
    private static FaxlanServer b;

    @BeforeAll
    static void start() throws Exception {
        pg = PostgresCluster.start();
        String url = Pgpass.url(pg);
        a = FaxlanServer.start(node("a", url, new Properties()));
        Properties noLines = new Properties();
        noLines.setProperty("line.loopback.enabled", "false");
        b = FaxlanServer.start(node("b", url, noLines));
    }

    private static ServerConfig node(String name, String url, Properties lines) {
        return ServerConfig.defaults().withDataDir(dir.resolve(name)).withBind(new InetSocketAddress("127.0.0.1", 0)).withName("node-" + name)
                .withAdminPassword(ADMIN_PW).withJdbcUrl(url).withLines(LinesConfig.parse(lines))
                .withOcr(new ServerConfig.Ocr(false, 1, Duration.ofSeconds(1)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (b != null) b.close();
        if (a != null) a.close();
        if (pg != null) pg.close();
    }

    private static FaxlanClient admin(FaxlanServer node) {
        return FaxlanClient.builder().server(node.address()).user("admin").password(ADMIN_PW.toCharArray()).timeout(Duration.ofSeconds(30)).build();
    }

    private static Path text(String name, int lines) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, IntStream.rangeClosed(1, lines).mapToObj(i -> "Line " + i + " of " + name + ": the quick brown fox jumps over the lazy dog 0123456789")
                .collect(Collectors.joining("\n")));
        return p;
    }

    @Test
    void aUserOnNodeBHearsEveryEventOfAJobSentOnNodeAInOrderWithTheLogsSequenceNumbers() throws Exception {
        try (FaxlanClient onA = admin(a); FaxlanClient onB = admin(b)) {
            List<Alert> heardOnA = new CopyOnWriteArrayList<>();
            List<Alert> heardOnB = new CopyOnWriteArrayList<>();
            try (AlertSubscription subA = onA.subscribe("alerts-on-a", 0L, heardOnA::add);
                    AlertSubscription subB = onB.subscribe("alerts-on-b", 0L, heardOnB::add)) {
                Job job = onA.submit(new SubmitRequest(List.of("0000"), List.of(text("memo.txt", 10)), "memo", null, "standard", null)).get(0);
                Awaitility.await().atMost(Duration.ofMinutes(3)).until(() -> onB.job(job.id()).finished());
                assertThat(onB.job(job.id()).state()).as(onB.job(job.id()).reason()).isEqualTo("done");

                // Node B learns of each change only over the bus: it has no line, and the job never passed through it.
                Awaitility.await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                    assertThat(heardOnB).anyMatch(x -> x.type().equals("fax.received"));
                    assertThat(heardOnB).anyMatch(x -> x.type().equals("job") && job.id() == ((Number) x.body().get("job")).longValue()
                            && "done".equals(x.body().get("state")));
                    assertThat(heardOnB).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(heardOnA);
                });
                List<Long> seqs = heardOnB.stream().map(Alert::seq).toList();
                assertThat(seqs).isEqualTo(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
                assertThat(heardOnB).filteredOn(x -> x.type().equals("job") && job.id() == ((Number) x.body().get("job")).longValue())
                        .extracting(x -> x.body().get("state")).containsSubsequence("queued", "converting", "dialing", "sending", "done");
            }
        }
    }

    @Test
    void aJobCancelledThroughNodeBWhileNodeACallsIsHungUpOnNodeA() throws Exception {
        try (FaxlanClient onA = admin(a); FaxlanClient onB = admin(b)) {
            // Pages at fine resolution take seconds each at 14,400 bit/s; the cancel comes as the first page starts.
            Path document = text("long.txt", 600);
            ByteArrayOutputStream converted = new ByteArrayOutputStream();
            new DocumentConverter(ConvertOptions.of(Resolution.FINE, PageSize.A4)).convert(List.of(document), null, converted);
            int pages = TiffReader.readAll(converted.toByteArray()).size();
            assertThat(pages).isGreaterThan(3);
            Job job = onA.submit(new SubmitRequest(List.of("0000"), List.of(document), "long", null, "fine", null)).get(0);
            Awaitility.await().atMost(Duration.ofMinutes(3)).until(() -> onB.job(job.id()).state().equals("sending"));
            assertThat(onB.cancel(job.id()).state()).isEqualTo("cancelled");

            // A hangs up: its line has no call left, and the receiver confirmed fewer pages than the job has.
            Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> onA.lines().stream().allMatch(l -> l.calls() == 0));
            Job ended = onB.job(job.id());
            assertThat(ended.state()).isEqualTo("cancelled");
            assertThat(ended.documents()).isNotEmpty();
            assertThat(ended.pages()).as("pages the receiver confirmed before the hang-up").isLessThan(pages);
        }
    }
}
