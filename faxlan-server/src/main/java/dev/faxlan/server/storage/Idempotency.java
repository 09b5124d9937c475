package dev.faxlan.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Results of mutating requests by (user, idempotency key). Inserted in the same transaction as the
 * request's effects, so a stored result exists exactly when the effects do.
 */
public final class Idempotency {
    private Idempotency() {}

    /** {@code requestSha256} is null for rows stored before requests were digested. */
    public record Stored(String op, byte[] requestSha256, byte[] response) {}

    public static Optional<Stored> find(Connection c, long userId, byte[] key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT op, request_sha256, response FROM idempotency WHERE user_id = ? AND idem_key = ?")) {
            ps.setLong(1, userId);
            ps.setBytes(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Stored(rs.getString(1), rs.getBytes(2), rs.getBytes(3))) : Optional.empty();
            }
        }
    }

    public static void insert(Connection c, long userId, byte[] key, String op, byte[] requestSha256, byte[] response, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO idempotency(user_id, idem_key, op, request_sha256, response, created) VALUES (?,?,?,?,?,?)")) {
            ps.setLong(1, userId);
            ps.setBytes(2, key);
            ps.setString(3, op);
            ps.setBytes(4, requestSha256);
            ps.setBytes(5, response);
            ps.setLong(6, now);
            ps.executeUpdate();
        }
    }

    /** Forgets results older than {@code before}; clients never retry that long. */
    public static int purge(Connection c, long before) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM idempotency WHERE created < ?")) {
            ps.setLong(1, before);
            return ps.executeUpdate();
        }
    }
}
