package dev.faxlan.server.cpi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Message;
import dev.faxlan.protocol.cbor.Cbor;
import dev.faxlan.server.MutableClock;
import dev.faxlan.server.routing.InboundRouter;
import dev.faxlan.server.storage.ConnectionBorrows;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.Events;
import dev.faxlan.server.storage.Mailboxes;
import dev.faxlan.server.storage.ReceivedFaxes;
import dev.faxlan.server.storage.Sessions;
import dev.faxlan.server.storage.Users;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What one wake-up of an alert subscription may push, and what it costs the database. */
class AlertAccessTest {
    static final byte[] SESSION = Sessions.tokenHash("alice's session token".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock();
    Database db;
    AlertAccess access;
    long alice;
    long sales;

    @BeforeEach
    void open() throws Exception {
        db = Database.embedded(dir);
        access = new AlertAccess(db, clock);
        long now = clock.millis();
        db.tx(c -> {
            alice = Users.insert(c, "alice", "user", "h", now);
            Sessions.insert(c, SESSION, alice, now, now + Duration.ofHours(1).toMillis());
            sales = Mailboxes.insert(c, "sales", null, now);
            Mailboxes.addMember(c, sales, alice);
            for (int i = 0; i < 10; i++) {
                if (i % 2 == 0) Events.append(c, alice, "job", Cbor.encode(Fields.builder().put("job", i).build().asMap()), now);
                else appendFaxEvent(c, "sales", now);
            }
            return null;
        });
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aWakeUpChecksTheSessionAndReadsAllItsEventsInOneTransaction() throws Exception {
        AtomicLong transactions = ConnectionBorrows.count(db);

        Optional<List<Message.Event>> events = access.pushable(SESSION, alice, 0, 32);

        assertThat(events).hasValueSatisfying(list -> assertThat(list).extracting(Message.Event::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L));
        assertThat(transactions.get()).as("transactions for one wake-up pushing 10 events").isEqualTo(1);
    }

    @Test
    void aWakeUpReadsOnlyAfterTheCursorAndUpToItsRoom() throws Exception {
        assertThat(access.pushable(SESSION, alice, 4, 3)).hasValueSatisfying(list -> assertThat(list).extracting(Message.Event::seq).containsExactly(5L, 6L, 7L));
    }

    @Test
    void nothingIsPushedOnceTheSessionHasEnded() throws Exception {
        db.tx(c -> {
            Sessions.delete(c, SESSION);
            return null;
        });
        assertThat(access.pushable(SESSION, alice, 0, 32)).isEmpty();
        assertThat(access.sessionLive(SESSION, alice)).isFalse();
    }

    @Test
    void nothingIsPushedOnceTheSessionHasExpired() throws Exception {
        clock.advance(Duration.ofHours(2));
        assertThat(access.pushable(SESSION, alice, 0, 32)).isEmpty();
    }

    @Test
    void nothingIsPushedForAnotherUsersSessionOrARemovedUser() throws Exception {
        long bob = db.tx(c -> Users.insert(c, "bob", "user", "h", clock.millis()));
        assertThat(access.pushable(SESSION, bob, 0, 32)).as("alice's session, bob's log").isEmpty();

        db.tx(c -> Users.delete(c, alice));
        assertThat(access.pushable(SESSION, alice, 0, 32)).as("alice removed").isEmpty();
    }

    @Test
    void faxEventsOfAMailboxTheUserLeftAreWithdrawnAndJobEventsPass() throws Exception {
        db.tx(c -> Mailboxes.removeMember(c, sales, alice));

        List<Message.Event> events = access.pushable(SESSION, alice, 0, 32).orElseThrow();

        assertThat(events).hasSize(10);
        for (Message.Event e : events) {
            if (e.seq() % 2 == 1) {
                assertThat(e.type()).as("event %d", e.seq()).isEqualTo("job");
            } else {
                assertThat(e.type()).as("event %d", e.seq()).isEqualTo(AlertAccess.WITHDRAWN);
                assertThat(e.body().asMap()).isEmpty();
            }
        }
    }

    /** A fax received into {@code mailbox} and its event in alice's log, as routing writes them. */
    private Void appendFaxEvent(Connection c, String mailbox, long now) throws SQLException {
        long fax = ReceivedFaxes.insert(c, new ReceivedFaxes.NewFax(now, "loopback", "+12125550100", "+12125550199", "ACME",
                "", "", 0, 0, 1000, "no pages", null, 0, mailbox));
        Fields body = Fields.builder().put("fax", fax).put("mailbox", mailbox).build();
        Events.append(c, alice, InboundRouter.EVENT_TYPE, Cbor.encode(body.asMap()), now);
        return null;
    }
}
