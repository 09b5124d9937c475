package dev.faxlan.server.core.event;

import dev.faxlan.server.core.Problem;
import dev.faxlan.server.core.ProblemException;
import dev.faxlan.server.service.Caller;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.Events;
import java.sql.SQLException;
import java.util.List;

/**
 * Each user's event log as subscribers read it: where a subscription starts, the events after a
 * point, and each named subscriber's stored cursor, so a client that comes back resumes where it
 * acknowledged.
 */
public final class EventLog {
    private final Database db;

    public EventLog(Database db) {
        this.db = db;
    }

    /** A subscriber's name: the one given (1 to 64 characters), else {@code default}. */
    public static String subscriber(String named) {
        String s = named != null ? named : "default";
        if (s.isEmpty() || s.length() > 64) throw new ProblemException(Problem.INVALID, "subscriber name must be 1 to 64 characters");
        return s;
    }

    /** Where a subscription starts: the client's own cursor {@code from}, else the stored one, else only new events. */
    public long start(Caller caller, String subscriber, Long from) throws SQLException {
        if (from != null) {
            if (from < 0) throw new ProblemException(Problem.INVALID, "from must not be negative");
            return from;
        }
        return db.tx(c -> {
            long stored = Events.cursor(c, caller.userId(), subscriber);
            return stored >= 0 ? stored : Events.lastSeq(c, caller.userId());
        });
    }

    public List<Events.StoredEvent> after(long userId, long after, int limit) throws SQLException {
        return db.tx(c -> Events.after(c, userId, after, limit));
    }

    public long lastSeq(long userId) throws SQLException {
        return db.tx(c -> Events.lastSeq(c, userId));
    }

    public void acknowledge(long userId, String subscriber, long seq) throws SQLException {
        db.tx(c -> {
            Events.advanceCursor(c, userId, subscriber, seq);
            return null;
        });
    }
}
