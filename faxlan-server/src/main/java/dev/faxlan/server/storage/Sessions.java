package dev.faxlan.server.storage;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.OptionalLong;

/** Login sessions, stored by the SHA-256 of their token so a database leak yields no usable token. */
public final class Sessions {
    private Sessions() {}

    /** The stored form of a session token: its SHA-256. */
    public static byte[] tokenHash(byte[] token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    public static void insert(Connection c, byte[] tokenHash, long userId, long now, long expires) throws SQLException {
        insert(c, tokenHash, userId, null, now, expires);
    }

    /** A session opened with API key {@code apiKeyId} (null: with a password); it ends when the key is removed. */
    public static void insert(Connection c, byte[] tokenHash, long userId, Long apiKeyId, long now, long expires) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sessions(token_hash, user_id, api_key_id, created, expires) VALUES (?,?,?,?,?)")) {
            ps.setBytes(1, tokenHash);
            ps.setLong(2, userId);
            ps.setObject(3, apiKeyId, Types.BIGINT);
            ps.setLong(4, now);
            ps.setLong(5, expires);
            ps.executeUpdate();
        }
    }

    /** The user of a live session, or empty when the token is unknown or expired. */
    public static OptionalLong userOf(Connection c, byte[] tokenHash, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT user_id FROM sessions WHERE token_hash = ? AND expires > ?")) {
            ps.setBytes(1, tokenHash);
            ps.setLong(2, now);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    public static void delete(Connection c, byte[] tokenHash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE token_hash = ?")) {
            ps.setBytes(1, tokenHash);
            ps.executeUpdate();
        }
    }

    public static void deleteForUser(Connection c, long userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE user_id = ?")) {
            ps.setLong(1, userId);
            ps.executeUpdate();
        }
    }

    public static int deleteExpired(Connection c, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE expires <= ?")) {
            ps.setLong(1, now);
            return ps.executeUpdate();
        }
    }
}
