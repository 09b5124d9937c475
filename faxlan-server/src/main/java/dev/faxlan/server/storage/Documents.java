package dev.faxlan.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;

/** Documents known to the spool, by SHA-256 (lower-case hex). */
public final class Documents {
    private Documents() {}

    public static OptionalLong size(Connection c, String sha256) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT size FROM documents WHERE sha256 = ?")) {
            ps.setString(1, sha256);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /**
     * Records a document once; a second insert of the same hash is a no-op, also when two transactions
     * complete the same bytes at once (a check first and an insert after would let both insert, and the
     * second fail on the key).
     */
    public static void insertIfAbsent(Connection c, String sha256, long size, long now) throws SQLException {
        if (size(c, sha256).isPresent()) return;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO documents(sha256, size, created) VALUES (?,?,?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, sha256);
            ps.setLong(2, size);
            ps.setLong(3, now);
            ps.executeUpdate();
        }
    }
}
