package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.documents.convert.ConvertOptions;
import dev.faxlan.documents.convert.DocumentConverter;
import dev.faxlan.documents.page.PageSize;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t4.Resolution;
import dev.faxlan.engine.tiff.TiffReader;
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
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
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
    /** How far a kill's time (taken by the test after the process is gone) may stray from the window it fell in. */
    static final long KILL_SLACK_MS = 500;

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
            assertThat(jobs).as("one job per submission, none made twice").hasSize(JOBS);
            assertThat(jobs).extracting(Job::id).containsExactlyInAnyOrderElementsOf(accepted.values());
            List<String> notDone = jobs.stream().filter(j -> !j.state().equals("done")).map(j -> j.id() + " " + j.state() + ": " + j.reason())
                    .toList();
            assertThat(notDone).as("jobs not done").isEmpty();

            // Counted at the receiving side: each job dialled a number of its own.
            List<InboxFax> all = admin.inbox(null, false);
            // A reception that failed (a call cut off, or T.30 timed out on a loaded machine) is listed with no pages:
            // the sender retried it, so it is no copy of the fax.
            List<InboxFax> received = all.stream().filter(f -> f.pages() > 0).toList();
            System.out.printf("CrashKillIT: %d failed receptions listed: %s%n", all.size() - received.size(),
                    all.stream().filter(f -> f.pages() == 0).map(f -> f.did() + " " + f.result()).toList());
            Map<String, List<InboxFax>> byNumber = received.stream().collect(Collectors.groupingBy(InboxFax::did, TreeMap::new, Collectors.toList()));
            // The window at the end of a fax: from the receiver's end of the call (its fax stored) to the sender's
            // 'done'. A kill in it makes the sender call again, and the fax arrives twice.
            Map<Long, Job> byId = jobs.stream().collect(Collectors.toMap(Job::id, j -> j));
            List<Long> windows = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            List<String> duplicates = new ArrayList<>();
            List<String> unexplained = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                List<InboxFax> copies = byNumber.getOrDefault(number(i), List.of());
                if (copies.isEmpty()) missing.add(number(i));
                if (copies.size() == 1) windows.add(byId.get(accepted.get(i)).updated() - end(copies.get(0)));
            }
            Collections.sort(windows);
            long widest = windows.isEmpty() ? 0 : windows.get(windows.size() - 1);
            for (int i = 0; i < JOBS; i++) {
                List<InboxFax> copies = byNumber.getOrDefault(number(i), List.of());
                if (copies.size() < 2) continue;
                long first = copies.stream().mapToLong(CrashKillIT::end).min().orElseThrow();
                List<Long> near = kills.stream().map(k -> k - first).filter(d -> d > -KILL_SLACK_MS && d < widest + KILL_SLACK_MS).toList();
                String what = number(i) + " x" + copies.size() + ", kills at " + near + " ms after the first copy's end";
                duplicates.add(what);
                if (near.isEmpty()) unexplained.add(what);
            }
            System.out.printf("CrashKillIT: %d jobs, %d kills: flow %.0f s, drained %.0f s later; %d received (a call %.1f s on average),"
                    + " %d missing, %d duplicates %s%n", JOBS, kills.size(), (flowEnded - t0) / 1e9, (drained - flowEnded) / 1e9, received.size(),
                    received.stream().mapToLong(InboxFax::durationMs).average().orElse(0) / 1e3, missing.size(), duplicates.size(), duplicates);
            System.out.printf("CrashKillIT: end-of-fax window (receiver's call end .. sender's 'done'): least %d ms, p50 %d ms, p99 %d ms,"
                    + " widest %d ms%n", windows.isEmpty() ? 0 : windows.get(0), windows.isEmpty() ? 0 : windows.get(windows.size() / 2), windows.isEmpty() ? 0 : windows.get(windows.size() * 99 / 100), widest);
            System.out.printf("CrashKillIT: %d job(s) found delivered when their cut-off call was taken back%n",
                    jobs.stream().filter(j -> j.reason() != null && j.reason().startsWith("delivered:")).count());
            assertThat(missing).as("jobs done but never received").isEmpty();
            // A kill between the receiver's store and the sender's 'done' must not send the fax again: the cut-off
            // attempt is found delivered by its Call-ID. The kills near each extra copy say which window it fell in.
            assertThat(duplicates).as("jobs received more than once (%d with no kill near the end of their first copy)", unexplained.size())
                    .isEmpty();
            assertThat(received).as("no other fax arrived").hasSize(JOBS);

            // Each received fax: its bytes match the SHA-256 the server recorded (fetch checks), and its page is the one sent.
            ConvertOptions options = ConvertOptions.of(Resolution.parse("fine"), PageSize.A4);
            for (int i = 0; i < JOBS; i++) {
                InboxFax fax = byNumber.get(number(i)).get(0);
                Path tiff = dir.resolve("received" + i + ".tif");
                admin.fetch(fax.id(), tiff, b -> {});
                BilevelPage sent = new DocumentConverter(options).firstPage(List.of(docs.get(i)), List.of("job" + i + ".txt"), null);
                try (TiffReader r = TiffReader.open(tiff)) {
                    assertThat(r.pageCount()).as("pages of fax %d", i).isEqualTo(1);
                    BilevelPage got = r.readPage(0).page();
                    assertThat(got.height()).as("rows of fax %d", i).isEqualTo(sent.height());
                    assertThat(Arrays.equals(got.buffer(), sent.buffer())).as("fax %d is the page job %d sent", i, i).isTrue();
                }
            }
        }
        // The event log and the spool, read directly while the server is stopped; then one more start, from which the
        // alert client (resuming by sequence, as after every kill) must catch up with the whole log.
        last.terminate().waitFor(120, TimeUnit.SECONDS);
        last.close();
        assertSpoolIntact(dir.resolve("data/spool/docs"));
        Map<Long, List<Long>> log = eventLog(dir.resolve("data"));
        long admin = userId(dir.resolve("data"), "admin");
        for (Map.Entry<Long, List<Long>> user : log.entrySet()) {
            List<Long> seqs = user.getValue();
            assertThat(seqs).as("event log of user %d has no gap", user.getKey())
                    .isEqualTo(Stream.iterate(seqs.get(0), s -> s + 1).limit(seqs.size()).toList());
        }
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
        assertThat(seen.stream().map(dev.faxlan.sdk.Alert::seq).filter(s -> s <= lastSeq).toList())
                .as("the alert client saw every event of the log, once, in order").isEqualTo(adminLog);
        System.out.printf("CrashKillIT: %d events in the log, all seen; %.0f s in all%n", adminLog.size(), (System.nanoTime() - t0) / 1e9);
    }

    /** When the receiving side ended the call: its start and duration as it recorded them. */
    static long end(InboxFax fax) {
        return fax.received() + fax.durationMs();
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

    private static void assertSpoolIntact(Path docs) throws Exception {
        try (Stream<Path> files = Files.list(docs)) {
            for (Path f : files.toList()) {
                String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
                assertThat(sha).as("document %s", f.getFileName()).isEqualTo(f.getFileName().toString());
            }
        }
    }

    private static Connection h2(Path data) throws Exception {
        return DriverManager.getConnection("jdbc:h2:file:" + data.toAbsolutePath().resolve("db").resolve("faxlan")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "faxlan", "");
    }

    private static Map<Long, List<Long>> eventLog(Path data) throws Exception {
        Map<Long, List<Long>> log = new TreeMap<>();
        try (Connection c = h2(data); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT user_id, seq FROM events ORDER BY user_id, seq")) {
            while (rs.next()) log.computeIfAbsent(rs.getLong(1), u -> new ArrayList<>()).add(rs.getLong(2));
        }
        return log;
    }

    private static long userId(Path data, String name) throws Exception {
        try (Connection c = h2(data); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM users WHERE name = '" + name + "'")) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }
}
