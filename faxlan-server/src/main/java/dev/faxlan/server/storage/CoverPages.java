package dev.faxlan.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Cover page templates stored on the server (the template language is in docs/cover-pages.md). */
public final class CoverPages {
    private CoverPages() {}

    /** @param ownerId the user it belongs to, or null for a shared template */
    public record Template(long id, Long ownerId, String name, String source, long updated) {
        public boolean shared() {
            return ownerId == null;
        }
    }

    /** The user's templates and the shared ones, by name. */
    public static List<Template> visible(Connection c, long userId) throws SQLException {
        return query(c, "SELECT id, owner_id, name, source, updated FROM cover_pages WHERE owner_id = ? OR owner_id IS NULL ORDER BY name, id", userId);
    }

    /** The template {@code name} means for this user: their own first, then a shared one. */
    public static Optional<Template> find(Connection c, long userId, String name) throws SQLException {
        Template shared = null;
        for (Template t : visible(c, userId)) {
            if (!t.name().equals(name)) continue;
            if (!t.shared()) return Optional.of(t);
            shared = t;
        }
        return Optional.ofNullable(shared);
    }

    /** Stores {@code source} as the owner's (or the shared) template {@code name}, replacing one of that name. */
    public static void put(Connection c, Long ownerId, String name, String source, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(ownerId == null ? "DELETE FROM cover_pages WHERE owner_id IS NULL AND name = ?"
                : "DELETE FROM cover_pages WHERE owner_id = ? AND name = ?")) {
            int i = 1;
            if (ownerId != null) ps.setLong(i++, ownerId);
            ps.setString(i, name);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO cover_pages(owner_id, name, source, updated) VALUES (?,?,?,?)")) {
            ps.setObject(1, ownerId);
            ps.setString(2, name);
            ps.setString(3, source);
            ps.setLong(4, now);
            ps.executeUpdate();
        }
    }

    private static List<Template> query(Connection c, String sql, Object... args) throws SQLException {
        List<Template> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long owner = rs.getLong(2);
                    Long ownerId = rs.wasNull() ? null : owner;
                    out.add(new Template(rs.getLong(1), ownerId, rs.getString(3), rs.getString(4), rs.getLong(5)));
                }
            }
        }
        return out;
    }
}
