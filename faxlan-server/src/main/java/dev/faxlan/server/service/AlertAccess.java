package dev.faxlan.server.service;

import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Message;
import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.cbor.Cbor;
import dev.faxlan.protocol.cbor.CborException;
import dev.faxlan.server.routing.InboundRouter;
import dev.faxlan.server.routing.MailboxAccess;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.Events;
import dev.faxlan.server.storage.ReceivedFaxes;
import dev.faxlan.server.storage.Sessions;
import dev.faxlan.server.storage.Users;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;

/**
 * What an alert subscription may still receive: it lives only while the session that made it does,
 * and each event is checked at push time against what its user may see then (a user removed from a
 * mailbox no longer learns of its faxes, even those already in their event log).
 */
public final class AlertAccess {
    public static final String WITHDRAWN = dev.faxlan.protocol.message.AlertMessage.WITHDRAWN;

    private final Database db;
    private final Clock clock;

    public AlertAccess(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Whether session {@code sessionHash} is live and still belongs to {@code userId}. */
    public boolean sessionLive(byte[] sessionHash, long userId) throws Exception {
        long now = clock.millis();
        return db.tx(c -> {
            var owner = Sessions.userOf(c, sessionHash, now);
            return owner.isPresent() && owner.getAsLong() == userId && Users.byId(c, userId).isPresent();
        });
    }

    /** The event as its user may see it now: itself, or a {@link #WITHDRAWN} event with an empty body. */
    public Message.Event visible(Events.StoredEvent e) throws Exception {
        Message.Event m = toMessage(e);
        boolean may = db.tx(c -> maySee(c, e.userId(), e.type(), m.body()));
        return may ? m : new Message.Event(e.seq(), WITHDRAWN, e.time(), Fields.EMPTY);
    }

    private static boolean maySee(Connection c, long userId, String type, Fields body) throws SQLException {
        Optional<Users.User> user = Users.byId(c, userId);
        if (user.isEmpty()) return false;
        if (!type.equals(InboundRouter.EVENT_TYPE)) return true; // job events are in their owner's log only
        // Where the fax is now (it may have moved); a deleted fax is judged by the mailbox it came to.
        long faxId;
        String cameTo;
        try {
            faxId = body.integer("fax");
            cameTo = body.string("mailbox", null);
        } catch (CpiException e) {
            throw new IllegalStateException("a stored fax event is corrupt: " + e.getMessage(), e);
        }
        Optional<ReceivedFaxes.Fax> fax = ReceivedFaxes.byId(c, faxId);
        String mailbox = fax.isPresent() ? fax.get().mailbox() : cameTo;
        return MailboxAccess.canSee(c, userId, user.get().isAdmin(), mailbox);
    }

    /** A stored event as the alert stream carries it. */
    public static Message.Event toMessage(Events.StoredEvent e) {
        try {
            return new Message.Event(e.seq(), e.type(), e.time(), Fields.of(Cbor.decode(e.body()), "event body"));
        } catch (CborException | CpiException ex) {
            throw new IllegalStateException("stored event " + e.seq() + " is corrupt", ex);
        }
    }
}
