package dev.faxlan.it.cluster;

import dev.faxlan.it.ServerChild;
import dev.faxlan.testkit.PortRetry;
import dev.faxlan.testkit.PostgresCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Server nodes in child JVMs on one throwaway PostgreSQL database and one spool directory, each
 * with its own data directory (its key, its name), its own loopback line and its own log.
 */
final class ClusterNodes implements AutoCloseable {
    private final Path dir;
    private final PostgresCluster postgres;
    private final String jdbcUrl;
    private final String extraConfig;
    private final List<ServerChild> nodes = new ArrayList<>();

    private ClusterNodes(Path dir, PostgresCluster postgres, String jdbcUrl, String extraConfig) {
        this.dir = dir;
        this.postgres = postgres;
        this.jdbcUrl = jdbcUrl;
        this.extraConfig = extraConfig;
    }

    /** A fresh database in a new PostgreSQL cluster; {@code extraConfig}: properties every node gets. */
    static ClusterNodes create(Path dir, String extraConfig) throws Exception {
        PostgresCluster pg = PostgresCluster.start();
        try {
            return new ClusterNodes(dir, pg, pg.jdbcUrl(pg.createDatabase()), extraConfig);
        } catch (Exception e) {
            pg.close();
            throw e;
        }
    }

    /** Starts nodes 0 to {@code n - 1} one after another (the first migrates the database and creates the administrator). */
    void startAll(int n) throws IOException {
        for (int i = 0; i < n; i++) start(i);
    }

    /** Starts node {@code i} (0, 1, …; again after a kill, on the same data directory) and waits until it listens. */
    ServerChild start(int i) throws IOException {
        return start(i, 0);
    }

    /**
     * Starts node {@code i} again after a kill, on the port it listened on, as an operator's node comes back
     * where its clients know it; should another program have taken that port meanwhile, on a port the system picks.
     */
    ServerChild restart(int i) throws IOException {
        int port = node(i).address().getPort();
        try {
            return start(i, port);
        } catch (RuntimeException | AssertionError e) {
            if (!PortRetry.inUse(e)) throw e;
            System.err.println("node" + i + ": its port " + port + " was taken meanwhile; starting it on another (" + e.getMessage() + ")");
            return start(i, 0);
        }
    }

    private ServerChild start(int i, int port) throws IOException {
        Path config = Files.writeString(dir.resolve("node" + i + ".properties"), "jdbc.url=" + jdbcUrl + "\nspool.dir=" + dir.resolve("spool")
                + "\nocr.enabled=false\ncluster.heartbeat-seconds=1\n" + extraConfig);
        ServerChild node = ServerChild.start(dir.resolve("node" + i), config, dir.resolve("logs" + i), "node" + i,
                Map.of("FAXLAN_DB_USER", postgres.user(), "FAXLAN_DB_PASSWORD", postgres.password()), port);
        synchronized (nodes) { // nodes after the first may be started at once
            while (nodes.size() <= i) nodes.add(null);
            nodes.set(i, node);
        }
        return node;
    }

    ServerChild node(int i) {
        synchronized (nodes) {
            return nodes.get(i);
        }
    }

    /** A connection to the nodes' database, to count what they did. */
    Connection database() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, postgres.user(), postgres.password());
    }

    /** The one number {@code sql} selects, from the nodes' database. */
    static long count(Connection db, String sql) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The rows {@code sql} selects as key (its first column) to number (its second), in key order. */
    static Map<String, Long> byKey(Connection db, String sql) throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        try (PreparedStatement ps = db.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
        }
        return out;
    }

    /** Every row of {@code sql}, one line each, for a failure's message. */
    static String rows(Connection db, String sql) {
        StringBuilder out = new StringBuilder();
        try (PreparedStatement ps = db.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) out.append(i > 1 ? " | " : "  ").append(rs.getString(i));
                out.append('\n');
            }
        } catch (SQLException e) {
            out.append("  (").append(e.getMessage()).append(")\n");
        }
        return out.toString();
    }

    /** The logs of every node, for a failure's message. */
    String logs() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            try {
                String log = nodes.get(i) == null ? "" : nodes.get(i).log();
                b.append("--- node").append(i).append(" ---\n").append(log, Math.max(0, log.length() - 4000), log.length()).append('\n');
            } catch (IOException e) {
                b.append("--- node").append(i).append(": ").append(e).append('\n');
            }
        }
        return b.toString();
    }

    @Override
    public void close() throws Exception {
        for (ServerChild n : nodes) {
            if (n != null) n.close();
        }
        postgres.close();
    }
}
