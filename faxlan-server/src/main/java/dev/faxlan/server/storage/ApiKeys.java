package dev.faxlan.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The api_keys table: only the SHA-256 of each key's secret, found by the key's public lookup part. */
public final class ApiKeys {
    private ApiKeys() {}

    /** A stored key with its user's name; {@code lastUsed} null when it never logged in. */
    public record StoredKey(long id, long userId, String user, String lookup, byte[] secretHash, String label, long created, Long lastUsed) {}

    private static final String SELECT = "SELECT k.id, k.user_id, u.name, k.lookup, k.secret_hash, k.label, k.created, k.last_used"
            + " FROM api_keys k JOIN users u ON u.id = k.user_id";

    public static long insert(Connection c, long userId, String lookup, byte[] secretHash, String label, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO api_keys(user_id, lookup, secret_hash, label, created) VALUES (?,?,?,?,?)", new String[] {"id"})) {
            ps.setLong(1, userId);
            ps.setString(2, lookup);
            ps.setBytes(3, secretHash);
            ps.setString(4, label);
            ps.setLong(5, now);
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public static Optional<StoredKey> byId(Connection c, long id) throws SQLException {
        List<StoredKey> found = query(c, SELECT + " WHERE k.id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    public static Optional<StoredKey> byLookup(Connection c, String lookup) throws SQLException {
        List<StoredKey> found = query(c, SELECT + " WHERE k.lookup = ?", lookup);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** A user's keys, or every user's ({@code userId} null), oldest first. */
    public static List<StoredKey> list(Connection c, Long userId) throws SQLException {
        return userId == null ? query(c, SELECT + " ORDER BY k.id", null) : query(c, SELECT + " WHERE k.user_id = ? ORDER BY k.id", userId);
    }

    public static void touch(Connection c, long id, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE api_keys SET last_used = ? WHERE id = ?")) {
            ps.setLong(1, now);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    /** Removes the key; the sessions opened with it go with it (ON DELETE CASCADE). */
    public static boolean delete(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM api_keys WHERE id = ?")) {
            ps.setLong(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    private static List<StoredKey> query(Connection c, String sql, Object param) throws SQLException {
        List<StoredKey> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (param != null) ps.setObject(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long lastUsed = rs.getLong(8);
                    Long never = rs.wasNull() ? null : lastUsed;
                    out.add(new StoredKey(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getBytes(5), rs.getString(6),
                            rs.getLong(7), never));
                }
            }
        }
        return out;
    }
}
