package dev.faxlan.it.cluster;

import static dev.faxlan.it.cluster.ClusterNodes.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.it.ServerChild;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.SubmitRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node killed (SIGKILL) in the middle of a call: its lease expires, the other node queues the
 * job again with the cut-off attempt counted and shown among the job's calls, and sends it; the fax
 * is received once.
 */
class DeadNodeTakeoverIT {
    static final String NUMBER = "71000";

    @TempDir
    Path dir;

    @Test
    void theOtherNodeSendsTheJobOfANodeKilledMidCallWithTheCutOffAttemptCounted() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.create(dir, "line.loopback.dids=" + NUMBER + "\n")) {
            cluster.start(0);
            cluster.start(1);
            Path doc = Files.writeString(dir.resolve("page.txt"), "A page for a node that dies.\n");
            long job;
            try (FaxlanClient client = cluster.node(0).admin()) {
                job = client.submit(new SubmitRequest(List.of(NUMBER), List.of(doc), "takeover", null, null, null)).get(0).id();
            }
            try (Connection db = cluster.database()) {
                String[] owner = new String[1];
                Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    owner[0] = text(db, "SELECT lease_owner FROM jobs WHERE id = ? AND state IN ('dialing', 'sending')", job);
                    return owner[0] != null;
                });
                int port = (int) count(db, "SELECT port FROM nodes WHERE name = '" + owner[0] + "'");
                int victim = cluster.node(0).address().getPort() == port ? 0 : 1;
                ServerChild dead = cluster.node(victim);
                long killed = System.nanoTime();
                dead.kill();
                Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> assertThat(text(db, "SELECT state FROM jobs WHERE id = ?", job)).as(cluster.logs()).isEqualTo("done"));
                System.out.printf("node%d killed mid-call: the job was done by the other node %.1f s later%n", victim, (System.nanoTime() - killed) / 1e9);
                assertThat(count(db, "SELECT attempts FROM jobs WHERE id = " + job)).as("the cut-off call and the one that sent it").isEqualTo(2);
                assertThat(texts(db, "SELECT outcome FROM job_calls WHERE job_id = " + job + " ORDER BY attempt")).containsExactly("interrupted", "success");
                assertThat(count(db, "SELECT COUNT(*) FROM received_faxes WHERE called_number = '" + NUMBER + "' AND result = 'OK'")).isEqualTo(1);
                assertThat(texts(db, "SELECT node FROM received_faxes WHERE called_number = '" + NUMBER + "' AND result = 'OK'"))
                        .as("received by the node that lived").doesNotContain(owner[0]);
            }
        }
    }

    static String text(Connection db, String sql, long id) throws Exception {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static List<String> texts(Connection db, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
