package dev.faxlan.it.cluster;

import static dev.faxlan.it.cluster.ClusterNodes.count;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faxlan.it.Cli;
import dev.faxlan.it.DatagramRelay;
import dev.faxlan.it.ServerChild;
import dev.faxlan.protocol.CpiCodec;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.message.JobMessage;
import dev.faxlan.protocol.message.MessageCodec;
import dev.faxlan.protocol.message.Operations;
import dev.faxlan.sdk.Alert;
import dev.faxlan.sdk.AlertSubscription;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.SubmitRequest;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client whose node dies continues on another node of the cluster: three nodes on one PostgreSQL
 * database; node A serves a client with an alert subscription and jobs in flight (queued to be sent a
 * little later, so that, as a rule, no call waits for the dead node's lease: DeadNodeTakeoverIT is about that). A's answers stop (a relay in front of it drops
 * them) just as it takes a submission, and A is killed with SIGKILL: the client finishes that
 * submission on B or C with the same idempotency key and gets the one job A made, under the session it
 * had, and its subscription goes on there with every event of the log exactly once. A CLI command given
 * A's address works through the nodes {@code faxlan servers --add} saved.
 */
class ClientFailoverIT {
    static final List<String> NUMBERS = List.of("71201", "71202", "71203", "71204", "71205", "71206");

    @TempDir
    Path dir;

    @Test
    void aClientWhoseNodeDiesContinuesOnAnotherWithItsSessionItsKeysAndItsAlerts() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.create(dir, "line.loopback.dids=" + String.join(",", NUMBERS)
                + "\nline.loopback.channels=8\nline.loopback.speed=10\n")) {
            long started = System.nanoTime();
            // One after another: the first migrates the database and creates the administrator.
            ServerChild a = cluster.start(0);
            CompletableFuture<ServerChild> b = CompletableFuture.supplyAsync(() -> start(cluster, 1));
            start(cluster, 2);
            b.join();
            System.out.printf("three nodes started in %.1f s%n", (System.nanoTime() - started) / 1e9);
            Map<String, String> cliEnv = Map.of("XDG_CONFIG_HOME", dir.resolve("config").toString(), "FAXLAN_USER", "admin",
                    "FAXLAN_PASSWORD", ServerChild.ADMIN_PASSWORD);
            Cli.Result added = Cli.run(cliEnv, "servers", "--add", "127.0.0.1:" + a.address().getPort(), "--json");
            assertThat(added.exitCode()).as(added.toString()).isZero();
            assertThat(new ObjectMapper().readTree(added.out()).path("nodes")).as("the other two nodes, learnt from A").hasSize(2);

            Path doc = Files.writeString(dir.resolve("page.txt"), "A page for a client whose node dies.\n");
            List<Alert> alerts = new CopyOnWriteArrayList<>();
            try (DatagramRelay toA = new DatagramRelay(a.address(), Long.MAX_VALUE);
                    FaxlanClient client = FaxlanClient.builder().server(toA.address()).user("admin").password(ServerChild.ADMIN_PASSWORD.toCharArray())
                            .timeout(Duration.ofSeconds(60)).build();
                    Connection db = cluster.database()) {
                client.login();
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> client.clusterNodes().size() == 3);
                AlertSubscription subscription = client.subscribe("failover-it", 0L, alerts::add);
                List<Long> jobs = new ArrayList<>();
                Instant later = Instant.now().plusSeconds(15);
                for (String to : NUMBERS.subList(0, 4)) {
                    jobs.add(client.submit(new SubmitRequest(List.of(to), List.of(doc), "in flight", null, null, later)).get(0).id());
                }
                // A login retried on a busy machine may have made a second session: none may be made from here on.
                int sessions = sessions(db);

                // A takes the submission, but its answer never reaches the client; then A dies.
                String sha = client.upload(doc, bytes -> {});
                JobMessage.Submit lost = new JobMessage.Submit(List.of(NUMBERS.get(4)), List.of(sha), "answer lost", null, null, later.toEpochMilli(), null, null);
                byte[] key = new byte[CpiCodec.IDEMPOTENCY_KEY_BYTES];
                new SecureRandom().nextBytes(key);
                assertThat(client.server()).as("still on A").isEqualTo(toA.address());
                toA.dropServerBytes();
                long asked = System.nanoTime();
                CompletableFuture<Fields> answer = CompletableFuture.supplyAsync(() -> client.call(Operations.op(lost), MessageCodec.encode(lost), key));
                Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                        .until(() -> count(db, "SELECT COUNT(*) FROM jobs WHERE subject = 'answer lost'") == 1);
                a.kill();
                long jobOfTheLostAnswer = Operations.reply(lost, answer.get(60, TimeUnit.SECONDS)).jobs().get(0).id();
                System.out.printf("node A's answer lost and A killed: the submission was answered by another node %.1f s after it was sent%n",
                        (System.nanoTime() - asked) / 1e9);

                InetSocketAddress now = client.server();
                assertThat(now.getPort()).as("the client is on B or C").isIn(cluster.node(1).address().getPort(), cluster.node(2).address().getPort());
                assertThat(count(db, "SELECT COUNT(*) FROM jobs WHERE subject = 'answer lost'")).as("the resent submission made no second job").isEqualTo(1);
                assertThat(count(db, "SELECT id FROM jobs WHERE subject = 'answer lost'")).as("the answer names the job A made").isEqualTo(jobOfTheLostAnswer);
                jobs.add(jobOfTheLostAnswer);
                jobs.add(client.submit(new SubmitRequest(List.of(NUMBERS.get(5)), List.of(doc), "after the failover", null, null, null)).get(0).id());
                assertThat(sessions(db)).as("no new login on the other node").isEqualTo(sessions);

                // A CLI command given A's address reaches the cluster through the nodes saved with A.
                Cli.Result listed = Cli.run(cliEnv, "jobs", "--all", "--json", "--server", "127.0.0.1:" + a.address().getPort());
                assertThat(listed.exitCode()).as(listed.toString()).isZero();
                List<Long> seen = new ArrayList<>();
                for (JsonNode j : new ObjectMapper().readTree(listed.out())) seen.add(j.path("id").asLong());
                assertThat(seen).containsAll(jobs);

                Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(
                        count(db, "SELECT COUNT(*) FROM jobs WHERE state = 'done'")).as(cluster.logs()).isEqualTo(jobs.size()));
                long last = count(db, "SELECT MAX(e.seq) FROM events e JOIN users u ON u.id = e.user_id WHERE u.name = 'admin'");
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> subscription.lastDelivered() >= last);
                long delivered = subscription.lastDelivered();
                List<Long> logged = numbers(db, "SELECT e.seq FROM events e JOIN users u ON u.id = e.user_id WHERE u.name = 'admin'"
                        + " AND e.type <> 'withdrawn' AND e.seq <= " + delivered + " ORDER BY e.seq");
                assertThat(alerts.stream().map(Alert::seq).toList()).as("every event of the log, once, in order").isEqualTo(logged);
                assertThat(alerts.stream().filter(x -> x.type().equals("job") && "done".equals(x.body().get("state")))
                        .map(x -> ((Number) x.body().get("job")).longValue()).toList()).as("each job's end, once").containsExactlyInAnyOrderElementsOf(jobs);
                assertThat(subscription.failure()).isNull();
                System.out.printf("%d alerts, each once; the whole test %.1f s%n", alerts.size(), (System.nanoTime() - started) / 1e9);
            }
        }
    }

    static ServerChild start(ClusterNodes cluster, int i) {
        try {
            return cluster.start(i);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static int sessions(Connection db) throws Exception {
        return (int) count(db, "SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.name = 'admin'");
    }

    static List<Long> numbers(Connection db, String sql) throws Exception {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getLong(1));
        }
        return out;
    }
}
