package dev.faxlan.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.cbor.Cbor;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.Documents;
import dev.faxlan.server.storage.Events;
import dev.faxlan.server.storage.Mailboxes;
import dev.faxlan.server.storage.ReceivedFaxes;
import dev.faxlan.server.storage.Routes;
import dev.faxlan.server.storage.Users;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routing a stored fax sets its mailbox and appends a fax.received event for everyone who sees it. */
class InboundRouterTest {
    static final long NOW = 1_700_000_000_000L;
    @TempDir
    Path dir;
    Database db;
    List<Long> notified = new ArrayList<>();
    InboundRouter router;
    long admin;
    long alice;
    long bob;

    @BeforeEach
    void open() throws Exception {
        db = Database.embedded(dir);
        dev.faxlan.server.events.InProcessEventBus bus = new dev.faxlan.server.events.InProcessEventBus();
        bus.subscribe(m -> {
            if (m instanceof dev.faxlan.server.core.port.BusMessage.ForUser u) notified.add(u.userId());
        });
        router = new InboundRouter(db, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), bus);
        admin = db.tx(c -> Users.insert(c, "admin", "admin", "h", NOW));
        alice = db.tx(c -> Users.insert(c, "alice", "user", "h", NOW));
        bob = db.tx(c -> Users.insert(c, "bob", "user", "h", NOW));
        db.tx(c -> {
            Mailboxes.insert(c, "alice", alice, NOW);
            Mailboxes.insert(c, "bob", bob, NOW);
            Documents.insertIfAbsent(c, "a".repeat(64), 10, NOW);
            return null;
        });
    }

    @AfterEach
    void close() {
        db.close();
    }

    private ReceivedFaxes.Fax fax(String did) throws Exception {
        return db.tx(c -> {
            long id = ReceivedFaxes.insert(c, new ReceivedFaxes.NewFax(NOW, "loopback", "0000", did, "REMOTE", "", "", 1, 0, 1000, "OK",
                    "a".repeat(64), 10, null));
            return ReceivedFaxes.byId(c, id).orElseThrow();
        });
    }

    @Test
    void aMatchingRuleSendsTheFaxToItsMailboxAndTellsItsOwnerAndTheAdministrators() throws Exception {
        db.tx(c -> Routes.insert(c, 0, new Routes.Match("100", null, null, null, null), Mailboxes.byName(c, "alice").orElseThrow().id(), NOW));
        ReceivedFaxes.Fax f = fax("100");
        assertThat(router.route(f)).isEqualTo("alice");
        assertThat(db.tx((Connection c) -> ReceivedFaxes.byId(c, f.id())).orElseThrow().mailbox()).isEqualTo("alice");
        assertThat(notified).containsExactlyInAnyOrder(alice, admin);
        assertThat(db.tx((Connection c) -> Events.after(c, bob, 0, 10))).isEmpty();
        Events.StoredEvent e = db.tx((Connection c) -> Events.after(c, alice, 0, 10)).get(0);
        assertThat(e.type()).isEqualTo("fax.received");
        Fields body = Fields.of(Cbor.decode(e.body()), "event");
        assertThat(body.integer("fax")).isEqualTo(f.id());
        assertThat(body.string("mailbox")).isEqualTo("alice");
        assertThat(body.string("did")).isEqualTo("100");
        assertThat(body.string("csid")).isEqualTo("REMOTE");
        assertThat(body.integer("pages")).isEqualTo(1);
    }

    @Test
    void anUnmatchedFaxIsUnaddressedAndToldToAdministratorsAndMembers() throws Exception {
        db.tx(c -> Mailboxes.addMember(c, Mailboxes.byName(c, Mailboxes.UNADDRESSED).orElseThrow().id(), bob));
        ReceivedFaxes.Fax f = fax("999");
        assertThat(router.route(f)).isEqualTo("Unaddressed");
        assertThat(notified).containsExactlyInAnyOrder(admin, bob);
        assertThat(db.tx((Connection c) -> Events.after(c, alice, 0, 10))).isEmpty();
    }
}
