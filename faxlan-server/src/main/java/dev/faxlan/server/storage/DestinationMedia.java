package dev.faxlan.server.storage;

import dev.faxlan.lines.Media;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** The table {@code destination_media}: per number, the media its last failed call used, and until when that counts. */
public final class DestinationMedia {
    private DestinationMedia() {}

    /** Width of {@code reason}: longer reasons are cut to fit. */
    public static final int REASON_MAX = 200;

    /** @param failed the media the number's calls failed on; {@code since} and {@code expires} in epoch milliseconds */
    public record Failure(String destination, Media failed, String reason, long since, long expires) {}

    /** The number's failure still in force at {@code now}, if any. */
    public static Optional<Failure> find(Connection c, String destination, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT failed, reason, since, expires FROM destination_media WHERE destination = ? AND expires > ?")) {
            ps.setString(1, destination);
            ps.setLong(2, now);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new Failure(destination, Media.parse(rs.getString(1)), rs.getString(2), rs.getLong(3), rs.getLong(4)));
            }
        }
    }

    /**
     * Records that the number's call on {@code failed} failed, replacing what was known. Update first,
     * then insert on H2, whose PostgreSQL mode has no {@code ON CONFLICT DO UPDATE} (H2 is one node);
     * PostgreSQL's upsert on PostgreSQL, where nodes may record the same number at once.
     */
    public static void put(Connection c, String destination, Media failed, String reason, long since, long expires) throws SQLException {
        String why = reason.length() <= REASON_MAX ? reason : reason.substring(0, REASON_MAX - 1) + "…";
        if (Dialect.of(c).upserts()) {
            // PostgreSQL: one statement, so two nodes recording the same number at once both succeed.
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO destination_media(destination, failed, reason, since, expires) VALUES (?,?,?,?,?)"
                    + " ON CONFLICT (destination) DO UPDATE SET failed = EXCLUDED.failed, reason = EXCLUDED.reason, since = EXCLUDED.since,"
                    + " expires = EXCLUDED.expires")) {
                ps.setString(1, destination);
                ps.setString(2, failed.setting());
                ps.setString(3, why);
                ps.setLong(4, since);
                ps.setLong(5, expires);
                ps.executeUpdate();
            }
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE destination_media SET failed = ?, reason = ?, since = ?, expires = ? WHERE destination = ?")) {
            ps.setString(1, failed.setting());
            ps.setString(2, why);
            ps.setLong(3, since);
            ps.setLong(4, expires);
            ps.setString(5, destination);
            if (ps.executeUpdate() > 0) return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO destination_media(destination, failed, reason, since, expires) VALUES (?,?,?,?,?)")) {
            ps.setString(1, destination);
            ps.setString(2, failed.setting());
            ps.setString(3, why);
            ps.setLong(4, since);
            ps.setLong(5, expires);
            ps.executeUpdate();
        }
    }

    /** Forgets the number's failure on {@code failed} (a later call on it worked); returns whether there was one. */
    public static boolean forget(Connection c, String destination, Media failed) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM destination_media WHERE destination = ? AND failed = ?")) {
            ps.setString(1, destination);
            ps.setString(2, failed.setting());
            return ps.executeUpdate() > 0;
        }
    }

    /** Removes rows expired at {@code now}; returns how many. */
    public static int purge(Connection c, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM destination_media WHERE expires <= ?")) {
            ps.setLong(1, now);
            return ps.executeUpdate();
        }
    }
}
