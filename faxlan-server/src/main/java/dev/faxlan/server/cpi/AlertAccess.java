package dev.faxlan.server.cpi;

import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Message;
import dev.faxlan.protocol.cbor.Cbor;
import dev.faxlan.protocol.cbor.CborException;
import dev.faxlan.protocol.message.AlertMessage;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What an alert subscription may still receive: it lives only while the session that made it does,
 * and each event is checked at push time against what its user may see then (a user removed from a
 * mailbox no longer learns of its faxes, even those already in their event log). A wake-up checks the
 * session once, in the transaction that reads its events, not once per event.
 */
public final class AlertAccess {
    public static final String WITHDRAWN = AlertMessage.WITHDRAWN;

    private final Database db;
    private final Clock clock;

    public AlertAccess(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Whether session {@code sessionHash} is live and still belongs to {@code userId}. */
    public boolean sessionLive(byte[] sessionHash, long userId) throws Exception {
        long now = clock.millis();
        return db.tx(c -> liveUser(c, sessionHash, userId, now).isPresent());
    }

    /**
     * What one wake-up of a subscription may push, read in one transaction however many events there
     * are: empty when the session has ended (nothing more may be pushed), else up to {@code limit} events
     * after {@code after}, each as its user may see it now.
     */
    public Optional<List<Message.Event>> pushable(byte[] sessionHash, long userId, long after, int limit) throws Exception {
        long now = clock.millis();
        return db.tx(c -> {
            Optional<Users.User> user = liveUser(c, sessionHash, userId, now);
            if (user.isEmpty()) return Optional.empty();
            List<Message.Event> events = new ArrayList<>();
            for (Events.StoredEvent e : Events.after(c, userId, after, limit)) events.add(visible(c, user.get(), e));
            return Optional.of(events);
        });
    }

    /** The session's user, if the session is live and still belongs to {@code userId}, who still exists. */
    private static Optional<Users.User> liveUser(Connection c, byte[] sessionHash, long userId, long now) throws SQLException {
        OptionalLong owner = Sessions.userOf(c, sessionHash, now);
        if (owner.isEmpty() || owner.getAsLong() != userId) return Optional.empty();
        return Users.byId(c, userId);
    }

    /** The event as its user may see it now: itself, or a {@link #WITHDRAWN} event with an empty body. */
    private static Message.Event visible(Connection c, Users.User user, Events.StoredEvent e) throws SQLException {
        Message.Event m = toMessage(e);
        try {
            return maySee(c, user, e.type(), m.body()) ? m : new Message.Event(e.seq(), WITHDRAWN, e.time(), Fields.EMPTY);
        } catch (CpiException ex) {
            throw new IllegalStateException("stored event " + e.seq() + " of user " + user.id() + " is corrupt", ex);
        }
    }

    private static boolean maySee(Connection c, Users.User user, String type, Fields body) throws SQLException, CpiException {
        if (!type.equals(InboundRouter.EVENT_TYPE)) return true; // job events are in their owner's log only
        // Where the fax is now (it may have moved); a deleted fax is judged by the mailbox it came to.
        Optional<ReceivedFaxes.Fax> fax = ReceivedFaxes.byId(c, body.integer("fax"));
        String mailbox = fax.isPresent() ? fax.get().mailbox() : body.string("mailbox", null);
        return MailboxAccess.canSee(c, user.id(), user.isAdmin(), mailbox);
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
