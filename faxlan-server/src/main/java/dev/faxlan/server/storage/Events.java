package dev.faxlan.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The durable per-user event log behind alerts. Sequence numbers are per user and gap-free: the
 * counter lives on the user's row and is bumped in the transaction that appends, which also
 * serialises concurrent appends for one user.
 */
public final class Events {
    private Events() {}

    public record StoredEvent(long userId, long seq, String type, long time, byte[] body) {}

    public static long append(Connection c, long userId, String type, byte[] body, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE users SET last_event_seq = last_event_seq + 1 WHERE id = ?")) {
            ps.setLong(1, userId);
            if (ps.executeUpdate() != 1) throw new SQLException("no user " + userId + " for event " + type);
        }
        long seq = lastSeq(c, userId);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO events(user_id, seq, type, time, body) VALUES (?,?,?,?,?)")) {
            ps.setLong(1, userId);
            ps.setLong(2, seq);
            ps.setString(3, type);
            ps.setLong(4, now);
            ps.setBytes(5, body);
            ps.executeUpdate();
        }
        return seq;
    }

    public static long lastSeq(Connection c, long userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT last_event_seq FROM users WHERE id = ?")) {
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    public static List<StoredEvent> after(Connection c, long userId, long afterSeq, int limit) throws SQLException {
        List<StoredEvent> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT seq, type, time, body FROM events WHERE user_id = ? AND seq > ? ORDER BY seq LIMIT " + limit)) {
            ps.setLong(1, userId);
            ps.setLong(2, afterSeq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new StoredEvent(userId, rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getBytes(4)));
            }
        }
        return out;
    }

    public static long cursor(Connection c, long userId, String subscriber) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT acked FROM alert_cursors WHERE user_id = ? AND subscriber = ?")) {
            ps.setLong(1, userId);
            ps.setString(2, subscriber);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    /** Moves a subscriber's cursor forward (never back: acks may arrive out of order). */
    public static void advanceCursor(Connection c, long userId, String subscriber, long acked) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE alert_cursors SET acked = ? WHERE user_id = ? AND subscriber = ? AND acked < ?")) {
            ps.setLong(1, acked);
            ps.setLong(2, userId);
            ps.setString(3, subscriber);
            ps.setLong(4, acked);
            if (ps.executeUpdate() == 1) return;
        }
        if (cursor(c, userId, subscriber) >= 0) return;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_cursors(user_id, subscriber, acked) VALUES (?,?,?)")) {
            ps.setLong(1, userId);
            ps.setString(2, subscriber);
            ps.setLong(3, acked);
            ps.executeUpdate();
        }
    }
}
