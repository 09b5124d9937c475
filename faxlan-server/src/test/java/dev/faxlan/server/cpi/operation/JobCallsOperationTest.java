package dev.faxlan.server.cpi.operation;

import static dev.faxlan.server.cpi.operation.ServiceFixture.code;
import static dev.faxlan.server.cpi.operation.ServiceFixture.ok;
import static dev.faxlan.server.cpi.operation.ServiceFixture.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Op;
import dev.faxlan.protocol.message.JobMessage;
import dev.faxlan.protocol.message.MessageCodec;
import dev.faxlan.server.MutableClock;
import dev.faxlan.server.storage.JobCalls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code job.get} carries each call attempt's media, why and carrier, to whoever may see the job and no one else; {@code job.list} does not. */
class JobCallsOperationTest {
    @TempDir
    Path dataDir;
    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private ServiceFixture server;
    private byte[] admin;
    private byte[] alice;
    private byte[] bob;
    private long job;

    @BeforeEach
    void start() throws Exception {
        server = new ServiceFixture(dataDir, clock);
        server.service().bootstrapAdmin("admin-password-1");
        server.service().ensurePersonalMailboxes();
        admin = server.login("admin", "admin-password-1");
        for (String u : List.of("alice", "bob")) {
            ok(server.call(admin, Op.USER_ADD, Fields.builder().put("user", u).put("password", u + "-password-1").put("role", "user").build()));
        }
        alice = server.login("alice", "alice-password-1");
        bob = server.login("bob", "bob-password-1");
        byte[] content = "a letter".getBytes(StandardCharsets.US_ASCII);
        String sha = sha256(content);
        Fields begun = ok(server.call(alice, Op.UPLOAD_BEGIN, Fields.builder().put("size", (long) content.length).put("sha256", sha).build()));
        server.writePart(begun.string("upload"), content);
        server.service().completeUpload(server.service().ownUpload(server.caller(alice), begun.string("upload")));
        job = ok(server.call(alice, Op.SUBMIT, Fields.builder().put("to", List.of("+4930123456")).put("documents", List.of(sha)).build()))
                .maps("jobs").get(0).integer("id");
        server.db().tx(c -> {
            JobCalls.put(c, job, new JobCalls.Call(1, clock.millis(), clock.millis() + 60_000, "trunk1",
                    "calling +4930123456 on line trunk1 over T.38, then G.711 if that fails (policy t38-then-g711)", "g711",
                    "G.711 after T.38 was refused (488 Not Acceptable Here) (policy t38-then-g711)", "14,400 bit/s V.17, ECM", "success", 1,
                    "1 page(s) sent"));
            JobCalls.put(c, job, new JobCalls.Call(2, clock.millis() + 120_000, clock.millis() + 121_000, "trunk1", "over G.711 (policy g711)", null,
                    "", "", "busy", 0, "the number was busy"));
            return null;
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theOwnerAndAdministratorsSeeEachCallsMediaWhyAndCarrier() throws Exception {
        for (byte[] who : List.of(alice, admin)) {
            JobMessage.Job j = MessageCodec.decode(JobMessage.OneJob.class, ok(server.call(who, Op.JOB_GET, Fields.builder().put("job", job).build())))
                    .job();
            assertThat(j.calls()).hasSize(2);
            JobMessage.Call first = j.calls().get(0);
            assertThat(first.attempt()).isEqualTo(1);
            assertThat(first.line()).isEqualTo("trunk1");
            assertThat(first.media()).isEqualTo("g711");
            assertThat(first.mediaWhy()).isEqualTo("G.711 after T.38 was refused (488 Not Acceptable Here) (policy t38-then-g711)");
            assertThat(first.plan()).endsWith("over T.38, then G.711 if that fails (policy t38-then-g711)");
            assertThat(first.carrier()).isEqualTo("14,400 bit/s V.17, ECM");
            assertThat(first.outcome()).isEqualTo("success");
            assertThat(first.pages()).isEqualTo(1);
            JobMessage.Call second = j.calls().get(1);
            assertThat(second.media()).as("not known").isNull();
            assertThat(second.carrier()).as("none trained").isNull();
            assertThat(second.outcome()).isEqualTo("busy");
        }
        Fields raw = ok(server.call(alice, Op.JOB_GET, Fields.builder().put("job", job).build())).map("job");
        assertThat(raw.maps("calls").get(1).asMap()).as("absent, not empty").doesNotContainKeys("media", "carrier");
        assertThat(raw.maps("calls").get(0).string("media_why")).startsWith("G.711 after T.38");
    }

    @Test
    void anotherUserGetsNothingAndListingsCarryNoCalls() throws Exception {
        assertThat(code(server.call(bob, Op.JOB_GET, Fields.builder().put("job", job).build()))).isEqualTo(ErrorCode.NOT_FOUND);
        List<Fields> listed = ok(server.call(alice, Op.JOB_LIST, Fields.builder().put("all", true).build())).maps("jobs");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).asMap()).doesNotContainKey("calls");
    }

    @Test
    void aCallRecordedAgainForTheSameAttemptReplacesTheFirst() throws Exception {
        server.db().tx(c -> {
            JobCalls.put(c, job, new JobCalls.Call(2, 1, 2, "trunk1", "p", "t38", "T.38 (policy t38)", "", "no-answer", 0, "x".repeat(400)));
            return null;
        });
        List<JobCalls.Call> calls = server.db().tx(c -> JobCalls.of(c, job));
        assertThat(calls).extracting(JobCalls.Call::outcome).containsExactly("success", "no-answer");
        assertThat(calls.get(1).reason()).as("cut to the column").hasSize(255).endsWith("\u2026");
    }
}
