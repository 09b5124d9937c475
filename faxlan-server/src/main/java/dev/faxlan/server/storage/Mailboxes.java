package dev.faxlan.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Mailboxes for received faxes: personal ones (an owner) and shared ones (members). */
public final class Mailboxes {
    private Mailboxes() {}

    /** The built-in shared mailbox for faxes no route claims. */
    public static final String UNADDRESSED = "Unaddressed";

    /** @param ownerId the owning user, or null for a shared mailbox */
    public record Mailbox(long id, String name, Long ownerId, long created) {
        public boolean shared() {
            return ownerId == null;
        }
    }

    public static long insert(Connection c, String name, Long ownerId, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mailboxes(name, owner_id, created) VALUES (?,?,?)", new String[] {"id"})) {
            ps.setString(1, name);
            if (ownerId == null) ps.setNull(2, Types.BIGINT);
            else ps.setLong(2, ownerId);
            ps.setLong(3, now);
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public static Optional<Mailbox> byName(Connection c, String name) throws SQLException {
        List<Mailbox> l = query(c, SELECT + " WHERE name = ?", name);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    public static Optional<Mailbox> byId(Connection c, long id) throws SQLException {
        List<Mailbox> l = query(c, SELECT + " WHERE id = ?", id);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    public static Optional<Mailbox> personal(Connection c, long userId) throws SQLException {
        List<Mailbox> l = query(c, SELECT + " WHERE owner_id = ?", userId);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    public static List<Mailbox> all(Connection c) throws SQLException {
        return query(c, SELECT + " ORDER BY name");
    }

    /** The mailboxes a user owns or is a member of (not counting what an administrator may see). */
    public static List<Mailbox> ofUser(Connection c, long userId) throws SQLException {
        return query(c, SELECT + " WHERE owner_id = ? OR id IN (SELECT mailbox_id FROM mailbox_members WHERE user_id = ?) ORDER BY name",
                userId, userId);
    }

    /** Users who own or are members of the mailbox (administrators are not listed unless they are). */
    public static List<Long> users(Connection c, long mailboxId) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT owner_id FROM mailboxes WHERE id = ? AND owner_id IS NOT NULL UNION SELECT user_id FROM mailbox_members WHERE mailbox_id = ?")) {
            ps.setLong(1, mailboxId);
            ps.setLong(2, mailboxId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getLong(1));
            }
        }
        return out;
    }

    /** Adds a member to a shared mailbox; false if they were one already. */
    public static boolean addMember(Connection c, long mailboxId, long userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM mailbox_members WHERE mailbox_id = ? AND user_id = ?")) {
            ps.setLong(1, mailboxId);
            ps.setLong(2, userId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) return false;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mailbox_members(mailbox_id, user_id) VALUES (?,?)")) {
            ps.setLong(1, mailboxId);
            ps.setLong(2, userId);
            ps.executeUpdate();
            return true;
        }
    }

    public static boolean removeMember(Connection c, long mailboxId, long userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM mailbox_members WHERE mailbox_id = ? AND user_id = ?")) {
            ps.setLong(1, mailboxId);
            ps.setLong(2, userId);
            return ps.executeUpdate() == 1;
        }
    }

    public static boolean delete(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM mailboxes WHERE id = ?")) {
            ps.setLong(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    private static final String SELECT = "SELECT id, name, owner_id, created FROM mailboxes";

    private static List<Mailbox> query(Connection c, String sql, Object... args) throws SQLException {
        List<Mailbox> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long owner = rs.getLong(3);
                    Long ownerId = rs.wasNull() ? null : owner;
                    rows.add(new Mailbox(rs.getLong(1), rs.getString(2), ownerId, rs.getLong(4)));
                }
            }
        }
        return rows;
    }
}
