package dev.faxlan.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.it.CrashChecks;
import dev.faxlan.it.FastLoopback;
import dev.faxlan.it.ServerChild;
import dev.faxlan.protocol.CpiCodec;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.message.JobMessage;
import dev.faxlan.protocol.message.MessageCodec;
import dev.faxlan.protocol.message.Operations;
import dev.faxlan.sdk.Alert;
import dev.faxlan.sdk.AlertSubscription;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.sdk.InboxFax;
import dev.faxlan.sdk.Job;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
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
 * <p>{@code -Dcrash.jobs} and {@code -Dcrash.kills} scale it (500 and 50 by default).
 */
class CrashKillOnThreeNodesIT {
    static final int NODES = 3;
    static final int JOBS = Integer.getInteger("crash.jobs", 500);
    static final int KILLS = Integer.getInteger("crash.kills", 50);
    static final int CHANNELS = 8;
    /** A kill falls this long after the one before, at random: "every few seconds". */
    static final long KILL_AFTER_MIN_MS = 1_500;
    static final long KILL_AFTER_MAX_MS = 6_000;
    /** Nodes that listen before a kill: the cluster is never killed down to no node. */
    static final int UP_AT_A_KILL = 2;

    @TempDir
    Path dir;

    private final List<Long> kills = new CopyOnWriteArrayList<>();
    private final Map<Integer, Long> accepted = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    private final List<Alert> seen = new CopyOnWriteArrayList<>();
    /** 1 while node i listens, 0 from its kill until its restart listens. */
    private final AtomicIntegerArray up = new AtomicIntegerArray(NODES);

    static String number(int job) {
        return "+1212555" + (1000 + job);
    }

    @Test
    void everyAcceptedJobIsSentExactlyOnceWhileRandomNodesAreKilled() throws Exception {
        long t0 = System.nanoTime();
        String dids = IntStream.range(0, JOBS).mapToObj(CrashKillOnThreeNodesIT::number).collect(Collectors.joining(","));
        List<Path> docs = new ArrayList<>();
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < JOBS; i++) {
            docs.add(Files.writeString(dir.resolve("job" + i + ".txt"), "Crash test on three nodes, job " + i + " to " + number(i) + "\nToken "
                    + HexFormat.of().formatHex(random.generateSeed(8)) + "\n"));
        }
        try (ClusterNodes cluster = ClusterNodes.create(dir, "numbers.country-code=1\nnumbers.area-code=212\n" + FastLoopback.PROPERTY
                + "line.loopback.channels=" + CHANNELS + "\nline.loopback.dids=" + dids + "\n")) {
            try {
                run(cluster, docs, t0);
            } finally {
                keepLogs();
            }
        }
    }

    private void run(ClusterNodes cluster, List<Path> docs, long t0) throws Exception {
        // One after another: the first migrates the database and creates the administrator.
        for (int i = 0; i < NODES; i++) {
            cluster.start(i);
            up.set(i, 1);
        }
        System.out.printf("CrashKillOnThreeNodesIT: three nodes started in %.1f s%n", (System.nanoTime() - t0) / 1e9);
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
            AlertSubscription subscription = following.subscribe("crash-test", 0L, seen::add);
            Thread killer = new Thread(() -> kill(cluster, restarts), "killer");
            Thread submitter = new Thread(() -> submit(submitting, docs), "submitter");
            for (Thread t : List.of(killer, submitter)) {
                t.setDaemon(true);
                t.start();
            }
            submitter.join();
            System.out.printf("CrashKillOnThreeNodesIT: %d submissions acknowledged after %.0f s%n", accepted.size(), (System.nanoTime() - t0) / 1e9);
            killer.join();
            restarts.shutdown();
            assertThat(restarts.awaitTermination(5, TimeUnit.MINUTES)).as("the last restarts ended").isTrue();
            assertThat(problems).as("problems while submitting and killing").isEmpty();
            assertThat(accepted).as("every submission was acknowledged in the end").hasSize(JOBS);
            long flowEnded = System.nanoTime();

            Awaitility.await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofSeconds(2)).until(() -> ClientFailoverIT.count(db,
                    "SELECT COUNT(*) FROM jobs WHERE state NOT IN ('done', 'failed', 'cancelled')") == 0);
            long drained = System.nanoTime();
            List<Job> jobs = submitting.jobs(true);
            CrashChecks.assertOneDoneJobPerSubmission(jobs, accepted, JOBS);
            System.out.printf("CrashKillOnThreeNodesIT: %d jobs, %d kills: flow %.0f s, drained %.0f s later; faxes per node %s,"
                    + " jobs that needed more than one call %d%n", JOBS, kills.size(), (flowEnded - t0) / 1e9, (drained - flowEnded) / 1e9,
                    ThousandJobsOnThreeNodesIT.byKey(db, "SELECT node, COUNT(*) FROM received_faxes WHERE pages > 0 GROUP BY node"),
                    ClientFailoverIT.count(db, "SELECT COUNT(*) FROM jobs WHERE attempts > 1"));
            Map<String, List<InboxFax>> byNumber = CrashChecks.assertEachFaxReceivedOnce("CrashKillOnThreeNodesIT", jobs,
                    submitting.inbox(null, false), accepted, JOBS, CrashKillOnThreeNodesIT::number, kills);
            CrashChecks.assertFaxesAreThePagesSent(submitting, byNumber, docs, CrashKillOnThreeNodesIT::number, dir);
            CrashChecks.assertSpoolIntact(dir.resolve("spool").resolve("docs"));

            Map<Long, List<Long>> log = CrashChecks.eventLog(db);
            CrashChecks.assertNoGap(log);
            List<Long> adminLog = log.get(CrashChecks.userId(db, "admin"));
            long lastSeq = adminLog.get(adminLog.size() - 1);
            Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> subscription.lastDelivered() >= lastSeq);
            assertThat(subscription.failure()).isNull();
            subscription.close();
            CrashChecks.assertAlertsSawTheLog(seen, adminLog);
            System.out.printf("CrashKillOnThreeNodesIT: %d events in the log, all seen; %.0f s in all%n", adminLog.size(), (System.nanoTime() - t0) / 1e9);
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
            for (int k = 0; k < KILLS; k++) {
                long pause = KILL_AFTER_MIN_MS + (long) (random.nextDouble() * (KILL_AFTER_MAX_MS - KILL_AFTER_MIN_MS));
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pause)); // the fault's moment, chosen at random: not a wait for anything
                Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50)).until(() -> listening().size() >= UP_AT_A_KILL);
                List<Integer> candidates = listening();
                int victim = candidates.get(random.nextInt(candidates.size()));
                up.set(victim, 0);
                cluster.node(victim).kill();
                kills.add(System.currentTimeMillis());
                restarts.execute(() -> {
                    try {
                        cluster.restart(victim);
                        up.set(victim, 1);
                    } catch (Throwable e) {
                        problems.add("restart of node" + victim + ": " + e);
                    }
                });
            }
        } catch (Throwable e) {
            problems.add("killer: " + e);
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
    private void submit(FaxlanClient client, List<Path> docs) {
        SecureRandom random = new SecureRandom();
        try {
            for (int i = 0; i < docs.size(); i++) {
                int due = (int) ((long) i * KILLS / JOBS);
                Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(50)).until(() -> kills.size() >= due);
                byte[] key = new byte[CpiCodec.IDEMPOTENCY_KEY_BYTES];
                random.nextBytes(key);
                for (int attempt = 1; ; attempt++) {
                    try {
                        String sha = client.upload(docs.get(i), b -> {});
                        JobMessage.Submit submit = new JobMessage.Submit(List.of(number(i)), List.of(sha), "crash " + i, null, "fine", null, null, null);
                        Fields reply = client.call(Operations.op(submit), MessageCodec.encode(submit), key);
                        List<JobMessage.Job> jobs = MessageCodec.decode(JobMessage.Submitted.class, reply).jobs();
                        if (jobs.size() != 1) throw new AssertionError("job " + i + ": " + jobs.size() + " jobs made");
                        accepted.put(i, jobs.get(0).id());
                        break;
                    } catch (FaxlanException.Refused e) {
                        problems.add("job " + i + " refused: " + e.getMessage());
                        return;
                    } catch (FaxlanException e) {
                        // Every node the client knew was down or starting for the whole deadline: again, with the same key.
                        if (attempt == 5) throw e;
                        System.err.println("CrashKillOnThreeNodesIT: job " + i + " not acknowledged (" + e.getMessage() + "); again");
                    }
                }
            }
        } catch (Throwable e) {
            problems.add("submitter: " + e);
        }
    }

    /** The nodes' logs, kept where a failed run can be looked into. */
    private void keepLogs() throws Exception {
        Path keep = Files.createDirectories(Path.of("target", "crash-kill-three-nodes-logs"));
        for (int i = 0; i < NODES; i++) {
            for (String log : List.of("server.out", "server.err")) {
                Path from = dir.resolve("logs" + i).resolve(log);
                if (Files.exists(from)) Files.copy(from, keep.resolve("node" + i + "-" + log), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
