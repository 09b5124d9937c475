package dev.faxlan.server.cpi.operation;

import static dev.faxlan.server.cpi.operation.ServiceFixture.ADDRESS;
import static dev.faxlan.server.cpi.operation.ServiceFixture.code;
import static dev.faxlan.server.cpi.operation.ServiceFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.server.service.Caller;
import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Message;
import dev.faxlan.protocol.Op;
import dev.faxlan.server.core.port.LineDirectory;
import dev.faxlan.protocol.cbor.Cbor;
import dev.faxlan.server.MutableClock;
import dev.faxlan.server.auth.LoginThrottle;
import dev.faxlan.server.files.DiskSpace;
import dev.faxlan.server.storage.Events;
import dev.faxlan.server.storage.Jobs;
import dev.faxlan.server.storage.Mailboxes;
import dev.faxlan.server.storage.ReceivedFaxes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * CpiService without any network: requests are built directly and handed to
 * {@link CpiService#handle}. One server (data directory, users, sessions) serves the whole class,
 * because every password hash costs half a second; tests use their own idempotency keys and jobs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CpiServiceTest {
    private static final byte[] DOCUMENT = "%PDF-1.4 test document for CpiServiceTest\n".getBytes(StandardCharsets.US_ASCII);
    private final SecureRandom random = new SecureRandom();
    private final MutableClock clock = new MutableClock();
    @TempDir
    static Path dataDir;
    private ServiceFixture server;
    private CpiService service;
    private byte[] admin;
    private byte[] alice;
    private byte[] bob;
    private long aliceId;
    private String documentSha;

    @BeforeAll
    void startServer() throws Exception {
        server = new ServiceFixture(dataDir, clock);
        service = server.service();
        assertThat(service.bootstrapAdmin("admin-password-1")).isEmpty();
        admin = server.login("admin", "admin-password-1");
        ok(server.call(admin, Op.USER_ADD, server.key(), Fields.builder().put("user", "alice").put("password", "alice-password-1").build()));
        ok(server.call(admin, Op.USER_ADD, server.key(), Fields.builder().put("user", "bob").put("password", "bob-password-1").build()));
        ok(server.call(admin, Op.USER_ADD, server.key(), Fields.builder().put("user", "carol").put("password", "carol-password-1").build()));
        alice = server.login("alice", "alice-password-1");
        bob = server.login("bob", "bob-password-1");
        aliceId = server.caller(alice).userId();
        documentSha = server.upload(alice, DOCUMENT);
        // Bob announces the same document: the server holds it, but not for him, so it wants the bytes.
        Fields announced = ok(server.call(bob, Op.UPLOAD_BEGIN, server.key(), Fields.builder().put("size", (long) DOCUMENT.length).put("sha256", documentSha).build()));
        assertThat(announced.bool("complete", true)).isFalse();
        assertThat(server.upload(bob, DOCUMENT)).isEqualTo(documentSha);
        service.onJobCancelled(cancelledCalls::add);
    }

    private final List<Long> cancelledCalls = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Test
    void aReplayedCancelHangsUpNothingAndAKeyReusedForAnotherJobIsRefused() throws Exception {
        long own = ok(server.call(bob, Op.SUBMIT, server.key(), submitBody("+4930701"))).maps("jobs").get(0).integer("id");
        long victims = ok(server.call(alice, Op.SUBMIT, server.key(), submitBody("+4930702"))).maps("jobs").get(0).integer("id");
        byte[] k = server.key();
        ok(server.call(bob, Op.JOB_CANCEL, k, Fields.builder().put("job", own).build()));
        assertThat(cancelledCalls).containsOnlyOnce(own);

        // The same key for someone else's job: refused, and no call is hung up.
        Message attack = server.call(bob, Op.JOB_CANCEL, k, Fields.builder().put("job", victims).build());
        assertThat(code(attack)).isEqualTo(ErrorCode.IDEMPOTENCY_KEY_REUSED);
        // A true retry of bob's own cancel answers the stored result and has no effect again.
        ok(server.call(bob, Op.JOB_CANCEL, k, Fields.builder().put("job", own).build()));
        assertThat(cancelledCalls).containsOnlyOnce(own).doesNotContain(victims);
        assertThat(jobState(alice, victims)).isEqualTo("queued");
    }

    @Test
    void aRetryMatchesItsFirstRequestWhateverTheOrderOfItsFields() throws Exception {
        byte[] k = server.key();
        byte[] carol = server.login("carol", "carol-password-1");
        Fields first = ok(server.call(carol, Op.PHONEBOOK_ADD, k, Fields.builder().put("name", "Order Test").put("fax", "+4930777").build()));
        Fields again = ok(server.call(carol, Op.PHONEBOOK_ADD, k, Fields.builder().put("fax", "+4930777").put("name", "Order Test").build()));
        assertThat(encode(again)).isEqualTo(encode(first));
        assertThat(code(server.call(carol, Op.PHONEBOOK_ADD, k, Fields.builder().put("name", "Order Test").put("fax", "+4930778").build())))
                .isEqualTo(ErrorCode.IDEMPOTENCY_KEY_REUSED);
    }

    @Test
    void announcingAHashNeedsTheBytesUnlessTheCallerUploadedThemBefore() throws Exception {
        byte[] content = "only carol's letter".getBytes(StandardCharsets.US_ASCII);
        byte[] carol = server.login("carol", "carol-password-1");
        String sha = server.upload(carol, content);
        Fields again = ok(server.call(carol, Op.UPLOAD_BEGIN, server.key(), Fields.builder().put("size", (long) content.length).put("sha256", sha).build()));
        assertThat(again.bool("complete", false)).as("her own upload of it").isTrue();
        Fields wrongSize = ok(server.call(carol, Op.UPLOAD_BEGIN, server.key(), Fields.builder().put("size", 1L).put("sha256", sha).build()));
        assertThat(wrongSize.bool("complete", true)).as("another size is another claim").isFalse();
        for (Fields other : List.of(Fields.builder().put("size", (long) content.length).put("sha256", sha).build(),
                Fields.builder().put("size", 1L).put("sha256", sha).build())) {
            Fields f = ok(server.call(alice, Op.UPLOAD_BEGIN, server.key(), other));
            assertThat(f.bool("complete", true)).isFalse();
            assertThat(f.integer("offset")).isZero();
        }
        Fields submit = Fields.builder().put("to", List.of("+4930999")).put("documents", List.of(sha)).build();
        assertThat(code(server.call(alice, Op.SUBMIT, server.key(), submit))).isEqualTo(ErrorCode.DOCUMENT_UNKNOWN);
    }

    @Test
    void aDocumentHashIsNoPermissionToSendSomeoneElsesDocument() throws Exception {
        byte[] carol = server.login("carol", "carol-password-1");
        assertThat(code(server.call(carol, Op.SUBMIT, server.key(), submitBody("+4930777")))).isEqualTo(ErrorCode.DOCUMENT_UNKNOWN);
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    // ---- exactly once ----

    @Test
    void retriedSubmitExecutesOnceAndReturnsTheFirstResponse() throws Exception {
        Message.Request submit = submitRequest(alice, server.key(), "+4930111", "+4930222");
        long jobsBefore = jobCount();
        long eventsBefore = service.lastEventSeq(aliceId);

        Fields first = ok(service.handle(submit, ADDRESS));
        Fields second = ok(service.handle(submit, ADDRESS));
        // A retry of the same logical request normally carries a new request id.
        Message.Request retry = new Message.Request(server.nextRequestId(), submit.op(), submit.session(),
                submit.idempotencyKey(), submit.body());
        Message third = service.handle(retry, ADDRESS);

        assertThat(first.maps("jobs")).hasSize(2);
        assertThat(encode(second)).isEqualTo(encode(first));
        assertThat(encode(ok(third))).isEqualTo(encode(first));
        assertThat(((Message.Ok) third).id()).isEqualTo(retry.id());
        assertThat(jobCount()).isEqualTo(jobsBefore + 2);
        assertThat(service.lastEventSeq(aliceId)).isEqualTo(eventsBefore + 2);
    }

    @Test
    void concurrentRetriesOfOneSubmitExecuteOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 8; round++) {
                Message.Request submit = submitRequest(alice, server.key(), "555" + round);
                long jobsBefore = jobCount();
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<Message>> answers = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        return service.handle(submit, ADDRESS);
                    }));
                }
                Fields a = ok(answers.get(0).get(60, TimeUnit.SECONDS));
                Fields b = ok(answers.get(1).get(60, TimeUnit.SECONDS));
                assertThat(encode(b)).as("round %d", round).isEqualTo(encode(a));
                assertThat(jobCount()).as("round %d", round).isEqualTo(jobsBefore + 1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void retryAfterARestartReturnsTheFirstResponse() throws Exception {
        Message.Request submit = submitRequest(alice, server.key(), "+4930333");
        Fields first = ok(service.handle(submit, ADDRESS));
        long jobsBefore = jobCount();

        server.restart(); // the server stops; its database and spool stay
        service = server.service();

        // The session survives the restart too, so the client's retry goes straight through.
        Fields again = ok(service.handle(submit, ADDRESS));
        assertThat(encode(again)).isEqualTo(encode(first));
        assertThat(jobCount()).isEqualTo(jobsBefore);
    }

    @Test
    void keyReusedForAnotherOperationIsRefused() throws Exception {
        byte[] key = server.key();
        Fields submitted = ok(server.call(alice, Op.SUBMIT, key, submitBody("+4930444")));
        long job = submitted.maps("jobs").get(0).integer("id");

        Message cancel = server.call(alice, Op.JOB_CANCEL, key, Fields.builder().put("job", job).build());

        assertThat(code(cancel)).isEqualTo(ErrorCode.IDEMPOTENCY_KEY_REUSED);
        assertThat(((Message.Error) cancel).message()).contains("submit").contains("job.cancel");
        assertThat(jobState(alice, job)).isEqualTo("queued");
    }

    @Test
    void theSameKeyFromAnotherUserIsAnotherRequest() throws Exception {
        byte[] key = server.key();
        Fields forAlice = ok(server.call(alice, Op.SUBMIT, key, submitBody("+4930555")));
        long jobsBefore = jobCount();
        Fields forBob = ok(server.call(bob, Op.SUBMIT, key, submitBody("+4930555")));
        assertThat(forBob.string("submission")).isNotEqualTo(forAlice.string("submission"));
        assertThat(forBob.maps("jobs").get(0).string("owner")).isEqualTo("bob");
        assertThat(jobCount()).isEqualTo(jobsBefore + 1);
    }

    @Test
    void cancelIsExactlyOnceToo() throws Exception {
        long job = ok(server.call(alice, Op.SUBMIT, server.key(), submitBody("+4930666"))).maps("jobs").get(0).integer("id");
        byte[] cancelKey = server.key();
        Fields body = Fields.builder().put("job", job).build();
        Fields first = ok(server.call(alice, Op.JOB_CANCEL, cancelKey, body));
        assertThat(first.map("job").string("state")).isEqualTo("cancelled");
        long events = service.lastEventSeq(aliceId);

        assertThat(encode(ok(server.call(alice, Op.JOB_CANCEL, cancelKey, body)))).isEqualTo(encode(first));
        assertThat(service.lastEventSeq(aliceId)).isEqualTo(events);
        // A new cancel (new key) of a finished job is a conflict.
        assertThat(code(server.call(alice, Op.JOB_CANCEL, server.key(), body))).isEqualTo(ErrorCode.CONFLICT);
    }

    @Test
    void mutatingRequestWithoutAKeyIsABadRequest() throws Exception {
        assertThat(code(server.call(alice, Op.SUBMIT, null, submitBody("555")))).isEqualTo(ErrorCode.BAD_REQUEST);
    }

    @Test
    void failedSubmitCreatesNothing() throws Exception {
        long jobsBefore = jobCount();
        Fields unknownDoc = Fields.builder().put("to", List.of("555")).put("documents", List.of("c".repeat(64))).build();
        assertThat(code(server.call(alice, Op.SUBMIT, server.key(), unknownDoc))).isEqualTo(ErrorCode.DOCUMENT_UNKNOWN);
        assertThat(code(server.call(alice, Op.SUBMIT, server.key(), submitBody("not a number")))).isEqualTo(ErrorCode.BAD_REQUEST);
        Fields badResolution = Fields.builder().put("to", List.of("555")).put("documents", List.of(documentSha))
                .put("resolution", "ultrafine").build();
        assertThat(code(server.call(alice, Op.SUBMIT, server.key(), badResolution))).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(jobCount()).isEqualTo(jobsBefore);
    }

    // ---- permissions ----

    @Test
    void aUserCannotSeeOrCancelAnotherUsersJob() throws Exception {
        long job = ok(server.call(alice, Op.SUBMIT, server.key(), submitBody("+4930777"))).maps("jobs").get(0).integer("id");
        Fields which = Fields.builder().put("job", job).build();

        Message get = server.call(bob, Op.JOB_GET, null, which);
        Message cancel = server.call(bob, Op.JOB_CANCEL, server.key(), which);
        Message missing = server.call(bob, Op.JOB_GET, null, Fields.builder().put("job", 987_654_321L).build());

        assertThat(code(get)).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(code(cancel)).isEqualTo(ErrorCode.NOT_FOUND);
        // Someone else's job answers exactly like a missing one.
        assertThat(((Message.Error) get).message()).isEqualTo(((Message.Error) missing).message().replace("987654321", Long.toString(job)));
        assertThat(jobIds(bob)).doesNotContain(job);
        assertThat(jobState(alice, job)).isEqualTo("queued");
        // The administrator sees everyone's jobs.
        assertThat(jobIds(admin)).contains(job);
        assertThat(ok(server.call(admin, Op.JOB_GET, null, which)).map("job").string("owner")).isEqualTo("alice");
    }

    @Test
    void onlyAnAdministratorManagesUsers() throws Exception {
        Fields newUser = Fields.builder().put("user", "eve").put("password", "eve-password-1").build();
        assertThat(code(server.call(alice, Op.USER_ADD, server.key(), newUser))).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(code(server.call(alice, Op.USER_LIST, null, Fields.EMPTY))).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(code(server.call(alice, Op.USER_REMOVE, server.key(), Fields.builder().put("user", "bob").build()))).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(code(server.call(alice, Op.USER_PASSWD, server.key(), Fields.builder().put("user", "bob").put("password", "hijacked-1").build())))
                .isEqualTo(ErrorCode.PERMISSION_DENIED);
        List<String> names = new ArrayList<>();
        for (Fields u : ok(server.call(admin, Op.USER_LIST, null, Fields.EMPTY)).maps("users")) names.add(u.string("name"));
        assertThat(names).contains("admin", "alice", "bob").doesNotContain("eve");
    }

    @Test
    void requestsWithoutAValidSessionAreRefused() throws Exception {
        assertThat(code(service.handle(server.request(null, Op.JOB_LIST, null, Fields.EMPTY), ADDRESS))).isEqualTo(ErrorCode.SESSION_EXPIRED);
        byte[] forged = new byte[32];
        random.nextBytes(forged);
        assertThat(code(service.handle(server.request(forged, Op.JOB_LIST, null, Fields.EMPTY), ADDRESS))).isEqualTo(ErrorCode.SESSION_EXPIRED);
        assertThat(code(service.handle(server.request(forged, Op.SUBMIT, server.key(), submitBody("555")), ADDRESS))).isEqualTo(ErrorCode.SESSION_EXPIRED);
    }

    // ---- login ----

    @Test
    void wrongPasswordIsAuthFailed() {
        Message m = service.handle(server.loginRequest("alice", "not-her-password"), "198.51.100.20");
        assertThat(code(m)).isEqualTo(ErrorCode.AUTH_FAILED);
        Message unknown = service.handle(server.loginRequest("nobody", "whatever-1"), "198.51.100.20");
        assertThat(code(unknown)).isEqualTo(ErrorCode.AUTH_FAILED);
        // Same message either way: no user enumeration.
        assertThat(((Message.Error) unknown).message()).isEqualTo(((Message.Error) m).message());
    }

    @Test
    void repeatedFailuresAreThrottledEvenForTheRightPassword() throws CpiException {
        String address = "203.0.113.50";
        for (int i = 0; i <= LoginThrottle.FREE_FAILURES; i++) {
            assertThat(code(service.handle(server.loginRequest("carol", "guess-" + i), address)))
                    .isEqualTo(ErrorCode.AUTH_FAILED);
        }
        Message throttled = service.handle(server.loginRequest("carol", "carol-password-1"), address);
        assertThat(code(throttled)).isEqualTo(ErrorCode.AUTH_THROTTLED);
        assertThat(((Message.Error) throttled).message()).contains("carol").contains("try again in 1 s");
        // The throttle is per address: failures here do not lock carol out elsewhere.
        assertThat(service.handle(server.loginRequest("carol", "carol-password-1"), "203.0.113.51"))
                .isInstanceOf(Message.Ok.class);

        clock.advanceMillis(LoginThrottle.BASE_DELAY_MS);
        Message ok = service.handle(server.loginRequest("carol", "carol-password-1"), address);
        assertThat(ok).isInstanceOf(Message.Ok.class);
    }

    @Test
    void loginAnswersWithASessionAndRole() throws Exception {
        Fields f = ok(service.handle(server.loginRequest("admin", "admin-password-1"), ADDRESS));
        assertThat(f.bytes("session")).hasSize(32);
        assertThat(f.string("role")).isEqualTo("admin");
        assertThat(f.integer("expires")).isEqualTo(clock.millis() + CpiService.SESSION_LIFETIME_MS);
        byte[] session = f.bytes("session");
        ok(service.handle(server.request(session, Op.LOGOUT, null, Fields.EMPTY), ADDRESS));
        assertThat(code(service.handle(server.request(session, Op.JOB_LIST, null, Fields.EMPTY), ADDRESS))).isEqualTo(ErrorCode.SESSION_EXPIRED);
    }

    // ---- event log and alerts ----

    @Test
    void eventLogIsGapFreePerUser() throws Exception {
        ok(server.call(alice, Op.SUBMIT, server.key(), submitBody("+4930888", "+4930999")));
        ok(server.call(bob, Op.SUBMIT, server.key(), submitBody("+4930888")));
        for (long user : new long[] {aliceId, server.caller(bob).userId()}) {
            long last = service.lastEventSeq(user);
            List<Events.StoredEvent> events = service.eventsAfter(user, 0, 100_000);
            assertThat(events).extracting(Events.StoredEvent::seq)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
            Message.Event first = CpiService.toMessage(events.get(0));
            assertThat(first.type()).isEqualTo("job");
            assertThat(first.body().string("state")).isIn("queued", "cancelled");
        }
    }

    @Test
    void alertCursorNeverMovesBack() throws Exception {
        Caller caller = server.caller(alice);
        Fields desk = Fields.builder().put("subscriber", "desk-" + random.nextInt(1_000_000)).build();
        String subscriber = CpiService.subscriber(desk);
        // Without a stored cursor a subscription starts after the newest event.
        assertThat(service.subscriptionStart(caller, desk)).isEqualTo(service.lastEventSeq(aliceId));
        service.acknowledge(aliceId, subscriber, 5);
        service.acknowledge(aliceId, subscriber, 2);
        assertThat(service.subscriptionStart(caller, desk)).isEqualTo(5);
        service.acknowledge(aliceId, subscriber, 7);
        assertThat(service.subscriptionStart(caller, desk)).isEqualTo(7);
        // A client's own cursor wins.
        assertThat(service.subscriptionStart(caller, Fields.builder().put("subscriber", subscriber).put("from", 1L).build())).isEqualTo(1);
    }

    @Test
    void uploadWithTheWrongHashIsRefusedAndAKnownDocumentNeedsNoBytes() throws Exception {
        Fields known = ok(server.call(alice, Op.UPLOAD_BEGIN, server.key(), Fields.builder().put("size", (long) DOCUMENT.length)
                .put("sha256", documentSha).build()));
        assertThat(known.bool("complete", false)).isTrue();
        assertThat(known.integer("offset")).isEqualTo(DOCUMENT.length);

        String wrongSha = "d".repeat(64);
        Fields begun = ok(server.call(alice, Op.UPLOAD_BEGIN, server.key(), Fields.builder().put("size", 3L).put("sha256", wrongSha).build()));
        String id = begun.string("upload");
        server.writePart(id, new byte[] {1, 2, 3});
        Caller caller = server.caller(alice);
        try {
            service.completeUpload(service.ownUpload(caller, id));
            throw new AssertionError("a mismatching upload completed");
        } catch (CpiException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.UPLOAD_HASH_MISMATCH);
        }
        // Someone else's upload does not exist for them.
        Caller bobCaller = server.caller(bob);
        try {
            service.ownUpload(bobCaller, id);
            throw new AssertionError("bob sees alice's upload");
        } catch (CpiException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
        }
        assertThat(code(server.call(alice, Op.UPLOAD_BEGIN, server.key(), Fields.builder().put("size", 2L << 20).put("sha256", wrongSha).build())))
                .isEqualTo(ErrorCode.UPLOAD_TOO_LARGE);
    }

    // ---- helpers ----

    // ---- received faxes and routes ----

    private long received(String mailbox) throws Exception {
        return server.db().tx(c -> ReceivedFaxes.insert(c, new ReceivedFaxes.NewFax(clock.millis(), "loopback", "555", "100", "REMOTE", "", "", 1, 0,
                1000, "OK", documentSha, DOCUMENT.length, mailbox)));
    }

    private List<Long> inbox(byte[] session, Fields body) throws CpiException {
        List<Long> ids = new ArrayList<>();
        for (Fields f : ok(server.call(session, Op.INBOX_LIST, null, body)).maps("faxes")) ids.add(f.integer("id"));
        return ids;
    }

    private static Fields fax(long id) {
        return Fields.builder().put("fax", id).build();
    }

    @Test
    void aUserSeesOnlyTheFaxesOfTheirOwnMailboxes() throws Exception {
        long toAlice = received("alice");
        long toBob = received("bob");
        long unaddressed = received(Mailboxes.UNADDRESSED);
        assertThat(inbox(alice, Fields.EMPTY)).contains(toAlice).doesNotContain(toBob, unaddressed);
        assertThat(inbox(bob, Fields.EMPTY)).contains(toBob).doesNotContain(toAlice, unaddressed);
        assertThat(inbox(admin, Fields.EMPTY)).contains(toAlice, toBob, unaddressed);
        assertThat(inbox(admin, Fields.builder().put("mailbox", "Unaddressed").build())).contains(unaddressed).doesNotContain(toAlice);
        // Newest first.
        List<Long> all = inbox(admin, Fields.EMPTY);
        assertThat(all.indexOf(unaddressed)).isLessThan(all.indexOf(toAlice));
        // Someone else's mailbox, or Unaddressed, is as unknown to a user as a missing one.
        assertThat(code(server.call(alice, Op.INBOX_LIST, null, Fields.builder().put("mailbox", "bob").build()))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(code(server.call(alice, Op.INBOX_LIST, null, Fields.builder().put("mailbox", "Unaddressed").build()))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(code(server.call(alice, Op.INBOX_LIST, null, Fields.builder().put("mailbox", "nobody").build()))).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void someoneElsesFaxIsNotFoundForEveryInboxOperation() throws Exception {
        long toBob = received("bob");
        assertThat(code(server.call(alice, Op.INBOX_GET, null, fax(toBob)))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(code(server.call(alice, Op.INBOX_MARK, server.key(), fax(toBob)))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(code(server.call(alice, Op.INBOX_DELETE, server.key(), fax(toBob)))).isEqualTo(ErrorCode.NOT_FOUND);
        Caller aliceCaller = service.authenticate(server.request(alice, Op.INBOX_FETCH, null, Fields.EMPTY));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> service.openFetch(aliceCaller, fax(toBob)))
                .isInstanceOfSatisfying(CpiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(code(server.call(alice, Op.INBOX_GET, null, fax(999_999)))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(ok(server.call(bob, Op.INBOX_GET, null, fax(toBob))).map("fax").string("mailbox")).isEqualTo("bob");
        assertThat(ok(server.call(admin, Op.INBOX_GET, null, fax(toBob))).map("fax").integer("id")).isEqualTo(toBob);
    }

    @Test
    void aFaxMovesOnlyIntoAMailboxTheCallerSees() throws Exception {
        long id = received("alice");
        ok(server.call(admin, Op.MAILBOX_ADD, server.key(), Fields.builder().put("mailbox", "Records").build()));
        // Not yet a member of Records: it is as unknown to alice as a missing mailbox, and the fax stays.
        assertThat(code(server.call(alice, Op.INBOX_MOVE, server.key(), move(id, "Records")))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(code(server.call(alice, Op.INBOX_MOVE, server.key(), move(id, "bob")))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(ok(server.call(alice, Op.INBOX_GET, null, fax(id))).map("fax").string("mailbox")).isEqualTo("alice");
        ok(server.call(admin, Op.MAILBOX_MEMBER_ADD, server.key(), Fields.builder().put("mailbox", "Records").put("user", "alice").build()));
        assertThat(ok(server.call(alice, Op.INBOX_MOVE, server.key(), move(id, "Records"))).map("fax").string("mailbox")).isEqualTo("Records");
        assertThat(inbox(alice, Fields.builder().put("mailbox", "Records").build())).contains(id);
        // bob sees neither the fax nor the mailbox; an administrator moves it anywhere.
        assertThat(code(server.call(bob, Op.INBOX_MOVE, server.key(), move(id, "bob")))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(ok(server.call(admin, Op.INBOX_MOVE, server.key(), move(id, "bob"))).map("fax").string("mailbox")).isEqualTo("bob");
        assertThat(inbox(alice, Fields.EMPTY)).doesNotContain(id);
    }

    private static Fields move(long id, String mailbox) {
        return Fields.builder().put("fax", id).put("mailbox", mailbox).build();
    }

    @Test
    void lineListShowsEachLinesStateToAdministratorsOnly() throws Exception {
        service.setLines(() -> List.of(new LineDirectory.LineStatus("trunk1", "sip", "registered", 2),
                new LineDirectory.LineStatus("loopback", "loopback", "ready", 0)));
        List<Fields> lines = ok(server.call(admin, Op.LINE_LIST, null, Fields.EMPTY)).maps("lines");
        assertThat(lines).extracting(l -> l.string("name") + " " + l.string("kind") + " " + l.string("state") + " " + l.integer("calls"))
                .containsExactly("trunk1 sip registered 2", "loopback loopback ready 0");
        assertThat(code(server.call(alice, Op.LINE_LIST, null, Fields.EMPTY))).isEqualTo(ErrorCode.PERMISSION_DENIED);
    }

    @Test
    void faxesAreMarkedReadAndDeletedOnce() throws Exception {
        long id = received("alice");
        assertThat(ok(server.call(alice, Op.INBOX_GET, null, fax(id))).map("fax").bool("read", true)).isFalse();
        assertThat(ok(server.call(alice, Op.INBOX_MARK, server.key(), fax(id))).map("fax").bool("read", false)).isTrue();
        assertThat(inbox(alice, Fields.builder().put("unread", true).build())).doesNotContain(id);
        ok(server.call(alice, Op.INBOX_MARK, server.key(), Fields.builder().put("fax", id).put("read", false).build()));
        assertThat(inbox(alice, Fields.builder().put("unread", true).build())).contains(id);
        byte[] k = server.key();
        assertThat(ok(server.call(alice, Op.INBOX_DELETE, k, fax(id))).integer("fax")).isEqualTo(id);
        // A retry with the same key replays the first answer; a new request finds nothing.
        assertThat(ok(server.call(alice, Op.INBOX_DELETE, k, fax(id))).integer("fax")).isEqualTo(id);
        assertThat(code(server.call(alice, Op.INBOX_DELETE, server.key(), fax(id)))).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void theServerStreamsAFaxsDocumentFromAnOffset() throws Exception {
        long id = received("alice");
        Caller aliceCaller = service.authenticate(server.request(alice, Op.INBOX_FETCH, null, Fields.EMPTY));
        CpiService.Fetch f = service.openFetch(aliceCaller, Fields.builder().put("fax", id).put("offset", 5L).build());
        assertThat(f.offset()).isEqualTo(5);
        assertThat(f.size()).isEqualTo(DOCUMENT.length);
        assertThat(f.header().string("sha256")).isEqualTo(documentSha);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> service.openFetch(aliceCaller, Fields.builder().put("fax", id)
                .put("offset", (long) DOCUMENT.length + 1).build()))
                .isInstanceOfSatisfying(CpiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }

    @Test
    void onlyAdministratorsManageRoutesAndTheRouteTestNamesTheRuleHit() throws Exception {
        Fields rule = Fields.builder().put("did", "4711*").put("mailbox", "bob").build();
        assertThat(code(server.call(alice, Op.ROUTE_ADD, server.key(), rule))).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(code(server.call(alice, Op.ROUTE_LIST, null, Fields.EMPTY))).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(code(server.call(alice, Op.ROUTE_TEST, null, Fields.EMPTY))).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(code(server.call(admin, Op.ROUTE_ADD, server.key(), Fields.builder().put("did", "47*11").put("mailbox", "bob").build())))
                .isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(code(server.call(admin, Op.ROUTE_ADD, server.key(), Fields.builder().put("did", "1").put("mailbox", "nobody").build())))
                .isEqualTo(ErrorCode.NOT_FOUND);
        byte[] k = server.key();
        long id = ok(server.call(admin, Op.ROUTE_ADD, k, rule)).map("route").integer("id");
        assertThat(ok(server.call(admin, Op.ROUTE_ADD, k, rule)).map("route").integer("id")).isEqualTo(id);
        long first = ok(server.call(admin, Op.ROUTE_ADD, server.key(), Fields.builder().put("csid", "ACME").put("mailbox", "alice").put("position", 1L).build()))
                .map("route").integer("id");
        List<Fields> routes = ok(server.call(admin, Op.ROUTE_LIST, null, Fields.EMPTY)).maps("routes");
        assertThat(routes).extracting(r -> r.asMap().get("id")).containsExactly(first, id);
        assertThat(routes.get(1).string("did")).isEqualTo("4711*");

        Fields hit = ok(server.call(admin, Op.ROUTE_TEST, null, Fields.builder().put("did", "471100").put("csid", "OTHER").build()));
        assertThat(hit.string("mailbox")).isEqualTo("bob");
        assertThat(hit.map("route").integer("id")).isEqualTo(id);
        assertThat(ok(server.call(admin, Op.ROUTE_TEST, null, Fields.builder().put("did", "471100").put("csid", "ACME").build())).string("mailbox"))
                .isEqualTo("alice");
        Fields miss = ok(server.call(admin, Op.ROUTE_TEST, null, Fields.builder().put("did", "999").build()));
        assertThat(miss.string("mailbox")).isEqualTo("Unaddressed");
        assertThat(miss.has("route")).isFalse();

        ok(server.call(admin, Op.ROUTE_REMOVE, server.key(), Fields.builder().put("route", id).build()));
        ok(server.call(admin, Op.ROUTE_REMOVE, server.key(), Fields.builder().put("route", first).build()));
        assertThat(code(server.call(admin, Op.ROUTE_REMOVE, server.key(), Fields.builder().put("route", id).build()))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(ok(server.call(admin, Op.ROUTE_LIST, null, Fields.EMPTY)).maps("routes")).isEmpty();
    }

    @Test
    void newUsersGetAPersonalMailboxAndTakeNoMailboxName() throws Exception {
        assertThat(server.db().tx((java.sql.Connection c) -> Mailboxes.byName(c, "alice")).orElseThrow().ownerId()).isEqualTo(aliceId);
        Fields taken = Fields.builder().put("user", "Unaddressed").put("password", "some-password-1").build();
        assertThat(code(server.call(admin, Op.USER_ADD, server.key(), taken))).isEqualTo(ErrorCode.ALREADY_EXISTS);
    }

    @Test
    void submitAcceptsAPhonebookNameOwnEntriesBeforeSharedOnes() throws Exception {
        ok(server.call(admin, Op.PHONEBOOK_ADD, server.key(), Fields.builder().put("name", "Acme Legal").put("fax", "+1 555 0300").put("shared", true).build()));
        Fields own = ok(server.call(alice, Op.PHONEBOOK_ADD, server.key(), Fields.builder().put("name", "acme legal").put("company", "Acme").put("fax", "+1 555 0301").build()));
        Fields sub = ok(server.call(alice, Op.SUBMIT, server.key(), submitBody("ACME LEGAL")));
        assertThat(sub.maps("jobs").get(0).string("to")).as("alice's own entry wins").isEqualTo("+15550301");
        Fields bobs = ok(server.call(bob, Op.SUBMIT, server.key(), submitBody("Acme Legal")));
        assertThat(bobs.maps("jobs").get(0).string("to")).as("bob has only the shared entry").isEqualTo("+15550300");
        assertThat(code(server.call(bob, Op.SUBMIT, server.key(), submitBody("Nobody Known")))).isEqualTo(ErrorCode.BAD_REQUEST);

        List<Fields> alices = ok(server.call(alice, Op.PHONEBOOK_LIST, null, Fields.EMPTY)).maps("contacts");
        assertThat(alices).hasSize(2);
        List<Fields> bobsList = ok(server.call(bob, Op.PHONEBOOK_LIST, null, Fields.EMPTY)).maps("contacts");
        assertThat(bobsList).hasSize(1);
        assertThat(bobsList.get(0).bool("shared", false)).isTrue();

        long aliceContact = own.map("contact").integer("id");
        assertThat(code(server.call(bob, Op.PHONEBOOK_REMOVE, server.key(), Fields.builder().put("contact", aliceContact).build()))).isEqualTo(ErrorCode.NOT_FOUND);
        long shared = bobsList.get(0).integer("id");
        assertThat(code(server.call(bob, Op.PHONEBOOK_REMOVE, server.key(), Fields.builder().put("contact", shared).build()))).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(code(server.call(bob, Op.PHONEBOOK_ADD, server.key(), Fields.builder().put("name", "Shared Try").put("fax", "+1 555 0302").put("shared", true).build())))
                .isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(code(server.call(alice, Op.PHONEBOOK_ADD, server.key(), Fields.builder().put("name", "5550303").put("fax", "+1 555 0303").build())))
                .as("a name must not look like a number").isEqualTo(ErrorCode.BAD_REQUEST);
        ok(server.call(alice, Op.PHONEBOOK_REMOVE, server.key(), Fields.builder().put("contact", aliceContact).build()));
        Fields after = ok(server.call(alice, Op.SUBMIT, server.key(), submitBody("Acme Legal")));
        assertThat(after.maps("jobs").get(0).string("to")).isEqualTo("+15550300");
    }

    private Fields submitBody(String... to) {
        return Fields.builder().put("to", List.of(to)).put("documents", List.of(documentSha)).put("subject", "test").build();
    }

    private Message.Request submitRequest(byte[] session, byte[] key, String... to) {
        return server.request(session, Op.SUBMIT, key, submitBody(to));
    }

    // Issue 12, faults 2 and 3.

    @Test
    void anUploadIntoTheDiskReserveIsRefusedWithTheBytesThatMatterAndAcceptedOnceSpaceIsBack() throws Exception {
        AtomicLong free = new AtomicLong(1_000_000);
        service.setDiskSpace(new DiskSpace.FileSystem(free::get, 600_000));
        try {
            Fields body = Fields.builder().put("size", 500_000L).put("sha256", "ab".repeat(32)).put("name", "scan.pdf").build();
            Message m = server.call(alice, Op.UPLOAD_BEGIN, server.key(), body);
            assertThat(code(m)).isEqualTo(ErrorCode.DISK_FULL);
            assertThat(((Message.Error) m).message()).contains("1000000 bytes free").contains("needs 500000").contains("600000");
            assertThat(ErrorCode.DISK_FULL.retryable()).as("clients do not retry it for their whole timeout").isFalse();
            Fields held = ok(server.call(alice, Op.UPLOAD_BEGIN, server.key(), Fields.builder().put("size", (long) DOCUMENT.length).put("sha256", documentSha).build()));
            assertThat(held.bool("complete", false)).as("bytes the server holds for alice need no room").isTrue();
            free.set(1_200_000);
            ok(server.call(alice, Op.UPLOAD_BEGIN, server.key(), body));
        } finally {
            service.setDiskSpace(DiskSpace.UNCHECKED);
        }
    }

    @Test
    void aStoppingServerAnswersNewSubmissionsAndUploadsBusyAndStillAnswersQuestions() throws Exception {
        CpiService stopping = new CpiService(server.db(), service.spool(), clock, "test", "0.1.0-test", new byte[32], 1 << 20);
        stopping.stopTakingWork();
        Message submit = stopping.handle(server.request(alice, Op.SUBMIT, server.key(), submitBody("+4930703")), ADDRESS);
        assertThat(code(submit)).isEqualTo(ErrorCode.BUSY);
        assertThat(((Message.Error) submit).message()).contains("shutting down");
        Message upload = stopping.handle(server.request(alice, Op.UPLOAD_BEGIN, server.key(),
                Fields.builder().put("size", 10L).put("sha256", "cd".repeat(32)).build()), ADDRESS);
        assertThat(code(upload)).isEqualTo(ErrorCode.BUSY);
        ok(stopping.handle(server.request(alice, Op.JOB_LIST, null, Fields.EMPTY), ADDRESS));
    }

    private static ByteBuffer encode(Fields f) {
        return ByteBuffer.wrap(Cbor.encode(f.asMap()));
    }

    private long jobCount() throws Exception {
        return server.db().tx(Jobs::count);
    }

    private List<Long> jobIds(byte[] session) throws CpiException {
        List<Long> ids = new ArrayList<>();
        for (Fields j : ok(server.call(session, Op.JOB_LIST, null, Fields.builder().put("all", true).build())).maps("jobs")) ids.add(j.integer("id"));
        return ids;
    }

    private String jobState(byte[] session, long job) throws CpiException {
        return ok(server.call(session, Op.JOB_GET, null, Fields.builder().put("job", job).build())).map("job").string("state");
    }

}
