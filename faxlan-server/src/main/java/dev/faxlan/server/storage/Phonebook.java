package dev.faxlan.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Fax contacts: each user's own, and shared ones (no owner) that everyone sees. */
public final class Phonebook {
    private Phonebook() {}

    /** @param ownerId the user it belongs to, or null for a shared entry */
    public record Entry(long id, Long ownerId, String name, String company, String fax, long created) {
        public boolean shared() {
            return ownerId == null;
        }
    }

    public static long insert(Connection c, Long ownerId, String name, String company, String fax, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO phonebook(owner_id, name, company, fax, created) VALUES (?,?,?,?,?)",
                new String[] {"id"})) {
            ps.setObject(1, ownerId);
            ps.setString(2, name);
            ps.setString(3, company);
            ps.setString(4, fax);
            ps.setLong(5, now);
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The user's entries and the shared ones, by name. */
    public static List<Entry> visible(Connection c, long userId) throws SQLException {
        return query(c, "SELECT id, owner_id, name, company, fax, created FROM phonebook WHERE owner_id = ? OR owner_id IS NULL ORDER BY name, id", userId);
    }

    /** The entry {@code name} (any case) means for this user: their own first, then a shared one. */
    public static Optional<Entry> find(Connection c, long userId, String name) throws SQLException {
        String n = name.toLowerCase(Locale.ROOT);
        Entry shared = null;
        for (Entry e : visible(c, userId)) {
            if (!e.name().toLowerCase(Locale.ROOT).equals(n)) continue;
            if (!e.shared()) return Optional.of(e);
            if (shared == null) shared = e;
        }
        return Optional.ofNullable(shared);
    }

    public static Optional<Entry> byId(Connection c, long id) throws SQLException {
        List<Entry> l = query(c, "SELECT id, owner_id, name, company, fax, created FROM phonebook WHERE id = ?", id);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    public static boolean delete(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM phonebook WHERE id = ?")) {
            ps.setLong(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    private static List<Entry> query(Connection c, String sql, Object... args) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long owner = rs.getLong(2);
                    Long ownerId = rs.wasNull() ? null : owner;
                    out.add(new Entry(rs.getLong(1), ownerId, rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6)));
                }
            }
        }
        return out;
    }
}
