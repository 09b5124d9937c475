package dev.faxlan.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The users table. */
public final class Users {
    private Users() {}

    public record User(long id, String name, String role, String passwordHash, long created) {
        public boolean isAdmin() {
            return "admin".equals(role);
        }
    }

    public static long insert(Connection c, String name, String role, String passwordHash, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO users(name, role, password_hash, created) VALUES (?,?,?,?)", new String[] {"id"})) {
            ps.setString(1, name);
            ps.setString(2, role);
            ps.setString(3, passwordHash);
            ps.setLong(4, now);
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public static Optional<User> byName(Connection c, String name) throws SQLException {
        return one(c, "SELECT id, name, role, password_hash, created FROM users WHERE name = ?", name);
    }

    public static Optional<User> byId(Connection c, long id) throws SQLException {
        return one(c, "SELECT id, name, role, password_hash, created FROM users WHERE id = ?", id);
    }

    public static List<User> all(Connection c) throws SQLException {
        List<User> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, role, password_hash, created FROM users ORDER BY name");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(map(rs));
        }
        return out;
    }

    public static boolean updatePassword(Connection c, long id, String hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE users SET password_hash = ? WHERE id = ?")) {
            ps.setString(1, hash);
            ps.setLong(2, id);
            return ps.executeUpdate() == 1;
        }
    }

    public static boolean delete(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM users WHERE id = ?")) {
            ps.setLong(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    public static long count(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM users"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Optional<User> one(Connection c, String sql, Object key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    private static User map(ResultSet rs) throws SQLException {
        return new User(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5));
    }
}
