package dev.faxlan.server.dispatch;

import dev.faxlan.server.core.job.InterruptedJob;
import dev.faxlan.server.core.job.Job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.fax.OutgoingPages;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.tiff.TiffEncoding;
import dev.faxlan.engine.tiff.TiffWriteOptions;
import dev.faxlan.engine.tiff.TiffWriter;
import dev.faxlan.lines.CallOutcome;
import dev.faxlan.lines.CallResult;
import dev.faxlan.protocol.cbor.Cbor;
import dev.faxlan.server.MutableClock;
import dev.faxlan.server.cpi.operation.CpiService;
import dev.faxlan.server.spool.Spool;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.Documents;
import dev.faxlan.server.storage.Events;
import dev.faxlan.server.storage.JobDetails;
import dev.faxlan.server.storage.Jobs;
import dev.faxlan.server.storage.Uploads;
import dev.faxlan.server.storage.Users;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher on a real database and spool with an injected clock; the line is scripted (the
 * lines themselves are tested in faxlan-lines), so retries run in microseconds.
 */
class DispatcherTest {
    @TempDir
    Path dataDir;
    private final MutableClock clock = new MutableClock(1_800_000_000_000L);
    private Database db;
    private Spool spool;
    private CpiService service;
    private long userId;
    private String textDoc;
    private String brokenDoc;
    private final ScriptedLine line = new ScriptedLine();
    private Dispatcher dispatcher;

    /** A line whose calls end as the test says, at once. */
    static final class ScriptedLine implements Dispatcher.Channel {
        final Deque<CallOutcome> script = new ArrayDeque<>();
        final List<String> calls = new ArrayList<>();
        int free = 2;
        CompletableFuture<CallResult> held;
        /** Thrown by send instead of placing the call. */
        RuntimeException refuse;
        /** The progress of the held call, for a test to report more of it. */
        volatile Dispatcher.CallProgress heldProgress;
        /** Pages a held call reports confirmed before it hangs. */
        int heldConfirmed;
        /** What calls report as their detail (the far end's reason phrase), instead of the outcome's reason. */
        String detail;
        /** Run by send before it hands back the call: what happens while the call is being placed. */
        Runnable whilePlacing = () -> {};

        public String name() {
            return "scripted";
        }

        public int freeChannels() {
            return free;
        }

        /** The carrier a far end that trains at the fastest rate a call allows reports, as the server's line says it. */
        static String trained(int stepDown) {
            return stepDown == 0 ? "14,400 bit/s V.17, ECM" : stepDown == 1 ? "9,600 bit/s V.29, ECM" : "9,600 bit/s V.29, no ECM";
        }

        /** Each call's step-down, in order. */
        final List<Integer> stepDowns = new ArrayList<>();

        public synchronized CompletableFuture<CallResult> send(String number, OutgoingPages pages, int stepDown, Dispatcher.CallProgress progress) {
            calls.add(number + ":" + pages.count());
            stepDowns.add(stepDown);
            if (refuse != null) throw refuse;
            whilePlacing.run();
            if (held != null) {
                progress.confirmed(heldConfirmed);
                heldProgress = progress;
                return held;
            }
            CallOutcome o = script.isEmpty() ? CallOutcome.SUCCESS : script.poll();
            if (o == CallOutcome.SUCCESS || o == CallOutcome.T30_FAILURE) progress.sending(trained(stepDown));
            return CompletableFuture.completedFuture(new CallResult(o, null, o == CallOutcome.BUSY ? 486 : 200, detail != null ? detail : o.reason(),
                    o == CallOutcome.SUCCESS ? pages.count() : 0, "+15550199", 1000));
        }
    }

    @BeforeEach
    void open() throws Exception {
        db = Database.embedded(dataDir);
        spool = new Spool(dataDir.resolve("spool"));
        service = new CpiService(db, spool, clock, "test", "0", new byte[32], 1 << 20);
        userId = db.tx(c -> Users.insert(c, "alice", "user", "not-a-real-hash", clock.millis()));
        textDoc = store("Dear reader,\nthis is a fax.\n".getBytes(StandardCharsets.UTF_8));
        brokenDoc = store("%PDF-1.7\nthis is not really a PDF".getBytes(StandardCharsets.US_ASCII));
        dispatcher = newDispatcher();
    }

    private Dispatcher newDispatcher() {
        return new Dispatcher(db, spool, service.jobs(), number -> number.startsWith("+1555") ? Optional.of(line) : Optional.empty(), clock,
                new RetryPolicy(3, Duration.ofMinutes(2), Duration.ofMinutes(30), Duration.ofDays(1)));
    }

    @AfterEach
    void close() {
        dispatcher.close();
        db.close();
    }

    private String store(byte[] content) throws Exception {
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
        Files.write(spool.document(sha), content);
        db.tx(c -> {
            Documents.insertIfAbsent(c, sha, content.length, clock.millis());
            return null;
        });
        return sha;
    }

    private long job(String submission, String to, Long sendAt, String doc) throws Exception {
        return job(submission, to, sendAt, doc, "fine");
    }

    private long job(String submission, String to, Long sendAt, String doc, String resolution) throws Exception {
        return db.tx(c -> Jobs.insert(c, new Jobs.NewJob(userId, submission, to, "queued", "test", null, resolution, sendAt, List.of(doc)),
                clock.millis()));
    }

    /** Stores a document as the user uploaded it under {@code name}. */
    private String upload(String name, byte[] content) throws Exception {
        String sha = store(content);
        db.tx(c -> {
            Uploads.insert(c, new Uploads.Upload("u" + sha.substring(0, 16), userId, content.length, sha, name, clock.millis(), true));
            return null;
        });
        return sha;
    }

    /** A G4 TIFF of {@code count} blank fax-width pages of {@code rows} rows at fine resolution. */
    static byte[] blankTiff(int count, int rows) {
        BilevelPage blank = new BilevelPage(1728, rows, 204, 196);
        List<BilevelPage> pages = new ArrayList<>();
        for (int i = 0; i < count; i++) pages.add(blank);
        return TiffWriter.toBytes(pages, TiffWriteOptions.of(TiffEncoding.G4));
    }

    private void tick() throws Exception {
        for (CompletableFuture<Void> f : dispatcher.tick()) f.join();
    }

    private Job get(long id) throws Exception {
        return db.tx(c -> Jobs.byId(c, id).orElseThrow());
    }

    private Jobs.Progress progress(long id) throws Exception {
        return db.tx(c -> Jobs.progress(c, id));
    }

    @SuppressWarnings("unchecked")
    private List<String> statesInEvents(long jobId) throws Exception {
        List<String> states = new ArrayList<>();
        for (Events.StoredEvent e : db.tx(c -> Events.after(c, userId, 0, 1000))) {
            Map<String, Object> body = (Map<String, Object>) Cbor.decode(e.body());
            if (((Number) body.get("job")).longValue() == jobId) states.add((String) body.get("state"));
        }
        return states;
    }

    @SuppressWarnings("unchecked")
    private List<String> reasonsInEvents(long jobId) throws Exception {
        List<String> reasons = new ArrayList<>();
        for (Events.StoredEvent e : db.tx(c -> Events.after(c, userId, 0, 1000))) {
            Map<String, Object> body = (Map<String, Object>) Cbor.decode(e.body());
            if (((Number) body.get("job")).longValue() == jobId) reasons.add(body.get("state") + ": " + body.get("reason"));
        }
        return reasons;
    }

    /**
     * Issue 19: a retry after a T.30 failure steps the carrier down, 14,400 -> 9,600 bit/s, then ECM
     * off; each attempt's carrier is in the job's reason and in its events.
     */
    @Test
    void aRetryAfterAT30FailureStepsDownTo9600ThenWithoutEcm() throws Exception {
        long id = job("s-step", "+15550100", null, textDoc);
        line.script.add(CallOutcome.T30_FAILURE);
        line.script.add(CallOutcome.T30_FAILURE);
        tick();
        assertThat(get(id).state()).isEqualTo("retry-wait");
        assertThat(get(id).reason()).contains("(T.30)").contains("at 14,400 bit/s V.17, ECM").contains("the retry steps down to 9,600 bit/s (attempt 1");
        clock.advance(Duration.ofMinutes(2));
        tick();
        assertThat(get(id).state()).isEqualTo("retry-wait");
        assertThat(get(id).reason()).contains("at 9,600 bit/s V.29, ECM").contains("the retry steps down to 9,600 bit/s without ECM (attempt 2");
        clock.advance(Duration.ofMinutes(4));
        tick();
        Job done = get(id);
        assertThat(done.state()).isEqualTo("done");
        assertThat(done.reason()).isEqualTo("1 page(s) sent to +15550199 at 9,600 bit/s V.29, no ECM");
        assertThat(line.stepDowns).containsExactly(0, 1, 2);
        assertThat(reasonsInEvents(id)).filteredOn(r -> r.startsWith("dialing")).containsExactly(
                "dialing: calling +15550100 on line scripted over T.38 (policy t38)",
                "dialing: calling +15550100 on line scripted over T.38 (policy t38) at 9,600 bit/s at most (stepped down after a T.30 failure)",
                "dialing: calling +15550100 on line scripted over T.38 (policy t38) at 9,600 bit/s at most without ECM (stepped down after 2 T.30 failures)");
        assertThat(reasonsInEvents(id)).contains("sending: sending 1 page(s) at 9,600 bit/s V.29, ECM");
    }

    /** Only T.30 failures step down: a busy number or a lost call says nothing about the carrier. */
    @Test
    void otherFailuresDoNotStepDown() throws Exception {
        long id = job("s-nostep", "+15550100", null, textDoc);
        line.script.add(CallOutcome.BUSY);
        line.script.add(CallOutcome.NETWORK_ERROR);
        for (int i = 0; i < 3; i++) {
            tick();
            clock.advance(Duration.ofHours(1));
        }
        assertThat(get(id).state()).isEqualTo("done");
        assertThat(line.stepDowns).containsExactly(0, 0, 0);
        assertThat(get(id).reason()).endsWith("at 14,400 bit/s V.17, ECM");
    }

    @Test
    void busyIsRetriedWithBackoffUntilTheFaxGoesThrough() throws Exception {
        long id = job("s1", "+15550100", null, textDoc);
        line.script.add(CallOutcome.BUSY);
        line.script.add(CallOutcome.BUSY);
        tick();
        assertThat(get(id).state()).isEqualTo("retry-wait");
        assertThat(progress(id).attempts()).isEqualTo(1);
        assertThat(progress(id).nextAttempt()).isEqualTo(clock.millis() + Duration.ofMinutes(2).toMillis());
        clock.advance(Duration.ofSeconds(119));
        tick();
        assertThat(line.calls).hasSize(1);
        clock.advance(Duration.ofSeconds(1));
        tick();
        assertThat(line.calls).hasSize(2);
        assertThat(progress(id).nextAttempt()).as("the second wait is twice the first").isEqualTo(clock.millis() + Duration.ofMinutes(4).toMillis());
        clock.advance(Duration.ofMinutes(4));
        tick();
        Job done = get(id);
        assertThat(done.state()).isEqualTo("done");
        assertThat(done.reason()).contains("1 page(s) sent to +15550199");
        assertThat(progress(id)).isEqualTo(new Jobs.Progress(3, null, 1));
        assertThat(statesInEvents(id)).containsExactly("converting", "dialing", "retry-wait", "converting", "dialing", "retry-wait", "converting",
                "dialing", "sending", "done");
    }

    /** The job map's call figures: pages confirmed and the last call's length, none before a call. */
    @Test
    void aDoneJobShowsItsPagesAndTheLengthOfItsCall() throws Exception {
        long id = job("s-call", "+15550100", null, textDoc);
        Job queued = get(id);
        JobDetails.Details before = db.tx(c -> JobDetails.of(c, queued));
        assertThat(before.pages()).isNull();
        assertThat(before.callMillis()).isNull();
        tick();
        Job done = get(id);
        JobDetails.Details after = db.tx(c -> JobDetails.of(c, done));
        assertThat(done.state()).isEqualTo("done");
        assertThat(after.pages()).isEqualTo(1);
        assertThat(after.callMillis()).isEqualTo(1000L);
    }

    @Test
    void aRetryableFailureGivesUpAfterMaxTries() throws Exception {
        long id = job("s2", "+15550100", null, textDoc);
        for (int i = 0; i < 3; i++) line.script.add(CallOutcome.NO_ANSWER);
        for (int i = 0; i < 3; i++) {
            tick();
            clock.advance(Duration.ofHours(1));
        }
        assertThat(get(id).state()).isEqualTo("failed");
        assertThat(get(id).reason()).contains("nobody answered").contains("gave up after 3 attempt(s)");
        assertThat(line.calls).hasSize(3);
    }

    @Test
    void aNonRetryableOutcomeFailsAtOnce() throws Exception {
        long id = job("s3", "+15550100", null, textDoc);
        line.script.add(CallOutcome.T38_NOT_SUPPORTED);
        tick();
        assertThat(get(id).state()).isEqualTo("failed");
        assertThat(get(id).reason()).contains("T.38");
        assertThat(progress(id).attempts()).isEqualTo(1);
    }

    @Test
    void dueJobsGoOutHighestPriorityFirst() throws Exception {
        line.free = 1;
        long low = job("p1", "+15550201", null, textDoc);
        long high = job("p2", "+15550202", null, textDoc);
        db.tx(c -> {
            Jobs.setPriority(c, low, 2);
            Jobs.setPriority(c, high, 9);
            return null;
        });
        List<Job> due = db.tx(c -> Jobs.due(c, clock.millis(), 10));
        assertThat(due).extracting(Job::id).containsExactly(high, low);
    }

    @Test
    void aJobWaitsForItsSendAtTime() throws Exception {
        long id = job("s4", "+15550100", clock.millis() + Duration.ofHours(2).toMillis(), textDoc);
        tick();
        assertThat(get(id).state()).isEqualTo("queued");
        clock.advance(Duration.ofHours(2));
        tick();
        assertThat(get(id).state()).isEqualTo("done");
    }

    @Test
    void aSecondJobToTheSameNumberWaitsForTheCallInProgress() throws Exception {
        long first = job("s12", "+15550100", null, textDoc);
        long second = job("s13", "+15550100", null, textDoc);
        line.held = new CompletableFuture<>();
        List<CompletableFuture<Void>> started = dispatcher.tick();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> get(first).state().equals("dialing"));
        tick();
        assertThat(get(second).state()).isEqualTo("queued");
        assertThat(get(second).reason()).isEqualTo("waiting for the call in progress to +15550100 to end");
        line.held.complete(new CallResult(CallOutcome.SUCCESS, null, 200, "OK", 1, "", 1000));
        started.forEach(CompletableFuture::join);
        line.held = null;
        tick();
        assertThat(get(second).state()).isEqualTo("done");
    }

    @Test
    void aJobCancelledDuringRetryWaitIsNotCalledAgain() throws Exception {
        long id = job("s5", "+15550100", null, textDoc);
        line.script.add(CallOutcome.BUSY);
        tick();
        db.tx(c -> Jobs.updateState(c, id, "cancelled", "cancelled by alice", clock.millis()));
        clock.advance(Duration.ofHours(1));
        tick();
        assertThat(line.calls).hasSize(1);
        assertThat(get(id).state()).isEqualTo("cancelled");
    }

    @Test
    void cancellingAJobDuringItsCallHangsTheCallUp() throws Exception {
        long id = job("s11", "+15550100", null, textDoc);
        line.held = new CompletableFuture<>();
        List<CompletableFuture<Void>> started = dispatcher.tick();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> get(id).state().equals("dialing"));
        db.tx(c -> Jobs.updateState(c, id, "cancelled", "cancelled by alice", clock.millis()));
        dispatcher.cancelled(id);
        started.forEach(CompletableFuture::join);
        assertThat(line.held).isCancelled();
        assertThat(get(id).state()).isEqualTo("cancelled");
    }

    @Test
    void aBroadcastFansOutWithAnOutcomePerRecipient() throws Exception {
        long a = job("s6", "+15550101", null, textDoc);
        long b = job("s6", "+15550102", null, textDoc);
        line.script.add(CallOutcome.SUCCESS);
        line.script.add(CallOutcome.REJECTED);
        tick();
        assertThat(List.of(get(a).state(), get(b).state())).containsExactlyInAnyOrder("done", "failed");
    }

    @Test
    void aDocumentThatCannotBeConvertedFailsTheJobBeforeAnyCall() throws Exception {
        long id = job("s7", "+15550100", null, brokenDoc);
        tick();
        assertThat(get(id).state()).isEqualTo("failed");
        assertThat(get(id).reason()).startsWith("the document cannot be faxed");
        assertThat(line.calls).isEmpty();
    }

    @Test
    void aNumberNoLineTakesStaysQueued() throws Exception {
        long id = job("s8", "+4930123456", null, textDoc);
        tick();
        assertThat(get(id).state()).isEqualTo("queued");
        assertThat(get(id).reason()).isEqualTo("no fax line takes +4930123456; it waits until one does");
        assertThat(line.calls).isEmpty();
        tick();
        assertThat(statesInEvents(id)).as("the reason is recorded once, not at every tick").containsExactly("queued");
    }

    @Test
    void noFreeChannelMeansTheJobWaits() throws Exception {
        long id = job("s9", "+15550100", null, textDoc);
        line.free = 0;
        tick();
        assertThat(get(id).state()).isEqualTo("queued");
        assertThat(get(id).reason()).isEqualTo("waiting for a free channel on line scripted");
        line.free = 1;
        tick();
        assertThat(get(id).state()).isEqualTo("done");
    }

    @Test
    void aJobInterruptedByAStopIsSentOnceAfterTheRestart() throws Exception {
        long id = job("s10", "+15550100", null, textDoc);
        db.tx(c -> Jobs.updateState(c, id, "dialing", "calling", clock.millis()));
        dispatcher.close();
        dispatcher = newDispatcher();
        assertThat(dispatcher.requeueInterrupted()).isEqualTo(1);
        assertThat(get(id).state()).isEqualTo("queued");
        tick();
        tick();
        assertThat(get(id).state()).isEqualTo("done");
        assertThat(line.calls).hasSize(1);
    }

    @Test
    void aCallHungUpWithoutACancelRecordsTheAttempt() throws Exception {
        long id = job("s12", "+15550100", null, textDoc);
        line.held = new CompletableFuture<>();
        line.heldConfirmed = 1;
        List<CompletableFuture<Void>> started = dispatcher.tick();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> get(id).state().equals("dialing"));
        dispatcher.cancelled(id); // the call is hung up, but the job was not cancelled
        started.forEach(CompletableFuture::join);
        assertThat(get(id).state()).isEqualTo("retry-wait");
        assertThat(get(id).reason()).contains("the call was interrupted after 1 confirmed page(s)");
        assertThat(progress(id).attempts()).isEqualTo(1);
        assertThat(progress(id).pages()).isEqualTo(1);
        assertThat(progress(id).nextAttempt()).isNotNull();
    }

    @Test
    void aHangUpWhileTheCallIsBeingPlacedHangsUpTheCallOnceItExists() throws Exception {
        long id = job("s12b", "+15550100", null, textDoc);
        line.held = new CompletableFuture<>();
        line.whilePlacing = () -> dispatcher.cancelled(id); // 'dialing' is recorded, the line has not yet handed back its call
        List<CompletableFuture<Void>> started = dispatcher.tick();
        for (CompletableFuture<Void> f : started) f.get(60, TimeUnit.SECONDS);
        assertThat(line.held).isCancelled();
        assertThat(get(id).state()).isEqualTo("retry-wait");
        assertThat(progress(id).attempts()).isEqualTo(1);
    }

    @Test
    void pagesTallerThanTheLongestFaxPageFailTheJobBeforeAnyCall() throws Exception {
        // The attack of issue 11: fax-width pages of 65,535 rows, each 14 MB decoded, a few KB coded.
        String tall = upload("tall.tif", blankTiff(40, 65_535));
        long id = job("s13", "+15550100", null, tall);
        tick();
        Job j = get(id);
        assertThat(j.state()).isEqualTo("failed");
        assertThat(j.reason()).contains("tall.tif").contains("page 1 is 65535 rows").contains("the longest fax page is 2809 rows")
                .doesNotContain(tall).doesNotContain(dataDir.toString());
        assertThat(line.calls).isEmpty();
    }

    @Test
    void aConversionThatThrowsEndsTheAttemptAndTheSecondCrashFailsTheJob() throws Exception {
        long id = job("s14", "+15550100", null, textDoc, "bogus");
        tick();
        assertThat(get(id).state()).as("the first crash waits for a retry").isEqualTo("retry-wait");
        assertThat(get(id).reason()).contains("failed unexpectedly");
        clock.advance(Duration.ofHours(1));
        tick();
        assertThat(get(id).state()).as("the second crash fails the job").isEqualTo("failed");
        assertThat(get(id).reason()).contains("twice");
        assertThat(line.calls).isEmpty();
    }

    @Test
    void aJobWhoseCallsWereCutOffByKillsIsRequeuedEachTimeWithTheAttemptCounted() throws Exception {
        long id = job("s15b", "+15550100", null, textDoc);
        for (int kill = 1; kill <= 3; kill++) {
            // A process killed during the call: the conversion was done, so the kill is not held against the job.
            db.tx(c -> Jobs.transition(c, id, "queued", "converting", null, null, null, null, clock.millis()));
            db.tx(c -> Jobs.transition(c, id, "converting", "dialing", null, null, null, null, clock.millis()));
            dispatcher.close();
            dispatcher = newDispatcher();
            assertThat(dispatcher.requeueInterrupted()).isEqualTo(1);
            assertThat(get(id).state()).as("after kill %d", kill).isEqualTo("queued");
            assertThat(progress(id).attempts()).as("attempts after kill %d", kill).isEqualTo(kill);
        }
        tick();
        tick();
        assertThat(get(id).state()).isEqualTo("done");
        assertThat(line.calls).hasSize(1);
    }

    /**
     * Issue 20: a stop counts against every job converting at that moment, so a job whose conversion
     * a stop cut off converts alone on its next attempt: a second count is then a stop during its own
     * conversion (a document that kills the server), never one during a neighbour's.
     */
    @Test
    void aJobWhoseConversionAStopCutOffConvertsAloneOnItsNextAttempt() throws Exception {
        line.free = 8;
        String first = store("Dear reader,\nthe first fax.\n".getBytes(StandardCharsets.UTF_8));
        long a = job("s40a", "+15550101", null, first);
        long b = job("s40b", "+15550102", null, textDoc);
        // A stop while both converted: each counts it.
        for (long id : List.of(a, b)) db.tx(c -> Jobs.transition(c, id, "queued", "converting", null, null, null, null, clock.millis()));
        dispatcher.requeueInterrupted();
        long fresh = job("s40c", "+15550103", null, textDoc);
        // The first suspect's conversion is held (its document is read only when the test lets it).
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
        dev.faxlan.server.core.port.DocumentStore held = new dev.faxlan.server.core.port.DocumentStore() {
            public Path document(String sha) {
                if (sha.equals(first)) {
                    reading.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return spool.document(sha);
            }

            public boolean hasDocument(String sha) {
                return spool.hasDocument(sha);
            }

            public Path newTempFile() throws java.io.IOException {
                return spool.newTempFile();
            }

            public Path adopt(Path tempFile, String sha) throws java.io.IOException {
                return spool.adopt(tempFile, sha);
            }

            public long clearTemp() throws java.io.IOException {
                return spool.clearTemp();
            }
        };
        dispatcher.close();
        dispatcher = new Dispatcher(db, held, service.jobs(), number -> Optional.of(line), clock,
                new RetryPolicy(3, Duration.ofMinutes(2), Duration.ofMinutes(30), Duration.ofDays(1)));
        List<CompletableFuture<Void>> started = dispatcher.tick();
        assertThat(started).as("the first suspect starts alone, with free channels left").hasSize(1);
        assertThat(reading.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(dispatcher.tick()).as("nothing starts while a suspect converts, suspect or not").isEmpty();
        assertThat(get(a).state()).isEqualTo("converting");
        assertThat(List.of(get(b).state(), get(fresh).state())).containsOnly("queued");
        release.countDown();
        started.get(0).join();
        assertThat(get(a).state()).isEqualTo("done");
        List<CompletableFuture<Void>> next = dispatcher.tick();
        assertThat(next).as("the second suspect, alone again").hasSize(1);
        next.forEach(CompletableFuture::join);
        assertThat(get(b).state()).isEqualTo("done");
        assertThat(get(fresh).state()).as("the job no stop cut off waited for the suspect before it").isEqualTo("queued");
        tick();
        assertThat(get(fresh).state()).isEqualTo("done");
        assertThat(line.calls).hasSize(3);
    }

    /** Two jobs that no stop cut off convert side by side. */
    @Test
    void jobsNoStopCutOffConvertSideBySide() throws Exception {
        line.free = 8;
        job("s41a", "+15550101", null, textDoc);
        job("s41b", "+15550102", null, textDoc);
        List<CompletableFuture<Void>> started = dispatcher.tick();
        assertThat(started).hasSize(2);
        started.forEach(CompletableFuture::join);
    }

    @Test
    void aJobWhoseConversionWasCutOffFourTimesFailsAtTheRestartNamingItsDocument() throws Exception {
        String doc = upload("letter.txt", "Dear reader,\nthis is another fax.\n".getBytes(StandardCharsets.UTF_8));
        long id = job("s15", "+15550100", null, doc);
        // A process killed while converting: the job was moved to 'converting' and never left it.
        for (int stop = 1; stop < 4; stop++) {
            db.tx(c -> Jobs.transition(c, id, "queued", "converting", null, null, null, null, clock.millis()));
            dispatcher.requeueInterrupted();
            assertThat(get(id).state()).as("stop %d is retried", stop).isEqualTo("queued");
        }
        db.tx(c -> Jobs.transition(c, id, "queued", "converting", null, null, null, null, clock.millis()));
        dispatcher.requeueInterrupted();
        Job j = get(id);
        assertThat(j.state()).isEqualTo("failed");
        assertThat(j.reason()).contains("letter.txt").contains("stopped 4 times").doesNotContain(doc).doesNotContain(dataDir.toString());
    }

    @Test
    void aJobOfThePageLimitIsSentAndOneMorePageFailsIt() throws Exception {
        dispatcher.close();
        dispatcher = new Dispatcher(db, spool, service.jobs(), number -> Optional.of(line), clock,
                new RetryPolicy(3, Duration.ofMinutes(2), Duration.ofMinutes(30), Duration.ofDays(1)), 3);
        long atLimit = job("s16", "+15550100", null, upload("three.tif", blankTiff(3, 100)));
        long over = job("s17", "+15550101", null, upload("four.tif", blankTiff(4, 100)));
        tick();
        assertThat(get(atLimit).state()).isEqualTo("done");
        assertThat(line.calls).containsExactly("+15550100:3");
        assertThat(get(over).state()).isEqualTo("failed");
        assertThat(get(over).reason()).contains("four.tif: 4 pages; at most 3 can be faxed at once");
    }

    @Test
    void aPageOfTheLongestFaxLengthIsSent() throws Exception {
        long id = job("s18", "+15550100", null, upload("b4.tif", blankTiff(2, 2809)));
        tick();
        assertThat(get(id).state()).isEqualTo("done");
        assertThat(line.calls).containsExactly("+15550100:2");
    }

    @Test
    void aReasonLongerThanItsColumnIsCutToFit() {
        assertThat(Dispatcher.fit("x".repeat(300))).hasSize(Dispatcher.REASON_MAX).endsWith("\u2026");
        assertThat(Dispatcher.fit("short")).isEqualTo("short");
    }

    /**
     * A line whose channels were all taken when the call was to be placed (the loopback line's
     * answering side still storing an ended call) placed no call: the job waits for a channel, no
     * attempt counted, and goes at the next tick.
     */
    @Test
    void aLineWithNoFreeChannelWhenDiallingPlacesNoCallAndCountsNoAttempt() throws Exception {
        long id = job("s19b", "+15550100", null, textDoc);
        line.refuse = new dev.faxlan.lines.NoFreeChannelException("all 2 channels of line scripted are in use");
        tick();
        assertThat(get(id).state()).isEqualTo("queued");
        assertThat(get(id).reason()).contains("waiting for a free channel on line scripted").contains("all 2 channels");
        assertThat(progress(id).attempts()).isZero();
        line.refuse = null;
        tick();
        assertThat(get(id).state()).isEqualTo("done");
        assertThat(progress(id).attempts()).isEqualTo(1);
    }

    @Test
    void aLineThatThrowsWhenDiallingEndsTheAttemptForARetry() throws Exception {
        long id = job("s19", "+15550100", null, textDoc);
        line.refuse = new UnsupportedOperationException("the SIP stack of line scripted refused the call");
        tick();
        assertThat(get(id).state()).isEqualTo("retry-wait");
        assertThat(get(id).reason()).contains("the SIP stack of line scripted refused the call").contains("attempt 1 of 3");
        line.refuse = null;
        clock.advance(Duration.ofHours(1));
        tick();
        assertThat(get(id).state()).isEqualTo("done");
    }

    // Issue 12, fault 1: no failure may leave a job in a non-final state, whatever the length of its reason.

    @Test
    void aConversionErrorOfAThousandCharactersFailsTheJobWithTheReasonCut() throws Exception {
        String doc = upload("letter.txt", "Dear reader,\nthis is a fax.\n".getBytes(StandardCharsets.UTF_8));
        // A template stored by an older version, which this parser refuses with the whole bad statement in the message.
        db.tx(c -> {
            dev.faxlan.server.storage.CoverPages.put(c, userId, "old", "x".repeat(1000) + "\n", clock.millis());
            return null;
        });
        long id = db.tx(c -> Jobs.insert(c, new Jobs.NewJob(userId, "s20", "+15550100", "queued", "test", "old", "fine", null, List.of(doc)),
                clock.millis()));
        tick();
        Job j = get(id);
        assertThat(j.state()).isEqualTo("failed");
        assertThat(j.reason()).startsWith("the document cannot be faxed").hasSize(Jobs.REASON_MAX).endsWith("\u2026");
        assertThat(line.calls).isEmpty();
    }

    @Test
    void aFarEndReasonOfAThousandCharactersEndsTheJobWithItsOutcome() throws Exception {
        long id = job("s21", "+15550100", null, textDoc);
        line.script.add(CallOutcome.REJECTED);
        line.detail = "603 " + "Declined by policy ".repeat(55);
        tick();
        Job j = get(id);
        assertThat(j.state()).as("rejected is final; before, storing the reason failed and the attempt counted as a crash").isEqualTo("failed");
        assertThat(j.reason()).startsWith(CallOutcome.REJECTED.reason()).hasSize(Jobs.REASON_MAX);
    }

    @Test
    void aRandomPdfAndALatin1TextEndInAFinalStateNamingTheUsersFile() throws Exception {
        byte[] random = new byte[1 << 20];
        new java.util.Random(12).nextBytes(random);
        System.arraycopy("%PDF-1.4\n".getBytes(StandardCharsets.US_ASCII), 0, random, 0, 9);
        String pdf = upload("scan of the contract.pdf", random);
        String latin1 = upload("Brief an M\u00fcller.txt", "Sehr geehrter Herr M\u00fcller,\nanbei das Angebot \u00e0 la carte.\n"
                .repeat(40).getBytes(StandardCharsets.ISO_8859_1));
        long pdfJob = job("s22", "+15550100", null, pdf);
        long textJob = job("s23", "+15550101", null, latin1);
        tick();
        Job p = get(pdfJob);
        assertThat(p.state()).isEqualTo("failed");
        assertThat(p.reason()).contains("scan of the contract.pdf").doesNotContain(pdf).doesNotContain(dataDir.toString()).doesNotContain("spool");
        Job t = get(textJob);
        assertThat(t.state()).isIn("done", "failed");
        if (t.state().equals("failed")) assertThat(t.reason()).contains("Brief an M\u00fcller.txt").doesNotContain(latin1);
    }

    @Test
    void aCallStillRunningWhenTheDispatcherClosesIsRecordedWithItsPagesAndTheRetrySaysSo() throws Exception {
        long id = job("s24", "+15550100", null, textDoc);
        line.held = new CompletableFuture<>();
        line.heldConfirmed = 2;
        dispatcher.tick();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> get(id).state().equals("dialing"));
        dispatcher.close(); // a stop whose drain time ran out: hangs up, and returns once the outcome is recorded
        assertThat(line.held).isCancelled();
        Job cut = get(id);
        assertThat(cut.state()).isEqualTo("retry-wait");
        assertThat(cut.reason()).contains("interrupted after 2 confirmed page(s)").contains("sends all pages again");
        assertThat(progress(id).pages()).isEqualTo(2);

        line.held = new CompletableFuture<>();
        dispatcher = newDispatcher();
        clock.advance(Duration.ofHours(1));
        dispatcher.tick();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> get(id).state().equals("dialing"));
        assertThat(get(id).reason()).contains("again: the call was interrupted after 2 confirmed page(s)");
        line.held.complete(new CallResult(CallOutcome.SUCCESS, null, 200, "", 1, "+15550199", 1000));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> get(id).state().equals("done"));
    }

    @Test
    void aStoppingDispatcherStartsNoCall() throws Exception {
        dispatcher.stopStarting();
        long id = job("s25", "+15550100", null, textDoc);
        assertThat(dispatcher.tick()).isEmpty();
        assertThat(get(id).state()).isEqualTo("queued");
        assertThat(line.calls).isEmpty();
    }

    /** This test's dispatcher as node {@code node} on {@code queue} and {@code bus}, as a server of several nodes builds it. */
    private void onNode(String node, dev.faxlan.server.core.port.JobQueue queue, dev.faxlan.server.core.port.EventBus bus) {
        dispatcher.close();
        dispatcher = new Dispatcher(queue, bus, node, db, spool, service.jobs(), number -> Optional.of(line), clock,
                new RetryPolicy(3, Duration.ofMinutes(2), Duration.ofMinutes(30), Duration.ofDays(1)), Dispatcher.DEFAULT_MAX_PAGES_PER_JOB);
    }

    @Test
    void aHangUpPublishedOnTheBusEndsTheCallOfTheNodeHoldingIt() throws Exception {
        var bus = new dev.faxlan.server.events.InProcessEventBus();
        onNode("node-a", new dev.faxlan.server.storage.JdbcJobQueue(db, dev.faxlan.server.service.JobEvents::append, bus), bus);
        long id = job("s26", "+15550100", null, textDoc);
        line.held = new CompletableFuture<>();
        List<CompletableFuture<Void>> started = dispatcher.tick();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> get(id).state().equals("dialing"));
        db.tx(c -> Jobs.updateState(c, id, "cancelled", "cancelled by alice", clock.millis()));
        bus.publish(new dev.faxlan.server.core.port.BusMessage.HangUp(id)); // as a cancel on another node would
        started.forEach(CompletableFuture::join);
        assertThat(line.held).isCancelled();
        assertThat(get(id).state()).isEqualTo("cancelled");
    }

    @Test
    void theLeaseOfACallInProgressIsRenewedAtEveryTickSoNoOtherNodeRequeuesItsJob() throws Exception {
        var bus = new dev.faxlan.server.events.InProcessEventBus();
        var queue = new dev.faxlan.server.storage.JdbcJobQueue(db, dev.faxlan.server.service.JobEvents::append, bus);
        onNode("node-a", queue, bus);
        long id = job("s27", "+15550100", null, textDoc);
        line.held = new CompletableFuture<>();
        List<CompletableFuture<Void>> started = dispatcher.tick();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> get(id).state().equals("dialing"));
        clock.advance(Scheduler.LEASE.minusSeconds(10));
        dispatcher.tick();
        clock.advance(Scheduler.LEASE.minusSeconds(10));
        assertThat(queue.abandoned(clock.millis())).as("renewed at the last tick").isEmpty();
        assertThat(queue.requeueExpired(clock.millis())).isZero();
        clock.advance(Duration.ofSeconds(10)); // a whole lease since the last tick: a node this silent is taken for dead
        assertThat(queue.abandoned(clock.millis())).extracting(InterruptedJob::id).containsExactly(id);
        line.held.complete(new CallResult(CallOutcome.SUCCESS, null, 200, "OK", 1, "", 1000));
        started.forEach(CompletableFuture::join);
        assertThat(get(id).state()).as("the owner still completes its attempt").isEqualTo("done");
        assertThat(queue.abandoned(clock.millis())).isEmpty();
    }

    /**
     * Issue 20: the job is done, durably, when the receiver confirms the last page (before the call's DCN), so a
     * crash after that does not send it again; a call that then ends badly leaves it done.
     */
    @Test
    void aJobIsDoneWhenItsLastPageIsConfirmedAndStaysDoneHoweverItsCallEnds() throws Exception {
        long id = job("s-mcf", "+15550100", null, textDoc);
        line.held = new CompletableFuture<>();
        List<CompletableFuture<Void>> started = dispatcher.tick();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> line.heldProgress != null);

        line.heldProgress.answeredBy("+15550199");
        line.heldProgress.lastPageConfirmed(1, "14,400 bit/s V.17, ECM");
        assertThat(get(id).state()).as("committed when the hook returns").isEqualTo("done");
        assertThat(get(id).reason()).as("the reason the call's end would have given").contains("1 page(s) sent to +15550199").contains("over T.38 (policy t38)");

        line.held.complete(new CallResult(CallOutcome.T30_FAILURE, dev.faxlan.engine.fax.FaxResult.PROTOCOL_ERROR, 200, "no DCN", 1, "", 1000));
        started.forEach(CompletableFuture::join);
        line.held = null;
        clock.advance(Duration.ofHours(1));
        tick();
        assertThat(get(id).state()).isEqualTo("done");
        assertThat(line.calls).as("calls placed").hasSize(1);
        assertThat(progress(id).attempts()).as("attempts").isEqualTo(1);
        List<dev.faxlan.server.storage.JobCalls.Call> jobCalls = db.tx((java.sql.Connection c) -> dev.faxlan.server.storage.JobCalls.of(c, id));
        assertThat(jobCalls).as("the job's calls").singleElement()
                .extracting(dev.faxlan.server.storage.JobCalls.Call::outcome).isEqualTo("success");
        assertThat(statesInEvents(id)).as("states in events").containsSubsequence("dialing", "sending", "done").endsWith("done").doesNotContain("failed");
    }

    @Test
    void aCallThatFailsAfterALineOfOursStoredItsFaxLeavesTheJobDoneNotRetried() throws Exception {
        // The receiving node stored the fax before its confirmation, then died: the sender hears no MCF.
        long id = failedAfterAFaxWasReceivedOn("s-stored", tag -> tag + "-9c@192.0.2.7");
        assertThat(get(id).state()).isEqualTo("done");
        assertThat(get(id).reason()).startsWith(Scheduler.DELIVERED_UNCONFIRMED);
        assertThat(progress(id).pages()).as("pages the receiver stored").isEqualTo(1);
        clock.advance(Duration.ofHours(1));
        tick();
        assertThat(line.calls).as("calls placed").hasSize(1);
    }

    @Test
    void aFailedCallWhoseTagNoReceivedFaxCarriesIsRetried() throws Exception {
        long id = failedAfterAFaxWasReceivedOn("s-unstored", tag -> "fx" + "0".repeat(32) + "-1@192.0.2.7");
        assertThat(get(id).state()).isEqualTo("retry-wait");
    }

    /**
     * A job whose call fails at the sender's end (no answer to its last EOP) after a complete fax was received
     * on the call {@code callId} gives for the attempt's tag; returns the job.
     */
    private long failedAfterAFaxWasReceivedOn(String key, java.util.function.UnaryOperator<String> callId) throws Exception {
        long id = job(key, "+15550100", null, textDoc);
        line.held = new CompletableFuture<>();
        List<CompletableFuture<Void>> started = dispatcher.tick();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> line.heldProgress != null);
        String tag = line.heldProgress.callTag();
        assertThat(tag).as("the attempt's call tag").matches("[0-9a-z]{1,40}");
        db.tx(c -> dev.faxlan.server.storage.ReceivedFaxes.insert(c, new dev.faxlan.server.storage.ReceivedFaxes.NewFax(clock.millis(), "trunk",
                "+15550199", "+15550100", "", "", "", 1, 0, 9000, "OK", textDoc, 1, null, callId.apply(tag))));
        line.held.complete(new CallResult(CallOutcome.T30_FAILURE, dev.faxlan.engine.fax.FaxResult.NO_RESPONSE, 200, "no answer to EOP", 0, "", 12000));
        started.forEach(CompletableFuture::join);
        line.held = null;
        return id;
    }
}
