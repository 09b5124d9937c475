package dev.faxlan.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The {@code nodes} table: the server nodes sharing this database, each with its last heartbeat. */
public final class Nodes {
    private Nodes() {}

    /**
     * A node as clients reach it.
     *
     * @param host null when the node cannot tell clients its address (bound to all addresses, no {@code cluster.advertise})
     * @param fingerprint hex SHA-256 of the node's certificate
     */
    public record Node(String name, String serverName, String host, Integer port, String fingerprint, long started, long heartbeat) {}

    /** Writes {@code n}'s row: a new one, or the one from its previous run. */
    public static void put(Connection c, Node n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE nodes SET server_name = ?, host = ?, port = ?, fingerprint = ?, started = ?, heartbeat = ? WHERE name = ?")) {
            ps.setString(1, n.serverName());
            ps.setString(2, n.host());
            ps.setObject(3, n.port());
            ps.setString(4, n.fingerprint());
            ps.setLong(5, n.started());
            ps.setLong(6, n.heartbeat());
            ps.setString(7, n.name());
            if (ps.executeUpdate() == 1) return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO nodes(name, server_name, host, port, fingerprint, started, heartbeat) VALUES (?,?,?,?,?,?,?)")) {
            ps.setString(1, n.name());
            ps.setString(2, n.serverName());
            ps.setString(3, n.host());
            ps.setObject(4, n.port());
            ps.setString(5, n.fingerprint());
            ps.setLong(6, n.started());
            ps.setLong(7, n.heartbeat());
            ps.executeUpdate();
        }
    }

    /** Records that {@code name} is alive at {@code now}; false when its row is gone (then it is written again). */
    public static boolean beat(Connection c, String name, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE nodes SET heartbeat = ? WHERE name = ?")) {
            ps.setLong(1, now);
            ps.setString(2, name);
            return ps.executeUpdate() == 1;
        }
    }

    /** Nodes whose last heartbeat is at or after {@code since}, by name. */
    public static List<Node> aliveSince(Connection c, long since) throws SQLException {
        List<Node> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT name, server_name, host, port, fingerprint, started, heartbeat FROM nodes WHERE heartbeat >= ? ORDER BY name")) {
            ps.setLong(1, since);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Node(rs.getString(1), rs.getString(2), rs.getString(3), (Integer) rs.getObject(4), rs.getString(5), rs.getLong(6),
                            rs.getLong(7)));
                }
            }
        }
        return out;
    }

    /** An orderly stop: the node is no longer listed. */
    public static void remove(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM nodes WHERE name = ?")) {
            ps.setString(1, name);
            ps.executeUpdate();
        }
    }
}
