package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.message.JobMessage;
import dev.faxlan.protocol.message.MessageCodec;
import dev.faxlan.protocol.message.Operations;
import dev.faxlan.sdk.AlertSubscription;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.sdk.InboxFax;
import dev.faxlan.sdk.Job;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, crash safety on one node with embedded H2: jobs flow through the loopback line while the
 * server is SIGKILLed at random moments and started again. Every acknowledged submission ends
 * {@code done} and arrives exactly once, a kill between the receiver's store and the sender's
 * {@code done} included (counted at the receiving side, by the number each job
 * dials), with the page that was sent; every stored document matches its SHA-256; the event log has
 * no gap and an alert client that resumes by sequence after each restart saw all of it.
 *
 * <p>{@code -Dcrash.jobs} and {@code -Dcrash.kills} scale it (500 and 50 by default).
 */
class CrashKillIT {
    static final int JOBS = Integer.getInteger("crash.jobs", 500);
    static final int KILLS = Integer.getInteger("crash.kills", 50);
    static final int CHANNELS = 8;
    /** Loopback calls this many times faster than real time: a fax of about 16 s takes under 2. */
    static final int SPEED = 10;
    /** Kills fall this long after the server listens, at random: "every few seconds". */
    static final long KILL_AFTER_MIN_MS = 1_500;
    static final long KILL_AFTER_MAX_MS = 6_000;

    @TempDir
    Path dir;

    private final AtomicReference<ServerChild> current = new AtomicReference<>();
    private final List<Long> kills = new CopyOnWriteArrayList<>();
    private final Map<Integer, Long> accepted = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    private final List<dev.faxlan.sdk.Alert> seen = new CopyOnWriteArrayList<>();
    private volatile boolean stopFollowing;
    private volatile String apiKey;

    private FaxlanClient client(ServerChild s) {
        return client(s, Duration.ofSeconds(30));
    }

    private FaxlanClient client(ServerChild s, Duration timeout) {
        return FaxlanClient.builder().server(s.address()).apiKey(apiKey.toCharArray()).timeout(timeout).build();
    }

    @AfterEach
    void stop() throws Exception {
        stopFollowing = true;
        ServerChild s = current.get();
        if (s != null) s.close();
        // The servers' logs, kept where a failed run can be looked into.
        Path keep = Files.createDirectories(Path.of("target", "crash-kill-logs"));
        for (String log : List.of("server.out", "server.err")) {
            Path from = dir.resolve("logs").resolve(log);
            if (Files.exists(from)) Files.copy(from, keep.resolve(log), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static String number(int job) {
        return "+1212555" + (1000 + job);
    }

    @Test
    void everyAcceptedJobIsSentExactlyOnceThroughFiftyKills() throws Exception {
        long t0 = System.nanoTime();
        String dids = Stream.iterate(0, i -> i + 1).limit(JOBS).map(CrashKillIT::number).collect(Collectors.joining(","));
        Path config = Files.writeString(dir.resolve("faxlan.properties"), "numbers.country-code=1\nnumbers.area-code=212\n"
                + "line.loopback.channels=" + CHANNELS + "\nline.loopback.speed=" + SPEED + "\nline.loopback.dids=" + dids + "\nocr.enabled=false\n");
        List<Path> docs = new ArrayList<>();
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < JOBS; i++) {
            docs.add(Files.writeString(dir.resolve("job" + i + ".txt"), "Crash test, job " + i + " to " + number(i) + "\nToken "
                    + HexFormat.of().formatHex(random.generateSeed(8)) + "\n"));
        }
        ServerRestarts servers = new ServerRestarts(dir);
        current.set(servers.start(config));
        // The clients log in with an API key: a password's PBKDF2 at every reconnect would load the server more than the faxes do.
        try (FaxlanClient admin = current.get().admin()) {
            apiKey = admin.createApiKey("crash test").key();
        }

        Thread killer = new Thread(() -> kill(servers, config), "killer");
        Thread submitter = new Thread(() -> submit(docs), "submitter");
        Thread alerts = new Thread(this::follow, "alerts");
        for (Thread t : List.of(killer, submitter, alerts)) {
            t.setDaemon(true);
            t.start();
        }
        submitter.join();
        System.out.printf("CrashKillIT: %d submissions acknowledged after %.0f s%n", accepted.size(), (System.nanoTime() - t0) / 1e9);
        killer.join();
        assertThat(problems).as("problems while submitting and killing").isEmpty();
        assertThat(accepted).as("every submission was acknowledged in the end").hasSize(JOBS);
        long flowEnded = System.nanoTime();

        ServerChild last = current.get();
        try (FaxlanClient admin = client(last)) {
            Awaitility.await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofSeconds(2)).until(() -> admin.jobs(true).stream()
                    .allMatch(j -> List.of("done", "failed", "cancelled").contains(j.state())));
            long drained = System.nanoTime();
            List<Job> jobs = admin.jobs(true);
            CrashChecks.assertOneDoneJobPerSubmission(jobs, accepted, JOBS);
            System.out.printf("CrashKillIT: %d jobs, %d kills: flow %.0f s, drained %.0f s later%n", JOBS, kills.size(), (flowEnded - t0) / 1e9,
                    (drained - flowEnded) / 1e9);
            Map<String, List<InboxFax>> byNumber = CrashChecks.assertEachFaxReceivedOnce("CrashKillIT", jobs, admin.inbox(null, false), accepted, JOBS,
                    CrashKillIT::number, kills);
            CrashChecks.assertFaxesAreThePagesSent(admin, byNumber, docs, CrashKillIT::number, dir);
        }
        // The event log and the spool, read directly while the server is stopped; then one more start, from which the
        // alert client (resuming by sequence, as after every kill) must catch up with the whole log.
        last.terminate().waitFor(120, TimeUnit.SECONDS);
        last.close();
        CrashChecks.assertSpoolIntact(dir.resolve("data/spool/docs"));
        Map<Long, List<Long>> log;
        long admin;
        try (Connection db = h2(dir.resolve("data"))) {
            log = CrashChecks.eventLog(db);
            admin = CrashChecks.userId(db, "admin");
        }
        CrashChecks.assertNoGap(log);
        List<Long> adminLog = log.get(admin);
        long lastSeq = adminLog.get(adminLog.size() - 1);
        current.set(servers.start(config));
        try {
            Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !seen.isEmpty() && seen.get(seen.size() - 1).seq() >= lastSeq);
        } finally {
            stopFollowing = true;
            alerts.join(60_000);
            current.get().close();
        }
        CrashChecks.assertAlertsSawTheLog(seen, adminLog);
        System.out.printf("CrashKillIT: %d events in the log, all seen; %.0f s in all%n", adminLog.size(), (System.nanoTime() - t0) / 1e9);
    }

    /** SIGKILLs the server at random moments, starting it again each time. */
    private void kill(ServerRestarts servers, Path config) {
        Random random = new Random();
        try {
            for (int k = 0; k < KILLS; k++) {
                long pause = KILL_AFTER_MIN_MS + (long) (random.nextDouble() * (KILL_AFTER_MAX_MS - KILL_AFTER_MIN_MS));
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pause)); // the fault's moment, chosen at random: not a wait for anything
                ServerChild s = current.get();
                s.kill();
                kills.add(System.currentTimeMillis());
                current.set(servers.start(config));
            }
        } catch (Throwable e) {
            problems.add("killer: " + e);
        } finally {
        }
    }

    /** Submits each job under an idempotency key of its own until it is acknowledged, through restarts. */
    private void submit(List<Path> docs) {
        SecureRandom random = new SecureRandom();
        ServerChild on = null;
        FaxlanClient client = null;
        try {
            for (int i = 0; i < docs.size(); i++) {
                byte[] key = random.generateSeed(16);
                while (true) {
                    ServerChild s = current.get();
                    try {
                        if (s != on) {
                            if (client != null) client.close();
                            on = s;
                            // A short deadline: a request the kill cut off is given up soon and made again (same key) to the next server.
                            client = client(s, Duration.ofSeconds(5));
                        }
                        String sha = client.upload(docs.get(i), b -> {});
                        JobMessage.Submit submit = new JobMessage.Submit(List.of(number(i)), List.of(sha), "crash " + i, null, "fine", null, null,
                                null);
                        Fields reply = client.call(Operations.op(submit), MessageCodec.encode(submit), key);
                        List<JobMessage.Job> jobs = MessageCodec.decode(JobMessage.Submitted.class, reply).jobs();
                        if (jobs.size() != 1) throw new AssertionError("job " + i + ": " + jobs.size() + " jobs made");
                        accepted.put(i, jobs.get(0).id());
                        break;
                    } catch (FaxlanException.Refused e) {
                        problems.add("job " + i + " refused: " + e.getMessage());
                        return;
                    } catch (FaxlanException e) {
                        // The server died under the request, or is starting: again on the next one, with the same key.
                        ServerChild failedOn = s;
                        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                                .until(() -> current.get() != failedOn || failedOn.process().isAlive());
                    }
                }
            }
        } catch (Throwable e) {
            problems.add("submitter: " + e);
        } finally {
            if (client != null) client.close();
        }
    }

    /** An alert client: after each restart it subscribes again from the last event it saw. */
    private void follow() {
        while (true) {
            ServerChild s = current.get();
            try (FaxlanClient client = client(s)) {
                long from = seen.isEmpty() ? 0 : seen.get(seen.size() - 1).seq();
                AlertSubscription sub = client.subscribe("crash-test", from, seen::add);
                Awaitility.await().atMost(Duration.ofHours(2)).pollInterval(Duration.ofMillis(100))
                        .until(() -> current.get() != s || !s.process().isAlive() || Thread.currentThread().isInterrupted() || stopFollowing);
                sub.close();
            } catch (Throwable e) {
                if (stopFollowing) return;
            }
            if (stopFollowing) return;
        }
    }

    private static Connection h2(Path data) throws Exception {
        return DriverManager.getConnection("jdbc:h2:file:" + data.toAbsolutePath().resolve("db").resolve("faxlan")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "faxlan", "");
    }
}
