package dev.faxlan.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.fax.OutgoingPages;
import dev.faxlan.lines.CallOutcome;
import dev.faxlan.lines.CallResult;
import dev.faxlan.lines.Media;
import dev.faxlan.lines.MediaPolicy;
import dev.faxlan.protocol.cbor.Cbor;
import dev.faxlan.server.MutableClock;
import dev.faxlan.server.core.job.Job;
import dev.faxlan.server.cpi.operation.CpiService;
import dev.faxlan.server.spool.Spool;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.Documents;
import dev.faxlan.server.storage.Events;
import dev.faxlan.server.storage.JobCalls;
import dev.faxlan.server.storage.Jobs;
import dev.faxlan.server.storage.Users;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-destination media memory across jobs through the dispatcher, on a real database and spool
 * with an injected clock. The line stands for a trunk with policy t38-then-g711 whose far end refuses
 * T.38 (488) until told otherwise; the fallback within a call is the line's (MediaFallbackIT in
 * faxlan-lines shows it on real SIP), here it is what the line reports.
 */
class MediaMemoryDispatchTest {
    private static final String NUMBER = "+15550100";
    @TempDir
    Path dataDir;
    private final MutableClock clock = new MutableClock(1_800_000_000_000L);
    private Database db;
    private CpiService service;
    private long userId;
    private String doc;
    private final FarEnd line = new FarEnd();
    private Dispatcher dispatcher;

    /** A line with policy t38-then-g711 to a far end that takes audio, and T.38 only when {@code acceptsT38}. */
    static class FarEnd implements Dispatcher.Channel {
        boolean acceptsT38;
        final List<MediaPolicy> asked = new ArrayList<>();

        public String name() {
            return "trunk";
        }

        public int freeChannels() {
            return 1;
        }

        public MediaPolicy policy() {
            return MediaPolicy.T38_THEN_G711;
        }

        public CompletableFuture<CallResult> send(String number, OutgoingPages pages, int stepDown, Dispatcher.CallProgress progress) {
            return send(number, pages, stepDown, progress, policy());
        }

        public synchronized CompletableFuture<CallResult> send(String number, OutgoingPages pages, int stepDown, Dispatcher.CallProgress progress,
                MediaPolicy policy) {
            asked.add(policy);
            progress.sending("");
            CallResult ok = new CallResult(CallOutcome.SUCCESS, null, 200, "", pages.count(), "+15550199", 1000);
            if (policy.first() == Media.G711 || acceptsT38) {
                return CompletableFuture.completedFuture(ok.over(policy.first(), policy.first().shown() + " (policy " + policy.setting() + ")"));
            }
            return CompletableFuture.completedFuture(
                    ok.over(Media.G711, "G.711 after T.38 was refused (488 Not Acceptable Here) (policy " + policy.setting() + ")"));
        }
    }

    @BeforeEach
    void open() throws Exception {
        db = Database.embedded(dataDir);
        Spool spool = new Spool(dataDir.resolve("spool"));
        service = new CpiService(db, spool, clock, "test", "0", new byte[32], 1 << 20);
        userId = db.tx(c -> Users.insert(c, "alice", "user", "not-a-real-hash", clock.millis()));
        byte[] content = "Dear reader,\nthis is a fax.\n".getBytes(StandardCharsets.UTF_8);
        doc = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
        Files.write(spool.document(doc), content);
        db.tx(c -> {
            Documents.insertIfAbsent(c, doc, content.length, clock.millis());
            return null;
        });
        dispatcher = new Dispatcher(db, spool, service.jobs(), number -> Optional.of(line), clock,
                new RetryPolicy(3, Duration.ofMinutes(2), Duration.ofMinutes(30), Duration.ofDays(1)));
        dispatcher.mediaMemory(Duration.ofDays(7));
    }

    @AfterEach
    void close() {
        dispatcher.close();
        db.close();
    }

    private long send(String submission) throws Exception {
        long id = db.tx(c -> Jobs.insert(c, new Jobs.NewJob(userId, submission, NUMBER, "queued", "test", null, "fine", null, List.of(doc)),
                clock.millis()));
        for (CompletableFuture<Void> f : dispatcher.tick()) f.join();
        return id;
    }

    private Job get(long id) throws Exception {
        return db.tx(c -> Jobs.byId(c, id).orElseThrow());
    }

    @SuppressWarnings("unchecked")
    private String dialingReason(long jobId) throws Exception {
        for (Events.StoredEvent e : db.tx(c -> Events.after(c, userId, 0, 1000))) {
            Map<String, Object> body = (Map<String, Object>) Cbor.decode(e.body());
            if (((Number) body.get("job")).longValue() == jobId && "dialing".equals(body.get("state"))) return (String) body.get("reason");
        }
        throw new AssertionError("job " + jobId + " was never dialled");
    }

    @Test
    void aRefusedT38IsDeliveredOverG711AndTheNextJobStartsWithG711UntilTheMemoryExpires() throws Exception {
        long first = send("s1");
        assertThat(get(first).state()).isEqualTo("done");
        assertThat(get(first).reason()).isEqualTo("1 page(s) sent to +15550199 over G.711 after T.38 was refused (488 Not Acceptable Here)"
                + " (policy t38-then-g711)");
        assertThat(dialingReason(first)).isEqualTo("calling +15550100 on line trunk over T.38, then G.711 if that fails (policy t38-then-g711)");
        assertThat(db.tx(c -> Jobs.progress(c, first)).attempts()).as("one attempt").isEqualTo(1);

        clock.advance(Duration.ofDays(1));
        long second = send("s2");
        assertThat(line.asked).containsExactly(MediaPolicy.T38_THEN_G711, MediaPolicy.G711_THEN_T38);
        assertThat(get(second).reason()).isEqualTo("1 page(s) sent to +15550199 over G.711 (policy g711-then-t38)");
        assertThat(dialingReason(second)).startsWith("calling +15550100 on line trunk over G.711, then T.38 if that fails (policy t38-then-g711):"
                + " T.38 failed to +15550100 at ").contains("(G.711 after T.38 was refused (488 Not Acceptable Here) (policy t38-then-g711)), remembered until ");

        // The far end takes T.38 again; a week after the failure the memory has expired and T.38 comes first.
        line.acceptsT38 = true;
        clock.advance(Duration.ofDays(6));
        long third = send("s3");
        assertThat(line.asked).containsExactly(MediaPolicy.T38_THEN_G711, MediaPolicy.G711_THEN_T38, MediaPolicy.T38_THEN_G711);
        assertThat(get(third).reason()).isEqualTo("1 page(s) sent to +15550199 over T.38 (policy t38-then-g711)");

        // Each job's call says which media it used, why, and what the attempt planned.
        JobCalls.Call c1 = db.tx(c -> JobCalls.of(c, first)).get(0);
        assertThat(c1.attempt()).isEqualTo(1);
        assertThat(c1.line()).isEqualTo("trunk");
        assertThat(c1.media()).isEqualTo("g711");
        assertThat(c1.mediaWhy()).isEqualTo("G.711 after T.38 was refused (488 Not Acceptable Here) (policy t38-then-g711)");
        assertThat("calling +15550100 on line trunk " + c1.plan()).isEqualTo(dialingReason(first));
        assertThat(c1.outcome()).isEqualTo("success");
        assertThat(c1.pages()).isEqualTo(1);
        assertThat(c1.reason()).isEqualTo(get(first).reason());
        JobCalls.Call c2 = db.tx(c -> JobCalls.of(c, second)).get(0);
        assertThat(c2.media()).isEqualTo("g711");
        assertThat(c2.mediaWhy()).isEqualTo("G.711 (policy g711-then-t38)");
        assertThat(c2.plan()).startsWith("over G.711, then T.38 if that fails (policy t38-then-g711): T.38 failed to ");
        List<JobCalls.Call> c3 = db.tx(c -> JobCalls.of(c, third));
        assertThat(c3).extracting(JobCalls.Call::media, JobCalls.Call::mediaWhy)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("t38", "T.38 (policy t38-then-g711)"));
    }

    @Test
    void aStepDownRetryRecordsBothCallsWithTheirCarriers() throws Exception {
        // The far end takes T.38 but the first call fails in T.30 before page 1; the retry steps down and delivers.
        line.acceptsT38 = true;
        FarEnd failing = new FarEnd() {
            int calls;

            @Override
            public synchronized CompletableFuture<CallResult> send(String number, OutgoingPages pages, int stepDown, Dispatcher.CallProgress progress,
                    MediaPolicy policy) {
                progress.sending(stepDown == 0 ? "14,400 bit/s V.17, ECM" : "9,600 bit/s V.29, ECM");
                if (calls++ == 0) {
                    return CompletableFuture.completedFuture(new CallResult(CallOutcome.T30_FAILURE, null, 200, "no answer to TCF", 0, "", 1000)
                            .over(Media.G711, "G.711 (policy g711)"));
                }
                return CompletableFuture.completedFuture(new CallResult(CallOutcome.SUCCESS, null, 200, "", pages.count(), "", 1000)
                        .over(Media.G711, "G.711 (policy g711)"));
            }
        };
        dispatcher.close();
        dispatcher = new Dispatcher(db, new Spool(dataDir.resolve("spool")), service.jobs(), number -> Optional.of(failing), clock,
                new RetryPolicy(3, Duration.ofMinutes(2), Duration.ofMinutes(30), Duration.ofDays(1)));
        long id = send("s1");
        clock.advance(Duration.ofMinutes(3));
        for (CompletableFuture<Void> f : dispatcher.tick()) f.join();
        assertThat(get(id).state()).isEqualTo("done");
        List<JobCalls.Call> calls = db.tx(c -> JobCalls.of(c, id));
        assertThat(calls).extracting(JobCalls.Call::attempt).containsExactly(1, 2);
        assertThat(calls.get(0).outcome()).isEqualTo("t30-failure");
        assertThat(calls.get(0).carrier()).isEqualTo("14,400 bit/s V.17, ECM");
        assertThat(calls.get(0).reason()).contains("the retry steps down to 9,600 bit/s");
        assertThat(calls.get(1).outcome()).isEqualTo("success");
        assertThat(calls.get(1).carrier()).isEqualTo("9,600 bit/s V.29, ECM");
        assertThat(calls.get(1).plan()).contains("at 9,600 bit/s at most (stepped down after a T.30 failure)");
    }

    @Test
    void aSuccessfulT38CallLeavesNothingToRemember() throws Exception {
        line.acceptsT38 = true;
        send("s1");
        send("s2");
        assertThat(line.asked).containsExactly(MediaPolicy.T38_THEN_G711, MediaPolicy.T38_THEN_G711);
    }
}
