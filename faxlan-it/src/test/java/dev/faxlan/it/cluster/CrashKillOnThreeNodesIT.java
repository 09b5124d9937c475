package dev.faxlan.it.cluster;

import static dev.faxlan.it.cluster.ClusterNodes.byKey;
import static dev.faxlan.it.cluster.ClusterNodes.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.it.CrashChecks;
import dev.faxlan.it.CrashRun;
import dev.faxlan.protocol.CpiCodec;
import dev.faxlan.sdk.AlertSubscription;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.sdk.Job;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, crash safety on three nodes with PostgreSQL: jobs flow through three server nodes on one
 * database and one spool, each with its own loopback line, while a random node is SIGKILLed every few
 * seconds and started again (on its port, as an operator's node comes back). The submitter and the
 * alert client are each one SDK client that moves to another node by itself when its node dies. At the
 * end the checks of {@link CrashChecks}, as on one node: every acknowledged submission is one job,
 * {@code done}, received exactly once with the page that was sent; every stored document matches its
 * SHA-256; the event log has no gap per user, and the alert client saw every event once, in order.
 *
 * <p>Its scale is {@link CrashRun}'s: {@code -Dcrash.jobs} and {@code -Dcrash.kills}.
 */
class CrashKillOnThreeNodesIT {
    static final int NODES = 3;
    /** Nodes that listen before a kill: the cluster is never killed down to no node. */
    static final int UP_AT_A_KILL = 2;

    @TempDir
    Path dir;

    private CrashRun run;
    /** 1 while node i listens, 0 from its kill until its restart listens. */
    private final AtomicIntegerArray up = new AtomicIntegerArray(NODES);

    @Test
    void everyAcceptedJobIsSentExactlyOnceWhileRandomNodesAreKilled() throws Exception {
        run = new CrashRun("CrashKillOnThreeNodesIT", dir);
        try (ClusterNodes cluster = ClusterNodes.create(dir, CrashRun.serverProperties())) {
            try {
                run(cluster);
            } finally {
                Map<String, Path> logs = new HashMap<>();
                for (int i = 0; i < NODES; i++) {
                    for (String log : List.of("server.out", "server.err")) logs.put("node" + i + "-" + log, dir.resolve("logs" + i).resolve(log));
                }
                CrashRun.keepLogs("crash-kill-three-nodes-logs", logs);
            }
        }
    }

    private void run(ClusterNodes cluster) throws Exception {
        cluster.startAll(NODES);
        for (int i = 0; i < NODES; i++) up.set(i, 1);
        run.say("three nodes started");
        String apiKey;
        // The clients log in with an API key: a password's PBKDF2 at every reconnect would load the nodes more than the faxes do.
        try (FaxlanClient admin = cluster.node(0).admin()) {
            apiKey = admin.createApiKey("crash test").key();
        }
        ExecutorService restarts = Executors.newCachedThreadPool();
        try (FaxlanClient submitting = client(cluster.node(1).address(), apiKey); FaxlanClient following = client(cluster.node(2).address(), apiKey);
                Connection db = cluster.database()) {
            for (FaxlanClient c : List.of(submitting, following)) {
                c.login();
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> c.clusterNodes().size() == NODES);
            }
            AlertSubscription subscription = following.subscribe("crash-test", 0L, run.seen::add);
            Thread killer = new Thread(() -> kill(cluster, restarts), "killer");
            Thread submitter = new Thread(() -> submit(submitting), "submitter");
            for (Thread t : List.of(killer, submitter)) {
                t.setDaemon(true);
                t.start();
            }
            submitter.join();
            killer.join();
            restarts.shutdown();
            assertThat(restarts.awaitTermination(5, TimeUnit.MINUTES)).as("the last restarts ended").isTrue();
            run.assertFlowEnded();

            Awaitility.await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> count(db, "SELECT COUNT(*) FROM jobs WHERE state NOT IN ('done', 'failed', 'cancelled')") == 0);
            List<Job> jobs = submitting.jobs(true);
            run.say("%d jobs drained; faxes per node %s, jobs that needed more than one call %d", jobs.size(),
                    byKey(db, "SELECT node, COUNT(*) FROM received_faxes WHERE pages > 0 GROUP BY node"),
                    count(db, "SELECT COUNT(*) FROM jobs WHERE attempts > 1"));
            run.assertJobsAndFaxes(submitting, jobs);
            CrashChecks.assertSpoolIntact(dir.resolve("spool").resolve("docs"));

            List<Long> adminLog = CrashChecks.adminLog(db);
            long lastSeq = adminLog.get(adminLog.size() - 1);
            Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> subscription.lastDelivered() >= lastSeq);
            assertThat(subscription.failure()).isNull();
            subscription.close();
            CrashChecks.assertAlertsSawTheLog(run.seen, adminLog);
            run.say("%d events in the log, all seen", adminLog.size());
        } finally {
            restarts.shutdownNow();
        }
    }

    private static FaxlanClient client(InetSocketAddress node, String apiKey) {
        return FaxlanClient.builder().server(node).apiKey(apiKey.toCharArray()).timeout(Duration.ofSeconds(60)).build();
    }

    /**
     * SIGKILLs a random node that listens, every few seconds, and starts it again in the background, so
     * that the next kill need not wait for a JVM's start; a kill waits only until two nodes listen.
     */
    private void kill(ClusterNodes cluster, ExecutorService restarts) {
        Random random = new Random();
        try {
            for (int k = 0; k < CrashRun.KILLS; k++) {
                CrashRun.pauseBeforeKill(random);
                Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50)).until(() -> listening().size() >= UP_AT_A_KILL);
                List<Integer> candidates = listening();
                int victim = candidates.get(random.nextInt(candidates.size()));
                up.set(victim, 0);
                cluster.node(victim).kill();
                run.kills.add(System.currentTimeMillis());
                restarts.execute(() -> {
                    try {
                        cluster.restart(victim);
                        up.set(victim, 1);
                    } catch (Throwable e) {
                        run.problems.add("restart of node" + victim + ": " + e);
                    }
                });
            }
        } catch (Throwable e) {
            run.problems.add("killer: " + e);
        }
    }

    private List<Integer> listening() {
        return IntStream.range(0, NODES).filter(i -> up.get(i) == 1).boxed().toList();
    }

    /**
     * Submits each job under an idempotency key of its own until it is acknowledged; the client moves to
     * another node by itself when its node dies. The submissions are spread over the kills (job {@code i}
     * once {@code i * KILLS / JOBS} kills were made), so that jobs flow through every kill rather than
     * drain before the last ones.
     */
    private void submit(FaxlanClient client) {
        SecureRandom random = new SecureRandom();
        try {
            for (int i = 0; i < CrashRun.JOBS; i++) {
                int due = (int) ((long) i * CrashRun.KILLS / CrashRun.JOBS);
                Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(50)).until(() -> run.kills.size() >= due);
                byte[] key = new byte[CpiCodec.IDEMPOTENCY_KEY_BYTES];
                random.nextBytes(key);
                for (int attempt = 1; ; attempt++) {
                    try {
                        if (!run.submit(client, i, key)) return;
                        break;
                    } catch (FaxlanException e) {
                        // Every node the client knew was down or starting for the whole deadline: again, with the same key.
                        if (attempt == 5) throw e;
                        System.err.println("CrashKillOnThreeNodesIT: job " + i + " not acknowledged (" + e.getMessage() + "); again");
                    }
                }
            }
        } catch (Throwable e) {
            run.problems.add("submitter: " + e);
        }
    }
}
