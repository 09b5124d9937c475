package dev.faxlan.it;

import dev.faxlan.sdk.AlertSubscription;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.sdk.Job;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
 * <p>Its scale is {@link CrashRun}'s: {@code -Dcrash.jobs} and {@code -Dcrash.kills}.
 */
class CrashKillIT {
    @TempDir
    Path dir;

    private CrashRun run;
    private final AtomicReference<ServerChild> current = new AtomicReference<>();
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
        CrashRun.keepLogs("crash-kill-logs", Map.of("server.out", dir.resolve("logs/server.out"), "server.err", dir.resolve("logs/server.err")));
    }

    @Test
    void everyAcceptedJobIsSentExactlyOnceThroughTheKills() throws Exception {
        run = new CrashRun("CrashKillIT", dir);
        Path config = Files.writeString(dir.resolve("faxlan.properties"), CrashRun.serverProperties() + "ocr.enabled=false\n");
        ServerRestarts servers = new ServerRestarts(dir);
        current.set(servers.start(config));
        // The clients log in with an API key: a password's PBKDF2 at every reconnect would load the server more than the faxes do.
        try (FaxlanClient admin = current.get().admin()) {
            apiKey = admin.createApiKey("crash test").key();
        }

        Thread killer = new Thread(() -> kill(servers, config), "killer");
        Thread submitter = new Thread(this::submit, "submitter");
        Thread alerts = new Thread(this::follow, "alerts");
        for (Thread t : List.of(killer, submitter, alerts)) {
            t.setDaemon(true);
            t.start();
        }
        submitter.join();
        killer.join();
        run.assertFlowEnded();

        ServerChild last = current.get();
        try (FaxlanClient admin = client(last)) {
            Awaitility.await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofSeconds(2)).until(() -> admin.jobs(true).stream()
                    .allMatch(j -> List.of("done", "failed", "cancelled").contains(j.state())));
            List<Job> jobs = admin.jobs(true);
            run.say("%d jobs drained", jobs.size());
            run.assertJobsAndFaxes(admin, jobs);
        }
        // The event log and the spool, read directly while the server is stopped; then one more start, from which the
        // alert client (resuming by sequence, as after every kill) must catch up with the whole log.
        last.terminate().waitFor(120, TimeUnit.SECONDS);
        last.close();
        CrashChecks.assertSpoolIntact(dir.resolve("data/spool/docs"));
        List<Long> adminLog;
        try (Connection db = h2(dir.resolve("data"))) {
            adminLog = CrashChecks.adminLog(db);
        }
        long lastSeq = adminLog.get(adminLog.size() - 1);
        current.set(servers.start(config));
        try {
            Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !run.seen.isEmpty() && run.seen.get(run.seen.size() - 1).seq() >= lastSeq);
        } finally {
            stopFollowing = true;
            alerts.join(60_000);
            current.get().close();
        }
        CrashChecks.assertAlertsSawTheLog(run.seen, adminLog);
        run.say("%d events in the log, all seen", adminLog.size());
    }

    /** SIGKILLs the server at random moments, starting it again each time. */
    private void kill(ServerRestarts servers, Path config) {
        Random random = new Random();
        try {
            for (int k = 0; k < CrashRun.KILLS; k++) {
                CrashRun.pauseBeforeKill(random);
                current.get().kill();
                run.kills.add(System.currentTimeMillis());
                current.set(servers.start(config));
            }
        } catch (Throwable e) {
            run.problems.add("killer: " + e);
        }
    }

    /** Submits each job under an idempotency key of its own until it is acknowledged, through restarts. */
    private void submit() {
        SecureRandom random = new SecureRandom();
        ServerChild on = null;
        FaxlanClient client = null;
        try {
            for (int i = 0; i < CrashRun.JOBS; i++) {
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
                        if (!run.submit(client, i, key)) return;
                        break;
                    } catch (FaxlanException e) {
                        // The server died under the request, or is starting: again on the next one, with the same key.
                        ServerChild failedOn = s;
                        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                                .until(() -> current.get() != failedOn || failedOn.process().isAlive());
                    }
                }
            }
        } catch (Throwable e) {
            run.problems.add("submitter: " + e);
        } finally {
            if (client != null) client.close();
        }
    }

    /** An alert client: after each restart it subscribes again from the last event it saw. */
    private void follow() {
        while (true) {
            ServerChild s = current.get();
            try (FaxlanClient client = client(s)) {
                long from = run.seen.isEmpty() ? 0 : run.seen.get(run.seen.size() - 1).seq();
                AlertSubscription sub = client.subscribe("crash-test", from, run.seen::add);
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
