package dev.faxlan.server.cpi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.protocol.CpiCodec;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Message;
import dev.faxlan.protocol.Op;
import dev.faxlan.protocol.cbor.Cbor;
import dev.faxlan.server.MutableClock;
import dev.faxlan.server.routing.InboundRouter;
import dev.faxlan.server.cpi.AlertAccess;
import dev.faxlan.server.storage.Events;
import dev.faxlan.server.storage.Mailboxes;
import dev.faxlan.server.storage.ReceivedFaxes;
import dev.faxlan.server.storage.Users;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An alert subscription ends with the session that made it: its connection is closed with SESSION_EXPIRED. */
class SubscriptionEndsWithSessionTest {
    static final String ALICE_PW = "alice-password-1";
    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock();
    CpiTestServer cpi;
    long nextId = 10;

    @BeforeEach
    void start() throws Exception {
        cpi = new CpiTestServer(dir, "session-alerts-test", CpiLimits.defaults(), clock);
    }

    @AfterEach
    void stop() {
        cpi.close();
    }

    @Test
    void logoutEndsTheSessionsSubscription() throws Exception {
        RawCpiClient subscriber = cpi.connect();
        byte[] session = session(CpiTestServer.login(subscriber));
        assertThat(subscribe(subscriber, session)).isInstanceOf(Message.Ok.class);

        // The logout comes on another connection, as from a second program holding the same token.
        assertThat(request(cpi.connect(), Op.LOGOUT, session, false, Fields.EMPTY)).isInstanceOf(Message.Ok.class);

        assertEndedWithSession(subscriber);
    }

    @Test
    void sessionExpiryEndsItsSubscription() throws Exception {
        RawCpiClient subscriber = cpi.connect();
        assertThat(subscribe(subscriber, session(CpiTestServer.login(subscriber)))).isInstanceOf(Message.Ok.class);

        clock.advance(Duration.ofHours(25));
        cpi.service.purge();

        assertEndedWithSession(subscriber);
    }

    @Test
    void aPasswordChangeByTheAdministratorEndsTheUsersSubscriptions() throws Exception {
        // A stolen session of alice's must not go on hearing of her faxes once her password is reset.
        assertAdministratorsRequestEndsAlicesSubscription(Op.USER_PASSWD, Fields.builder().put("user", "alice").put("password", "alice-password-2").build());
    }

    @Test
    void removingTheUserEndsTheirSubscriptions() throws Exception {
        assertAdministratorsRequestEndsAlicesSubscription(Op.USER_REMOVE, Fields.builder().put("user", "alice").build());
    }

    @Test
    void revokingAnApiKeyEndsTheSubscriptionsOfItsSessions() throws Exception {
        RawCpiClient admin = cpi.connect();
        byte[] adminSession = session(CpiTestServer.login(admin));
        Message made = request(admin, Op.APIKEY_CREATE, adminSession, true, Fields.builder().put("label", "alert desk").build());
        Fields key = ((Message.Ok) made).body();
        RawCpiClient program = cpi.connect();
        byte[] keySession = session(request(program, Op.LOGIN, null, false, Fields.builder().put("key", key.string("key")).build()));
        assertThat(subscribe(program, keySession)).isInstanceOf(Message.Ok.class);

        // The administrator's own password session, and its connection, are not the key's.
        assertThat(request(admin, Op.APIKEY_REVOKE, adminSession, true, Fields.builder().put("id", key.integer("id")).build())).isInstanceOf(Message.Ok.class);

        assertEndedWithSession(program);
        assertThat(request(admin, Op.JOB_LIST, adminSession, false, Fields.EMPTY)).isInstanceOf(Message.Ok.class);
    }

    @Test
    void anotherSessionsSubscriptionOutlivesALogout() throws Exception {
        RawCpiClient first = cpi.connect();
        assertThat(subscribe(first, session(CpiTestServer.login(first)))).isInstanceOf(Message.Ok.class);
        RawCpiClient second = cpi.connect();
        byte[] secondSession = session(CpiTestServer.login(second));
        assertThat(request(second, Op.LOGOUT, secondSession, false, Fields.EMPTY)).isInstanceOf(Message.Ok.class);

        // The first session is live: its subscription still delivers.
        long admin = userId("admin");
        long seq = appendFaxEvent(admin, faxIn(Mailboxes.UNADDRESSED));
        cpi.service.eventsAppended(admin);
        RawCpiClient.Pushed p = first.pushed.poll(30, TimeUnit.SECONDS);
        assertThat(p).isNotNull();
        assertThat(p.message()).isInstanceOfSatisfying(Message.Event.class, e -> {
            assertThat(e.seq()).isEqualTo(seq);
            assertThat(e.type()).isEqualTo(InboundRouter.EVENT_TYPE);
        });
        assertThat(first.closedByServer).isNotDone();
    }

    @Test
    void aUserRemovedFromAMailboxIsNotToldOfItsFaxesAlreadyInTheirLog() throws Exception {
        RawCpiClient admin = cpi.connect();
        byte[] adminSession = session(CpiTestServer.login(admin));
        addAlice(admin, adminSession);
        long alice = userId("alice");
        cpi.db.tx(c -> Mailboxes.addMember(c, Mailboxes.insert(c, "sales", null, clock.millis()), alice));
        RawCpiClient desk = cpi.connect();
        assertThat(subscribe(desk, session(loginAlice(desk)))).isInstanceOf(Message.Ok.class);

        long seen = appendFaxEvent(alice, faxIn("sales"));
        cpi.service.eventsAppended(alice);
        RawCpiClient.Pushed first = desk.pushed.poll(30, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(((Message.Event) first.message()).type()).as("a member is told").isEqualTo(InboundRouter.EVENT_TYPE);

        // The event was logged while alice was a member; it is pushed only after she was removed (the
        // first event's ack, which lets the next one out, comes after the removal too).
        long hidden = appendFaxEvent(alice, faxIn("sales"));
        assertThat(request(admin, Op.MAILBOX_MEMBER_REMOVE, adminSession, true, Fields.builder().put("mailbox", "sales").put("user", "alice").build()))
                .isInstanceOf(Message.Ok.class);
        first.ack();
        cpi.service.eventsAppended(alice);

        RawCpiClient.Pushed second = desk.pushed.poll(30, TimeUnit.SECONDS);
        assertThat(second).isNotNull();
        assertThat(second.message()).isInstanceOfSatisfying(Message.Event.class, e -> {
            assertThat(e.seq()).isEqualTo(hidden).isEqualTo(seen + 1);
            assertThat(e.type()).isEqualTo(AlertAccess.WITHDRAWN);
            assertThat(e.body().asMap()).isEmpty();
        });
    }

    private long userId(String name) throws Exception {
        return cpi.db.tx(c -> Users.byName(c, name).orElseThrow().id());
    }

    private long faxIn(String mailbox) throws Exception {
        return cpi.db.tx(c -> ReceivedFaxes.insert(c, new ReceivedFaxes.NewFax(clock.millis(), "loopback", "+12125550100", "+12125550199", "ACME",
                "", "", 0, 0, 1000, "no pages", null, 0, mailbox)));
    }

    /** Appends a fax's event to a user's log as routing does, without waking the subscriptions. */
    private long appendFaxEvent(long userId, long faxId) throws Exception {
        return cpi.db.tx(c -> {
            ReceivedFaxes.Fax fax = ReceivedFaxes.byId(c, faxId).orElseThrow();
            Fields body = Fields.builder().put("fax", fax.id()).put("mailbox", fax.mailbox()).build();
            return Events.append(c, userId, InboundRouter.EVENT_TYPE, Cbor.encode(body.asMap()), clock.millis());
        });
    }

    private static void assertEndedWithSession(RawCpiClient c) throws Exception {
        QuicConnectionCloseEvent closed = c.closedByServer.get(30, TimeUnit.SECONDS);
        assertThat(closed.isApplicationClose()).isTrue();
        assertThat(closed.error()).isEqualTo(ErrorCode.SESSION_EXPIRED.number());
        assertThat(RawCpiClient.reason(closed)).isEqualTo(AlertPusher.SESSION_ENDED);
    }

    /** Alice subscribes on her own connection; the administrator's {@code op} on her account, from another, must end it. */
    private void assertAdministratorsRequestEndsAlicesSubscription(Op op, Fields body) throws Exception {
        RawCpiClient admin = cpi.connect();
        byte[] adminSession = session(CpiTestServer.login(admin));
        addAlice(admin, adminSession);
        RawCpiClient alice = cpi.connect();
        assertThat(subscribe(alice, session(loginAlice(alice)))).isInstanceOf(Message.Ok.class);

        assertThat(request(admin, op, adminSession, true, body)).isInstanceOf(Message.Ok.class);

        assertEndedWithSession(alice);
    }

    private void addAlice(RawCpiClient admin, byte[] adminSession) throws Exception {
        assertThat(request(admin, Op.USER_ADD, adminSession, true, Fields.builder().put("user", "alice").put("password", ALICE_PW).build()))
                .isInstanceOf(Message.Ok.class);
    }

    private Message loginAlice(RawCpiClient c) throws Exception {
        return request(c, Op.LOGIN, null, false, Fields.builder().put("user", "alice").put("password", ALICE_PW).build());
    }

    private static byte[] session(Message login) throws Exception {
        return ((Message.Ok) login).body().bytes("session");
    }

    private Message subscribe(RawCpiClient c, byte[] session) throws Exception {
        return request(c, Op.ALERT_SUBSCRIBE, session, false, Fields.builder().put("subscriber", "desk").build());
    }

    private Message request(RawCpiClient c, Op op, byte[] session, boolean mutating, Fields body) throws Exception {
        byte[] key = null;
        if (mutating) {
            key = new byte[16];
            new SecureRandom().nextBytes(key);
        }
        RawCpiClient.Stream s = c.open();
        s.sendLast(CpiCodec.encode(new Message.Request(nextId++, op, session, key, body)));
        return s.awaitResponse();
    }
}
