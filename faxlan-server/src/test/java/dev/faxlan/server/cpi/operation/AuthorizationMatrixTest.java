package dev.faxlan.server.cpi.operation;

import static dev.faxlan.server.cpi.operation.ServiceFixture.code;
import static dev.faxlan.server.cpi.operation.ServiceFixture.ok;
import static dev.faxlan.server.cpi.operation.ServiceFixture.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.server.service.Caller;
import dev.faxlan.documents.cover.CoverTemplates;
import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Message;
import dev.faxlan.protocol.Op;
import dev.faxlan.server.MutableClock;
import dev.faxlan.server.storage.Events;
import dev.faxlan.server.storage.ReceivedFaxes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may do what to whose things: every CPI operation, applied by the owner of a thing (a user), by
 * another user, by an administrator and by a gateway account, must be allowed or refused exactly as
 * docs/protocol.md §4.4 says; a gateway account is refused wherever another user is. For mutating operations, idempotency keys are replayed across users (another user's key is
 * another request, refused on its own merits) and across operations and bodies (refused as reused).
 * An operation without a row fails the test, so new operations must state their permissions here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixTest {
    enum Actor { OWNER, OTHER, ADMIN, GATEWAY }

    /** What an actor's attempt must give: success (and, for listings, whether the owner's thing is in it) or an error code. */
    record Expect(ErrorCode refused, Boolean sees) {
        static Expect ok() {
            return new Expect(null, null);
        }

        static Expect sees(boolean sees) {
            return new Expect(null, sees);
        }

        static Expect refused(ErrorCode code) {
            return new Expect(code, null);
        }

        boolean allowed() {
            return refused == null;
        }
    }

    /** A fresh thing of the owner's for one attempt, and the owner's session (usually alice's). */
    record Target(Object id, byte[] ownerSession) {}

    interface Prepare {
        Target make() throws Exception;
    }

    interface Perform {
        Message run(byte[] session, Target target, byte[] key) throws Exception;
    }

    interface Sees {
        boolean in(Fields result, Target target) throws Exception;
    }

    record Row(String name, Op op, Map<Actor, Expect> expect, Prepare prepare, Perform perform, Sees sees) {}

    private final AtomicLong unique = new AtomicLong();
    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    @TempDir
    static Path dataDir;
    private ServiceFixture server;
    private CpiService service;
    private byte[] admin;
    private byte[] alice;
    private byte[] bob;
    private byte[] gateway;
    private final List<Row> rows = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        server = new ServiceFixture(dataDir, clock);
        service = server.service();
        service.bootstrapAdmin("admin-password-1");
        service.ensurePersonalMailboxes();
        admin = server.login("admin", "admin-password-1");
        ok(server.call(admin, Op.USER_ADD, server.key(), Fields.builder().put("user", "alice").put("password", "alice-password-1").build()));
        ok(server.call(admin, Op.USER_ADD, server.key(), Fields.builder().put("user", "bob").put("password", "bob-password-1").build()));
        alice = server.login("alice", "alice-password-1");
        bob = server.login("bob", "bob-password-1");
        ok(server.call(admin, Op.USER_ADD, server.key(), Fields.builder().put("user", "mailgw").put("password", "mailgw-password-1")
                .put("role", "gateway").build()));
        gateway = server.login("mailgw", "mailgw-password-1");
        defineRows();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    // ---------------------------------------------------------------- the matrix

    private void defineRows() {
        Map<Actor, Expect> allOk = expect(Expect.ok(), Expect.ok(), Expect.ok());
        Map<Actor, Expect> ownerAndAdmin = expect(Expect.ok(), Expect.refused(ErrorCode.NOT_FOUND), Expect.ok());
        Map<Actor, Expect> ownerOnly = expect(Expect.ok(), Expect.refused(ErrorCode.NOT_FOUND), Expect.refused(ErrorCode.NOT_FOUND));
        Map<Actor, Expect> adminOnly = expect(Expect.refused(ErrorCode.PERMISSION_DENIED), Expect.refused(ErrorCode.PERMISSION_DENIED), Expect.ok());
        Map<Actor, Expect> listedForOwnerAndAdmin = expect(Expect.sees(true), Expect.sees(false), Expect.sees(true));
        Map<Actor, Expect> listedForOwnerOnly = expect(Expect.sees(true), Expect.sees(false), Expect.sees(false));

        row(Op.INFO, allOk, this::nothing, (s, t, k) -> server.call(null, Op.INFO, null, Fields.EMPTY), null);
        // Logging in as the owner works with the owner's password only.
        row(Op.LOGIN, expect(Expect.ok(), Expect.refused(ErrorCode.AUTH_FAILED), Expect.refused(ErrorCode.AUTH_FAILED)), this::nothing,
                (s, t, k) -> server.call(null, Op.LOGIN, null, Fields.builder().put("user", "alice").put("password", passwordOf(s)).build()), null);
        // Logging out ends one's own session only: the owner's stays valid.
        row(Op.LOGOUT, allOk, this::nothing, (s, t, k) -> {
            if (s == null) return server.call(null, Op.LOGOUT, null, Fields.EMPTY);
            byte[] fresh = server.login(nameOf(s), passwordOf(s));
            Message m = server.call(fresh, Op.LOGOUT, null, Fields.EMPTY);
            assertThat(server.call(fresh, Op.JOB_LIST, null, Fields.EMPTY)).isInstanceOf(Message.Error.class);
            ok(server.call(alice, Op.JOB_LIST, null, Fields.EMPTY));
            return m;
        }, null);

        // Uploads are private to their uploader, administrators included; announcing someone's hash asks for the bytes.
        row(Op.UPLOAD_BEGIN, expect(Expect.sees(true), Expect.sees(false), Expect.sees(false)), this::aliceDocument,
                (s, t, k) -> server.call(s, Op.UPLOAD_BEGIN, k, Fields.builder().put("size", (long) bytesOf(t).length).put("sha256", sha256(bytesOf(t))).build()),
                (r, t) -> r.bool("complete", false));
        row(Op.UPLOAD_DATA, ownerOnly, this::aliceUpload, (s, t, k) -> direct(() -> {
            service.ownUpload(server.caller(s), (String) t.id());
            return Fields.EMPTY;
        }), null);
        row(Op.UPLOAD_STATUS, ownerOnly, this::aliceUpload, (s, t, k) -> server.call(s, Op.UPLOAD_STATUS, null, Fields.builder().put("upload", t.id()).build()), null);

        Map<Actor, Expect> submitOwn = expect(Expect.ok(), Expect.refused(ErrorCode.DOCUMENT_UNKNOWN), Expect.refused(ErrorCode.DOCUMENT_UNKNOWN));
        row(Op.SUBMIT, submitOwn, this::aliceDocument, (s, t, k) -> server.call(s, Op.SUBMIT, k,
                Fields.builder().put("to", List.of("+4930999")).put("documents", List.of(sha256(bytesOf(t)))).build()), null);
        // Jobs for alice, submitted by another account with its own document: administrators and gateway accounts only.
        row("submit with owner", Op.SUBMIT, expect(Expect.sees(true), Expect.refused(ErrorCode.PERMISSION_DENIED), Expect.sees(true), Expect.sees(true)),
                this::everyonesDocument, (s, t, k) -> server.call(s, Op.SUBMIT, k, Fields.builder().put("to", List.of("+4930998"))
                        .put("documents", List.of(sha256(bytesOf(t)))).put("owner", "alice").build()),
                (r, t) -> r.maps("jobs").stream().allMatch(j -> owner(j).equals("alice")));
        row(Op.JOB_LIST, listedForOwnerAndAdmin, this::aliceJob, (s, t, k) -> server.call(s, Op.JOB_LIST, null, Fields.builder().put("all", true).build()),
                (r, t) -> r.maps("jobs").stream().anyMatch(j -> id(j) == (long) t.id()));
        row(Op.JOB_GET, ownerAndAdmin, this::aliceJob, (s, t, k) -> server.call(s, Op.JOB_GET, null, Fields.builder().put("job", t.id()).build()), null);
        // Page 1 of a job as a picture: whoever sees the job; the document itself never leaves the server.
        row(Op.JOB_THUMBNAIL, ownerAndAdmin, this::aliceJob, (s, t, k) -> server.call(s, Op.JOB_THUMBNAIL, null,
                Fields.builder().put("job", t.id()).put("width", 64L).build()), null);
        row(Op.JOB_CANCEL, ownerAndAdmin, this::aliceJob, (s, t, k) -> server.call(s, Op.JOB_CANCEL, k, Fields.builder().put("job", t.id()).build()), null);

        row(Op.USER_ADD, adminOnly, this::fresh, (s, t, k) -> server.call(s, Op.USER_ADD, k,
                Fields.builder().put("user", "new" + t.id()).put("password", "new-password-1").build()), null);
        row(Op.USER_LIST, adminOnly, this::nothing, (s, t, k) -> server.call(s, Op.USER_LIST, null, Fields.EMPTY), null);
        // The target is an account of its own: its owner may change its password (giving the current one), an administrator any.
        row(Op.USER_PASSWD, expect(Expect.ok(), Expect.refused(ErrorCode.PERMISSION_DENIED), Expect.ok()), this::freshAccount,
                (s, t, k) -> server.call(s, Op.USER_PASSWD, k, Fields.builder().put("user", t.id()).put("password", "changed-password-" + t.id())
                        .put("current", "fresh-password-1").build()), null);
        row(Op.USER_REMOVE, expect(Expect.refused(ErrorCode.PERMISSION_DENIED), Expect.refused(ErrorCode.PERMISSION_DENIED), Expect.ok()),
                this::freshAccountOfAnother, (s, t, k) -> server.call(s, Op.USER_REMOVE, k, Fields.builder().put("user", t.id()).build()), null);

        // A key logs in as its own user, whoever made it: each actor's own key gives each their own session.
        row("login with a key", Op.LOGIN, allOk, this::nothing, (s, t, k) -> {
            String key = ok(server.call(s, Op.APIKEY_CREATE, server.key(), Fields.builder().put("label", "login " + unique.incrementAndGet()).build())).string("key");
            Message m = server.call(null, Op.LOGIN, null, Fields.builder().put("key", key).build());
            assertThat(ok(m).string("user")).isEqualTo(nameOf(s));
            return m;
        }, null);
        // API keys are their user's; an administrator makes, lists (with all) and revokes anyone's.
        row(Op.APIKEY_CREATE, allOk, this::fresh, (s, t, k) -> server.call(s, Op.APIKEY_CREATE, k, Fields.builder().put("label", "key " + t.id()).build()), null);
        row("apikey.create for the owner", Op.APIKEY_CREATE, expect(Expect.ok(), Expect.refused(ErrorCode.PERMISSION_DENIED), Expect.ok()), this::fresh,
                (s, t, k) -> server.call(s, Op.APIKEY_CREATE, k, Fields.builder().put("label", "key " + t.id()).put("user", "alice").build()), null);
        row(Op.APIKEY_LIST, listedForOwnerOnly, this::aliceKey, (s, t, k) -> server.call(s, Op.APIKEY_LIST, null, Fields.EMPTY),
                (r, t) -> r.maps("keys").stream().anyMatch(c -> id(c) == (long) t.id()));
        row("apikey.list all", Op.APIKEY_LIST, expect(Expect.refused(ErrorCode.PERMISSION_DENIED), Expect.refused(ErrorCode.PERMISSION_DENIED), Expect.sees(true)),
                this::aliceKey, (s, t, k) -> server.call(s, Op.APIKEY_LIST, null, Fields.builder().put("all", true).build()),
                (r, t) -> r.maps("keys").stream().anyMatch(c -> id(c) == (long) t.id()));
        row(Op.APIKEY_REVOKE, ownerAndAdmin, this::aliceKey, (s, t, k) -> server.call(s, Op.APIKEY_REVOKE, k, Fields.builder().put("id", t.id()).build()), null);

        // An alert subscription reads the caller's own event log: alice's job events are hers alone.
        row(Op.ALERT_SUBSCRIBE, listedForOwnerOnly, this::aliceJob, (s, t, k) -> direct(() -> {
            Caller c = server.caller(s);
            long from = service.subscriptionStart(c, Fields.builder().put("from", 0L).build());
            List<Object> jobs = new ArrayList<>();
            for (Events.StoredEvent e : service.eventsAfter(c.userId(), from, 100_000)) {
                Message.Event ev = CpiService.toMessage(e);
                if (ev.type().equals("job")) jobs.add(ev.body().integer("job"));
            }
            return Fields.builder().put("jobs", jobs).build();
        }), (r, t) -> ((List<?>) r.asMap().get("jobs")).contains(t.id()));

        row(Op.INBOX_LIST, listedForOwnerAndAdmin, this::aliceFax, (s, t, k) -> server.call(s, Op.INBOX_LIST, null, Fields.EMPTY),
                (r, t) -> r.maps("faxes").stream().anyMatch(f -> id(f) == (long) t.id()));
        row(Op.INBOX_GET, ownerAndAdmin, this::aliceFax, (s, t, k) -> server.call(s, Op.INBOX_GET, null, Fields.builder().put("fax", t.id()).build()), null);
        row(Op.INBOX_FETCH, ownerAndAdmin, this::aliceFax, (s, t, k) -> direct(() -> service.openFetch(server.caller(s), Fields.builder().put("fax", t.id()).build()).header()), null);
        row(Op.INBOX_TEXT, ownerAndAdmin, this::aliceFax, (s, t, k) -> server.call(s, Op.INBOX_TEXT, null,
                Fields.builder().put("fax", t.id()).put("page", 1L).build()), null);
        row(Op.INBOX_MARK, ownerAndAdmin, this::aliceFax, (s, t, k) -> server.call(s, Op.INBOX_MARK, k, Fields.builder().put("fax", t.id()).build()), null);
        // Into the owner's own mailbox, which the owner and an administrator see; another user does not see the fax.
        row(Op.INBOX_MOVE, ownerAndAdmin, this::aliceFax, (s, t, k) -> server.call(s, Op.INBOX_MOVE, k,
                Fields.builder().put("fax", t.id()).put("mailbox", "alice").build()), null);
        row(Op.INBOX_DELETE, ownerAndAdmin, this::aliceFax, (s, t, k) -> server.call(s, Op.INBOX_DELETE, k, Fields.builder().put("fax", t.id()).build()), null);

        row(Op.ROUTE_LIST, adminOnly, this::nothing, (s, t, k) -> server.call(s, Op.ROUTE_LIST, null, Fields.EMPTY), null);
        row(Op.ROUTE_ADD, adminOnly, this::fresh, (s, t, k) -> server.call(s, Op.ROUTE_ADD, k,
                Fields.builder().put("did", "+49" + t.id()).put("mailbox", "alice").build()), null);
        row(Op.ROUTE_REMOVE, adminOnly, this::route, (s, t, k) -> server.call(s, Op.ROUTE_REMOVE, k, Fields.builder().put("route", t.id()).build()), null);
        row(Op.ROUTE_TEST, adminOnly, this::nothing, (s, t, k) -> server.call(s, Op.ROUTE_TEST, null, Fields.builder().put("did", "+4930").build()), null);

        // Personal contacts and cover pages are private, administrators included; shared ones are the administrators' to write.
        row(Op.PHONEBOOK_LIST, listedForOwnerOnly, this::aliceContact, (s, t, k) -> server.call(s, Op.PHONEBOOK_LIST, null, Fields.EMPTY),
                (r, t) -> r.maps("contacts").stream().anyMatch(c -> id(c) == (long) t.id()));
        row(Op.PHONEBOOK_ADD, adminOnly, this::fresh, (s, t, k) -> server.call(s, Op.PHONEBOOK_ADD, k,
                Fields.builder().put("name", "Shared " + t.id()).put("fax", "+4930123").put("shared", true).build()), null);
        row(Op.PHONEBOOK_REMOVE, ownerOnly, this::aliceContact, (s, t, k) -> server.call(s, Op.PHONEBOOK_REMOVE, k, Fields.builder().put("contact", t.id()).build()), null);
        row(Op.COVER_LIST, listedForOwnerOnly, this::aliceCover, (s, t, k) -> server.call(s, Op.COVER_LIST, null, Fields.EMPTY),
                (r, t) -> r.maps("covers").stream().anyMatch(c -> name(c).equals(t.id())));
        row(Op.COVER_GET, ownerOnly, this::aliceCover, (s, t, k) -> server.call(s, Op.COVER_GET, null, Fields.builder().put("name", t.id()).build()), null);
        row(Op.COVER_PUT, adminOnly, this::fresh, (s, t, k) -> server.call(s, Op.COVER_PUT, k, Fields.builder().put("name", "shared" + t.id())
                .put("source", CoverTemplates.builtInSource("classic")).put("shared", true).build()), null);

        row(Op.MAILBOX_LIST, listedForOwnerAndAdmin, this::sharedMailboxWithAlice, (s, t, k) -> server.call(s, Op.MAILBOX_LIST, null, Fields.EMPTY),
                (r, t) -> r.maps("mailboxes").stream().anyMatch(m -> name(m).equals(t.id())));
        row(Op.MAILBOX_ADD, adminOnly, this::fresh, (s, t, k) -> server.call(s, Op.MAILBOX_ADD, k, Fields.builder().put("mailbox", "Team" + t.id()).build()), null);
        row(Op.MAILBOX_REMOVE, adminOnly, this::sharedMailboxWithAlice, (s, t, k) -> server.call(s, Op.MAILBOX_REMOVE, k, Fields.builder().put("mailbox", t.id()).build()), null);
        row(Op.MAILBOX_MEMBER_ADD, adminOnly, this::sharedMailboxWithAlice, (s, t, k) -> server.call(s, Op.MAILBOX_MEMBER_ADD, k,
                Fields.builder().put("mailbox", t.id()).put("user", "bob").build()), null);
        row(Op.MAILBOX_MEMBER_REMOVE, adminOnly, this::sharedMailboxWithAlice, (s, t, k) -> server.call(s, Op.MAILBOX_MEMBER_REMOVE, k,
                Fields.builder().put("mailbox", t.id()).put("user", "alice").build()), null);
        // Lines tell about the telephone account: administrators only.
        row(Op.LINE_LIST, adminOnly, this::nothing, (s, t, k) -> server.call(s, Op.LINE_LIST, null, Fields.EMPTY), null);
    }

    @Test
    void everyOperationHasARow() {
        List<Op> covered = rows.stream().map(Row::op).distinct().toList();
        assertThat(covered).as("operations without a row in the authorisation matrix").containsExactlyInAnyOrder(Op.values());
    }

    @TestFactory
    Stream<DynamicTest> eachActorIsAllowedOrRefusedAsSpecified() {
        return rows.stream().map(row -> DynamicTest.dynamicTest(row.name(), () -> {
            for (Actor actor : Actor.values()) {
                Target target = row.prepare().make();
                Message m = row.perform().run(session(actor, target), target, row.op().mutating() ? server.key() : null);
                check(row, actor, target, m);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyOperationButInfoAndLoginNeedsASession() {
        return rows.stream().filter(r -> r.op().needsSession()).map(row -> DynamicTest.dynamicTest(row.name(), () -> {
            Target target = row.prepare().make();
            Message m = row.perform().run(null, target, row.op().mutating() ? server.key() : null);
            assertThat(m).isInstanceOfSatisfying(Message.Error.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SESSION_EXPIRED));
        }));
    }

    /**
     * Replays: the key of an allowed request, sent by an actor who is refused, is that actor's own new
     * request and refused on its merits; the allowed actor's true retry answers the first result; the
     * same key for another body or another operation is {@code IDEMPOTENCY_KEY_REUSED}, with no effect.
     */
    @TestFactory
    Stream<DynamicTest> idempotencyKeysGiveNoOneElsesAnswer() {
        return rows.stream().filter(r -> r.op().mutating()).map(row -> DynamicTest.dynamicTest(row.name(), () -> {
            // An administrator's key where one may act: an owner changing their own password ends their own sessions.
            Actor allowed = Stream.of(Actor.ADMIN, Actor.OWNER).filter(a -> row.expect().get(a).allowed()).findFirst().orElseThrow();
            for (Actor refused : Actor.values()) {
                if (row.expect().get(refused).allowed()) continue;
                Target target = row.prepare().make();
                byte[] k = server.key();
                Fields first = ok(row.perform().run(session(allowed, target), target, k));
                check(row, refused, target, row.perform().run(session(refused, target), target, k));
                assertThat(ok(row.perform().run(session(allowed, target), target, k)).asMap()).as("a true retry").isEqualTo(replayed(row.op(), first));
            }
            Target target = row.prepare().make();
            byte[] k = server.key();
            ok(row.perform().run(session(allowed, target), target, k));
            Target another = row.prepare().make();
            assertThat(code(row.perform().run(session(allowed, another), another, k))).as("same key, another body")
                    .isEqualTo(ErrorCode.IDEMPOTENCY_KEY_REUSED);
            Op otherOp = row.op() == Op.INBOX_MARK ? Op.JOB_CANCEL : Op.INBOX_MARK;
            assertThat(code(server.call(session(allowed, target), otherOp, k, Fields.builder().put("fax", 1L).put("job", 1L).build())))
                    .as("same key, another operation").isEqualTo(ErrorCode.IDEMPOTENCY_KEY_REUSED);
        }));
    }

    /** What a replay answers: the first answer, less what the server never stores (a new API key's secret). */
    private static Map<String, Object> replayed(Op op, Fields first) {
        Map<String, Object> m = new java.util.LinkedHashMap<>(first.asMap());
        if (op == Op.APIKEY_CREATE) assertThat(m.remove("key")).as("the first answer's key").isNotNull();
        return m;
    }

    private void check(Row row, Actor actor, Target target, Message m) throws Exception {
        Expect want = row.expect().get(actor);
        String what = row.name() + " by " + actor;
        if (!want.allowed()) {
            assertThat(m).as(what).isInstanceOfSatisfying(Message.Error.class, e -> assertThat(e.code()).as(what + ": " + e.message()).isEqualTo(want.refused()));
            return;
        }
        assertThat(m).as(what).isInstanceOf(Message.Ok.class);
        if (want.sees() != null) assertThat(row.sees().in(((Message.Ok) m).body(), target)).as(what + " sees the owner's").isEqualTo(want.sees());
    }

    // ---------------------------------------------------------------- things of the owner's

    private Target nothing() {
        return new Target(null, alice);
    }

    /** A new number for a thing the operation itself creates, so a retry repeats the same body. */
    private Target fresh() {
        return new Target(unique.incrementAndGet(), alice);
    }

    private Target aliceDocument() throws Exception {
        byte[] content = ("alice's document " + unique.incrementAndGet()).getBytes(StandardCharsets.US_ASCII);
        server.upload(alice, content);
        return new Target(content, alice);
    }

    /** The same bytes uploaded by alice, bob, the administrator and the gateway account, each their own upload. */
    private Target everyonesDocument() throws Exception {
        byte[] content = ("everyone's document " + unique.incrementAndGet()).getBytes(StandardCharsets.US_ASCII);
        for (byte[] session : List.of(alice, bob, admin, gateway)) server.upload(session, content);
        return new Target(content, alice);
    }

    private Target aliceUpload() throws Exception {
        byte[] content = ("alice's unfinished upload " + unique.incrementAndGet()).getBytes(StandardCharsets.US_ASCII);
        Fields begun = ok(server.call(alice, Op.UPLOAD_BEGIN, server.key(), Fields.builder().put("size", (long) content.length).put("sha256", sha256(content)).build()));
        return new Target(begun.string("upload"), alice);
    }

    private Target aliceJob() throws Exception {
        byte[] doc = (byte[]) aliceDocument().id();
        Fields f = ok(server.call(alice, Op.SUBMIT, server.key(), Fields.builder().put("to", List.of("+4930" + unique.incrementAndGet())).put("documents", List.of(sha256(doc))).build()));
        return new Target(id(f.maps("jobs").get(0)), alice);
    }

    private Target aliceFax() throws Exception {
        byte[] doc = (byte[]) aliceDocument().id();
        String sha = sha256(doc);
        long id = server.db().tx(c -> ReceivedFaxes.insert(c, new ReceivedFaxes.NewFax(clock.millis(), "loopback", "555", "100", "REMOTE", "", "", 1, 0,
                1000, "OK", sha, doc.length, "alice")));
        return new Target(id, alice);
    }

    private Target aliceContact() throws Exception {
        Fields f = ok(server.call(alice, Op.PHONEBOOK_ADD, server.key(), Fields.builder().put("name", "Alice Friend " + unique.incrementAndGet()).put("fax", "+4930555").build()));
        return new Target(id(f.map("contact")), alice);
    }

    private Target aliceCover() throws Exception {
        String name = "alicecover" + unique.incrementAndGet();
        ok(server.call(alice, Op.COVER_PUT, server.key(), Fields.builder().put("name", name).put("source", CoverTemplates.builtInSource("classic")).build()));
        return new Target(name, alice);
    }

    private Target route() throws Exception {
        Fields f = ok(server.call(admin, Op.ROUTE_ADD, server.key(), Fields.builder().put("did", "+31" + unique.incrementAndGet()).put("mailbox", "alice").build()));
        return new Target(id(f.map("route")), alice);
    }

    private Target sharedMailboxWithAlice() throws Exception {
        String name = "Legal" + unique.incrementAndGet();
        ok(server.call(admin, Op.MAILBOX_ADD, server.key(), Fields.builder().put("mailbox", name).build()));
        ok(server.call(admin, Op.MAILBOX_MEMBER_ADD, server.key(), Fields.builder().put("mailbox", name).put("user", "alice").build()));
        return new Target(name, alice);
    }

    private Target aliceKey() throws Exception {
        Fields f = ok(server.call(alice, Op.APIKEY_CREATE, server.key(), Fields.builder().put("label", "alice key " + unique.incrementAndGet()).build()));
        return new Target(id(f), alice);
    }

    /** An account of its own with a session of its own, for operations that change or remove accounts. */
    private Target freshAccount() throws Exception {
        String name = "fresh" + unique.incrementAndGet();
        ok(server.call(admin, Op.USER_ADD, server.key(), Fields.builder().put("user", name).put("password", "fresh-password-1").build()));
        return new Target(name, server.login(name, "fresh-password-1"));
    }

    /** An account for a plain user (alice, as the owner actor) to try to remove. */
    private Target freshAccountOfAnother() throws Exception {
        return new Target(freshAccount().id(), alice);
    }

    // ---------------------------------------------------------------- plumbing

    private void row(Op op, Map<Actor, Expect> expect, Prepare prepare, Perform perform, Sees sees) {
        row(op.wire(), op, expect, prepare, perform, sees);
    }

    private void row(String name, Op op, Map<Actor, Expect> expect, Prepare prepare, Perform perform, Sees sees) {
        rows.add(new Row(name, op, expect, prepare, perform, sees));
    }

    /** A gateway account is refused wherever another user is, and sees what another user sees. */
    private static Map<Actor, Expect> expect(Expect owner, Expect other, Expect admin) {
        return expect(owner, other, admin, other);
    }

    private static Map<Actor, Expect> expect(Expect owner, Expect other, Expect admin, Expect gateway) {
        Map<Actor, Expect> m = new EnumMap<>(Actor.class);
        m.put(Actor.OWNER, owner);
        m.put(Actor.OTHER, other);
        m.put(Actor.ADMIN, admin);
        m.put(Actor.GATEWAY, gateway);
        return m;
    }

    private byte[] session(Actor actor, Target target) {
        return switch (actor) {
            case OWNER -> target.ownerSession();
            case OTHER -> bob;
            case ADMIN -> admin;
            case GATEWAY -> gateway;
        };
    }

    private String nameOf(byte[] session) {
        return session == admin ? "admin" : session == bob ? "bob" : session == gateway ? "mailgw" : "alice";
    }

    private String passwordOf(byte[] session) {
        return nameOf(session) + "-password-1";
    }

    interface Direct {
        Fields run() throws Exception;
    }

    /** An operation the stream layer executes through the service directly (upload.data, inbox.fetch, alert.subscribe), as a message. */
    private Message direct(Direct d) throws Exception {
        try {
            return new Message.Ok(server.nextRequestId(), d.run());
        } catch (CpiException e) {
            return new Message.Error(server.nextRequestId(), e.code(), e.getMessage());
        }
    }

    private static byte[] bytesOf(Target t) {
        return (byte[]) t.id();
    }

    private static long id(Fields f) {
        try {
            return f.integer("id");
        } catch (CpiException e) {
            throw new AssertionError(e);
        }
    }

    private static String owner(Fields f) {
        try {
            return f.string("owner");
        } catch (CpiException e) {
            throw new AssertionError(e);
        }
    }

    private static String name(Fields f) {
        try {
            return f.string("name");
        } catch (CpiException e) {
            throw new AssertionError(e);
        }
    }
}
