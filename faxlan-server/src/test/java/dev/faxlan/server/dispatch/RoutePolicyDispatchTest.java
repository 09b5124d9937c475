package dev.faxlan.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.fax.OutgoingPages;
import dev.faxlan.lines.CallOutcome;
import dev.faxlan.lines.CallResult;
import dev.faxlan.lines.LineConfig;
import dev.faxlan.lines.LinesConfig;
import dev.faxlan.lines.MediaPolicy;
import dev.faxlan.protocol.cbor.Cbor;
import dev.faxlan.server.MutableClock;
import dev.faxlan.server.cpi.operation.CpiService;
import dev.faxlan.server.spool.Spool;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.Documents;
import dev.faxlan.server.storage.Events;
import dev.faxlan.server.storage.Jobs;
import dev.faxlan.server.storage.Users;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A route's own media policy ({@code line.<name>.route-policy}) through the dispatcher: jobs to numbers
 * under the route are called under its policy, others under the line's, and each job's dialing event
 * says which. The line's configuration is parsed from real settings; the call is what the line reports.
 */
class RoutePolicyDispatchTest {
    @TempDir
    Path dataDir;
    private final MutableClock clock = new MutableClock(1_800_000_000_000L);
    private Database db;
    private CpiService service;
    private long userId;
    private String doc;
    private Dispatcher dispatcher;
    private final List<String> asked = new ArrayList<>();

    /** The trunk as the server's channel adapter shows it to the dispatcher: its configuration decides the policy. */
    private Dispatcher.Channel trunk(LineConfig config) {
        return new Dispatcher.Channel() {
            public String name() {
                return config.name();
            }

            public int freeChannels() {
                return 1;
            }

            public MediaPolicy policy() {
                return config.policy();
            }

            public MediaPolicy policyFor(String number) {
                return config.policyFor(number);
            }

            public CompletableFuture<CallResult> send(String number, OutgoingPages pages, int stepDown, Dispatcher.CallProgress progress) {
                return send(number, pages, stepDown, progress, policy());
            }

            public synchronized CompletableFuture<CallResult> send(String number, OutgoingPages pages, int stepDown, Dispatcher.CallProgress progress,
                    MediaPolicy policy) {
                asked.add(number + " " + policy.setting());
                progress.sending("");
                CallResult ok = new CallResult(CallOutcome.SUCCESS, null, 200, "", pages.count(), number, 1000);
                return CompletableFuture.completedFuture(ok.over(policy.first(), policy.first().shown() + " (policy " + policy.setting() + ")"));
            }
        };
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
        Properties p = new Properties();
        p.load(new StringReader("""
                line.trunk1.registrar=sip.example.net
                line.trunk1.user=faxuser
                line.trunk1.number=+4930123456
                line.trunk1.register=false
                line.trunk1.route=+49
                line.trunk1.policy=t38
                line.trunk1.route-policy=+4940:g711,+4989:t38-then-g711
                """));
        LinesConfig lines = LinesConfig.parse(p);
        dispatcher = new Dispatcher(db, spool, service.jobs(), number -> lines.lineFor(number).map(this::trunk), clock,
                new RetryPolicy(3, Duration.ofMinutes(2), Duration.ofMinutes(30), Duration.ofDays(1)));
        dispatcher.mediaMemory(Duration.ofDays(7));
    }

    @AfterEach
    void close() {
        dispatcher.close();
        db.close();
    }

    private long send(String submission, String number) throws Exception {
        long id = db.tx(c -> Jobs.insert(c, new Jobs.NewJob(userId, submission, number, "queued", "test", null, "fine", null, List.of(doc)),
                clock.millis()));
        for (CompletableFuture<Void> f : dispatcher.tick()) f.join();
        return id;
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
    void eachJobIsCalledUnderItsRoutesPolicyElseTheLines() throws Exception {
        long hamburg = send("s1", "+4940123456");
        long munich = send("s2", "+4989123456");
        long berlin = send("s3", "+4930765432");
        assertThat(asked).containsExactly("+4940123456 g711", "+4989123456 t38-then-g711", "+4930765432 t38");
        assertThat(dialingReason(hamburg)).isEqualTo("calling +4940123456 on line trunk1 over G.711 (policy g711)");
        assertThat(dialingReason(munich)).isEqualTo("calling +4989123456 on line trunk1 over T.38, then G.711 if that fails (policy t38-then-g711)");
        assertThat(dialingReason(berlin)).isEqualTo("calling +4930765432 on line trunk1 over T.38 (policy t38)");
        assertThat(db.tx(c -> Jobs.byId(c, hamburg).orElseThrow()).state()).isEqualTo("done");
    }
}
