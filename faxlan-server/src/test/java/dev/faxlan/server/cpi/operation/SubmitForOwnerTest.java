package dev.faxlan.server.cpi.operation;

import static dev.faxlan.server.cpi.operation.ServiceFixture.code;
import static dev.faxlan.server.cpi.operation.ServiceFixture.ok;
import static dev.faxlan.server.cpi.operation.ServiceFixture.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Message;
import dev.faxlan.protocol.Op;
import dev.faxlan.server.MutableClock;
import dev.faxlan.server.service.Caller;
import dev.faxlan.server.storage.Events;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code submit} with {@code owner}: a gateway account (or an administrator) makes jobs that are the
 * owner's in every way (job list, events, phonebook), with its own documents, and the job says who
 * submitted it; a plain user may not, and an unknown owner is refused.
 */
class SubmitForOwnerTest {
    @TempDir
    Path dataDir;
    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private final AtomicLong unique = new AtomicLong();
    private ServiceFixture server;
    private byte[] admin;
    private byte[] alice;
    private byte[] bob;
    private byte[] gateway;

    @BeforeEach
    void start() throws Exception {
        server = new ServiceFixture(dataDir, clock);
        server.service().bootstrapAdmin("admin-password-1");
        server.service().ensurePersonalMailboxes();
        admin = server.login("admin", "admin-password-1");
        addUser("alice", "user");
        addUser("bob", "user");
        Fields added = addUser("mailgw", "gateway");
        assertThat(added.string("role")).isEqualTo("gateway");
        alice = server.login("alice", "alice-password-1");
        bob = server.login("bob", "bob-password-1");
        gateway = server.login("mailgw", "mailgw-password-1");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aGatewaysJobForAliceIsAlicesWithTheGatewayAsSubmitter() throws Exception {
        String doc = upload(gateway, "fax.pdf");
        long seenBefore = lastJobEvent(alice);

        Fields reply = ok(server.call(gateway, Op.SUBMIT, submit(List.of("+4930123456"), doc).put("owner", "alice").build()));

        Fields job = reply.maps("jobs").get(0);
        long id = job.integer("id");
        assertThat(job.string("owner")).isEqualTo("alice");
        assertThat(job.string("submitter")).isEqualTo("mailgw");
        List<Fields> alicesJobs = ok(server.call(alice, Op.JOB_LIST, Fields.builder().put("all", true).build())).maps("jobs");
        assertThat(alicesJobs).extracting(j -> j.integer("id")).containsExactly(id);
        Fields seenByAlice = ok(server.call(alice, Op.JOB_GET, Fields.builder().put("job", id).build())).map("job");
        assertThat(seenByAlice.string("submitter")).isEqualTo("mailgw");
        assertThat(seenByAlice.strings("names")).as("the document's name as the gateway uploaded it").containsExactly("fax.pdf");
        assertThat(jobEventsAfter(alice, seenBefore)).as("alice's event log has the job").contains(id);

        // The gateway answered the mail with the ids; after that the job is alice's alone.
        assertThat(ok(server.call(gateway, Op.JOB_LIST, Fields.builder().put("all", true).build())).maps("jobs")).isEmpty();
        assertThat(code(server.call(gateway, Op.JOB_GET, Fields.builder().put("job", id).build()))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(code(server.call(gateway, Op.JOB_CANCEL, Fields.builder().put("job", id).build()))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(jobEventsAfter(gateway, 0)).doesNotContain(id);
        assertThat(ok(server.call(alice, Op.JOB_CANCEL, Fields.builder().put("job", id).build())).map("job").string("state")).isEqualTo("cancelled");
    }

    @Test
    void aJobAliceSubmittedHerselfHasNoSubmitter() throws Exception {
        String doc = upload(alice, "letter.pdf");
        Fields own = ok(server.call(alice, Op.SUBMIT, submit(List.of("+4930123456"), doc).build())).maps("jobs").get(0);
        Fields namingHerself = ok(server.call(alice, Op.SUBMIT, submit(List.of("+4930123457"), doc).put("owner", "alice").build())).maps("jobs").get(0);
        assertThat(own.asMap()).doesNotContainKey("submitter");
        assertThat(namingHerself.asMap()).doesNotContainKey("submitter");
        assertThat(namingHerself.string("owner")).isEqualTo("alice");
    }

    @Test
    void phonebookNamesAreTheOwners() throws Exception {
        ok(server.call(alice, Op.PHONEBOOK_ADD, Fields.builder().put("name", "Dentist").put("fax", "+4930555111").put("company", "Smile").build()));
        String doc = upload(gateway, "fax.pdf");

        Fields job = ok(server.call(gateway, Op.SUBMIT, submit(List.of("dentist"), doc).put("owner", "alice").build())).maps("jobs").get(0);

        assertThat(job.string("to")).isEqualTo("+4930555111");
        assertThat(job.map("fields").asMap()).containsEntry("to", "Dentist").containsEntry("to_company", "Smile");
        assertThat(code(server.call(gateway, Op.SUBMIT, submit(List.of("dentist"), doc).build())))
                .as("the name is in alice's phonebook, not the gateway's").isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(code(server.call(gateway, Op.SUBMIT, submit(List.of("dentist"), doc).put("owner", "bob").build())))
                .as("nor in bob's").isEqualTo(ErrorCode.BAD_REQUEST);
    }

    @Test
    void aPlainUserMayNotSubmitForAnotherAndLearnsNothingOfWhoExists() throws Exception {
        String doc = upload(bob, "bob.pdf");
        Message forAlice = server.call(bob, Op.SUBMIT, submit(List.of("+4930123456"), doc).put("owner", "alice").build());
        Message forNobody = server.call(bob, Op.SUBMIT, submit(List.of("+4930123456"), doc).put("owner", "nobody").build());

        assertThat(forAlice).isInstanceOfSatisfying(Message.Error.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
            assertThat(e.message()).contains("bob is a user");
        });
        assertThat(code(forNobody)).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(ok(server.call(admin, Op.JOB_LIST, Fields.builder().put("all", true).build())).maps("jobs")).as("no job anywhere").isEmpty();
    }

    @Test
    void anOwnerThatIsNoAccountIsNotFound() throws Exception {
        String doc = upload(gateway, "fax.pdf");
        Message m = server.call(gateway, Op.SUBMIT, submit(List.of("+4930123456"), doc).put("owner", "nobody").build());
        assertThat(m).isInstanceOfSatisfying(Message.Error.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(e.message()).isEqualTo("no user nobody");
        });
        assertThat(ok(server.call(admin, Op.JOB_LIST, Fields.builder().put("all", true).build())).maps("jobs")).isEmpty();
    }

    @Test
    void anAdministratorMaySubmitForAlice() throws Exception {
        String doc = upload(admin, "memo.pdf");
        Fields job = ok(server.call(admin, Op.SUBMIT, submit(List.of("+4930123456"), doc).put("owner", "alice").build())).maps("jobs").get(0);
        assertThat(job.string("owner")).isEqualTo("alice");
        assertThat(job.string("submitter")).isEqualTo("admin");
        assertThat(ok(server.call(alice, Op.JOB_LIST, Fields.EMPTY)).maps("jobs")).extracting(j -> j.integer("id")).containsExactly(job.integer("id"));
    }

    @Test
    void theDocumentsMustBeTheSubmittersOwnUploads() throws Exception {
        String alicesDoc = upload(alice, "private.pdf");
        Message m = server.call(gateway, Op.SUBMIT, submit(List.of("+4930123456"), alicesDoc).put("owner", "alice").build());
        assertThat(code(m)).isEqualTo(ErrorCode.DOCUMENT_UNKNOWN);
    }

    @Test
    void theKeyIsTheSubmittersAndTheOwnerIsPartOfTheRequest() throws Exception {
        String doc = upload(gateway, "fax.pdf");
        byte[] key = server.key();
        Fields first = ok(server.call(gateway, Op.SUBMIT, key, submit(List.of("+4930123456"), doc).put("owner", "alice").build()));
        Fields retry = ok(server.call(gateway, Op.SUBMIT, key, submit(List.of("+4930123456"), doc).put("owner", "alice").build()));
        assertThat(retry.asMap()).as("a retry answers the first jobs").isEqualTo(first.asMap());

        assertThat(code(server.call(gateway, Op.SUBMIT, key, submit(List.of("+4930123456"), doc).put("owner", "bob").build())))
                .as("the same key for another owner is another request").isEqualTo(ErrorCode.IDEMPOTENCY_KEY_REUSED);
        // alice using the gateway's key is her own new request, refused on its merits (not her upload), never given the gateway's answer.
        assertThat(code(server.call(alice, Op.SUBMIT, key, submit(List.of("+4930123456"), doc).build()))).isEqualTo(ErrorCode.DOCUMENT_UNKNOWN);
        assertThat(ok(server.call(alice, Op.JOB_LIST, Fields.builder().put("all", true).build())).maps("jobs")).hasSize(1);
        assertThat(ok(server.call(bob, Op.JOB_LIST, Fields.builder().put("all", true).build())).maps("jobs")).isEmpty();
    }

    @Test
    void removingTheGatewayAccountLeavesAlicesJobs() throws Exception {
        String doc = upload(gateway, "fax.pdf");
        long id = ok(server.call(gateway, Op.SUBMIT, submit(List.of("+4930123456"), doc).put("owner", "alice").build())).maps("jobs").get(0).integer("id");

        ok(server.call(admin, Op.USER_REMOVE, Fields.builder().put("user", "mailgw").build()));

        Fields job = ok(server.call(alice, Op.JOB_GET, Fields.builder().put("job", id).build())).map("job");
        assertThat(job.string("owner")).isEqualTo("alice");
        assertThat(job.asMap()).doesNotContainKey("submitter");
    }

    @Test
    void onlyTheKnownRolesMayBeGiven() throws Exception {
        Message m = server.call(admin, Op.USER_ADD, Fields.builder().put("user", "robot").put("password", "robot-password-1").put("role", "robot").build());
        assertThat(m).isInstanceOfSatisfying(Message.Error.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(e.message()).isEqualTo("role must be user, gateway or admin, not robot");
        });
        Fields login = ok(server.service().handle(server.loginRequest("mailgw", "mailgw-password-1"), ServiceFixture.ADDRESS));
        assertThat(login.string("role")).isEqualTo("gateway");
    }

    // ---------------------------------------------------------------- helpers

    private Fields addUser(String name, String role) {
        return ok(server.call(admin, Op.USER_ADD, Fields.builder().put("user", name).put("password", name + "-password-1").put("role", role).build()));
    }

    private static Fields.Builder submit(List<String> to, String doc) {
        return Fields.builder().put("to", to).put("documents", List.of(doc));
    }

    /** Uploads a fresh document named {@code name} as the owner of {@code session}. */
    private String upload(byte[] session, String name) throws Exception {
        byte[] content = (name + " " + unique.incrementAndGet()).getBytes(StandardCharsets.US_ASCII);
        String sha = sha256(content);
        Fields begun = ok(server.call(session, Op.UPLOAD_BEGIN, Fields.builder().put("size", (long) content.length).put("sha256", sha).put("name", name).build()));
        server.writePart(begun.string("upload"), content);
        assertThat(server.service().completeUpload(server.service().ownUpload(server.caller(session), begun.string("upload"))).bool("complete", false))
                .isTrue();
        return sha;
    }

    private long lastJobEvent(byte[] session) throws Exception {
        List<Events.StoredEvent> events = server.service().eventsAfter(server.caller(session).userId(), 0, 100_000);
        return events.isEmpty() ? 0 : events.get(events.size() - 1).seq();
    }

    /** The job ids in the session owner's event log after {@code seq}. */
    private List<Long> jobEventsAfter(byte[] session, long seq) throws Exception {
        Caller c = server.caller(session);
        List<Long> jobs = new ArrayList<>();
        for (Events.StoredEvent e : server.service().eventsAfter(c.userId(), seq, 100_000)) {
            Message.Event ev = CpiService.toMessage(e);
            if (ev.type().equals("job")) jobs.add(jobOf(ev));
        }
        return jobs;
    }

    private static long jobOf(Message.Event ev) {
        try {
            return ev.body().integer("job");
        } catch (CpiException e) {
            throw new AssertionError(e);
        }
    }
}
