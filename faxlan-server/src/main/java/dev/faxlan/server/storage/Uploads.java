package dev.faxlan.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Uploads in progress or finished; the bytes live in the spool, this is who owns which. */
public final class Uploads {
    private Uploads() {}

    public record Upload(String id, long userId, long size, String sha256, String name, long created, boolean completed) {}

    public static void insert(Connection c, Upload u) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO uploads(id, user_id, size, sha256, name, created, completed) VALUES (?,?,?,?,?,?,?)")) {
            ps.setString(1, u.id());
            ps.setLong(2, u.userId());
            ps.setLong(3, u.size());
            ps.setString(4, u.sha256());
            ps.setString(5, u.name());
            ps.setLong(6, u.created());
            ps.setBoolean(7, u.completed());
            ps.executeUpdate();
        }
    }

    public static Optional<Upload> byId(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, user_id, size, sha256, name, created, completed FROM uploads WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new Upload(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                        rs.getString(5), rs.getLong(6), rs.getBoolean(7)));
            }
        }
    }

    /** Whether {@code userId} has a completed upload of the document {@code sha256}. */
    public static boolean completedBy(Connection c, long userId, String sha256) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM uploads WHERE user_id = ? AND sha256 = ? AND completed = TRUE")) {
            ps.setLong(1, userId);
            ps.setString(2, sha256);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public static void markCompleted(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE uploads SET completed = TRUE WHERE id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }

    /** What a user's unfinished uploads hold: how many, and their announced bytes together. */
    public record Usage(int count, long bytes) {}

    public static Usage unfinishedUsage(Connection c, long userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM uploads WHERE user_id = ? AND completed = FALSE")) {
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Usage(rs.getInt(1), rs.getLong(2));
            }
        }
    }

    /** Ids of unfinished uploads begun before {@code cutoff}. */
    public static List<String> unfinishedCreatedBefore(Connection c, long cutoff) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM uploads WHERE completed = FALSE AND created < ?")) {
            ps.setLong(1, cutoff);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** Forgets an unfinished upload; a completed one stays (it lets its user submit the document). */
    public static boolean deleteUnfinished(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM uploads WHERE id = ? AND completed = FALSE")) {
            ps.setString(1, id);
            return ps.executeUpdate() > 0;
        }
    }
}
