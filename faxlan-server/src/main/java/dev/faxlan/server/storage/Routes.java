package dev.faxlan.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Inbound routing rules. Positions are kept 1..n without gaps: inserting at a position moves the
 * rules from there one down, removing one moves the later ones up.
 */
public final class Routes {
    private Routes() {}

    /**
     * What a rule matches (each field null for "any"; a trailing '*' matches by prefix; {@code content}:
     * words that must all be on the fax's page 1, in any case) and where it sends the fax.
     */
    public record Match(String calledNumber, String subaddress, String remoteIdent, String callerNumber, String line, String content) {
        public static final Match ANY = new Match(null, null, null, null, null, null);

        /** A rule on the call alone. */
        public Match(String calledNumber, String subaddress, String remoteIdent, String callerNumber, String line) {
            this(calledNumber, subaddress, remoteIdent, callerNumber, line, null);
        }
    }

    public record Route(long id, int position, Match match, long mailboxId, String mailbox, long created) {}

    /**
     * Inserts a rule at {@code position} (1-based; 0 or beyond the end appends) and returns its id.
     */
    public static long insert(Connection c, int position, Match m, long mailboxId, long now) throws SQLException {
        int count = (int) count(c);
        int at = position <= 0 || position > count ? count + 1 : position;
        try (PreparedStatement ps = c.prepareStatement("UPDATE routes SET position = position + 1 WHERE position >= ?")) {
            ps.setInt(1, at);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO routes(position, called_number, subaddress, remote_ident, caller_number,"
                + " line, mailbox_id, created, content) VALUES (?,?,?,?,?,?,?,?,?)", new String[] {"id"})) {
            ps.setInt(1, at);
            ps.setString(2, m.calledNumber());
            ps.setString(3, m.subaddress());
            ps.setString(4, m.remoteIdent());
            ps.setString(5, m.callerNumber());
            ps.setString(6, m.line());
            ps.setLong(7, mailboxId);
            ps.setLong(8, now);
            ps.setString(9, m.content());
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** All rules in the order they are tried. */
    public static List<Route> all(Connection c) throws SQLException {
        return query(c, SELECT + " ORDER BY r.position, r.id");
    }

    public static Optional<Route> byId(Connection c, long id) throws SQLException {
        List<Route> l = query(c, SELECT + " WHERE r.id = ?", id);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    /** Removes a rule and closes the gap; false if there was none. */
    public static boolean delete(Connection c, long id) throws SQLException {
        Optional<Route> r = byId(c, id);
        if (r.isEmpty()) return false;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM routes WHERE id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE routes SET position = position - 1 WHERE position > ?")) {
            ps.setInt(1, r.get().position());
            ps.executeUpdate();
        }
        return true;
    }

    /** Whether some rule matches on content: then a fax's routing waits for its page 1 to be read. */
    public static boolean anyOnContent(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM routes WHERE content IS NOT NULL"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    public static long count(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM routes"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static final String SELECT = "SELECT r.id, r.position, r.called_number, r.subaddress, r.remote_ident, r.caller_number, r.line,"
            + " r.mailbox_id, m.name, r.created, r.content FROM routes r JOIN mailboxes m ON m.id = r.mailbox_id";

    private static List<Route> query(Connection c, String sql, Object... args) throws SQLException {
        List<Route> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Match m = new Match(rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(11));
                    rows.add(new Route(rs.getLong(1), rs.getInt(2), m, rs.getLong(8), rs.getString(9), rs.getLong(10)));
                }
            }
        }
        return rows;
    }

    /** The number a rule forwards its faxes to, if it does. */
    public static Optional<String> forwardOf(Connection c, long routeId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT number FROM route_forwards WHERE route_id = ?")) {
            ps.setLong(1, routeId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    public static void setForward(Connection c, long routeId, String number) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO route_forwards(route_id, number) VALUES (?,?)")) {
            ps.setLong(1, routeId);
            ps.setString(2, number);
            ps.executeUpdate();
        }
    }
}
