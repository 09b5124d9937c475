package dev.faxlan.server.storage;

import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Copies every table of one server database into another of the same schema version, as
 * {@code faxlan db migrate-to} does from embedded H2 to PostgreSQL: rows with their ids, tables in
 * the order their foreign keys need, identity sequences moved past the copied ids, all in one
 * transaction of the target, which must hold nothing but what the migrations put there.
 */
public final class DatabaseCopy {
    /** Flyway's own table: each side keeps its own, and the migrations already made them equal. */
    private static final String SCHEMA_HISTORY = "flyway_schema_history";
    private static final int BATCH = 500;

    private DatabaseCopy() {}

    /** The target already holds data; nothing was copied. */
    public static final class TargetNotEmpty extends Exception {
        TargetNotEmpty(String message) {
            super(message);
        }
    }

    /**
     * Copies {@code from} into {@code to}; returns the rows copied per table, in copy order.
     *
     * @throws TargetNotEmpty the target has rows beyond the migrations' own (the shared mailbox {@code Unaddressed})
     */
    public static Map<String, Long> copy(Database from, Database to) throws SQLException, TargetNotEmpty {
        try (Connection src = from.dataSource().getConnection(); Connection dst = to.dataSource().getConnection()) {
            src.setReadOnly(true);
            List<String> tables = tables(dst);
            Map<String, Long> nonEmpty = new LinkedHashMap<>();
            for (String t : tables) {
                long n = count(dst, t) - seeded(dst, t);
                if (n > 0) nonEmpty.put(t, n);
            }
            if (!nonEmpty.isEmpty()) {
                throw new TargetNotEmpty("the target database already has data (" + describe(nonEmpty)
                        + "); migrate into a new, empty database");
            }
            Map<String, Long> copied = new LinkedHashMap<>();
            try {
                // The rows the migrations made are copied with the rest, under the source's ids.
                try (Statement st = dst.createStatement()) {
                    st.executeUpdate("DELETE FROM mailboxes WHERE owner_id IS NULL AND name = 'Unaddressed'");
                }
                for (String t : inForeignKeyOrder(dst, tables)) copied.put(t, copyTable(src, dst, t));
                moveIdentitiesPastCopiedIds(dst);
                dst.commit();
            } catch (SQLException | RuntimeException e) {
                dst.rollback();
                throw e;
            } finally {
                src.rollback();
            }
            return copied;
        }
    }

    private static String describe(Map<String, Long> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((t, n) -> parts.add(t + ": " + n + " row(s)"));
        return String.join(", ", parts);
    }

    /** The schema's tables as the target sees them, Flyway's history left out. */
    private static List<String> tables(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                if (!name.equals(SCHEMA_HISTORY)) out.add(name);
            }
        }
        out.sort(null);
        return out;
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Rows a freshly migrated database has in {@code table}: V3's shared mailbox {@code Unaddressed}. */
    private static long seeded(Connection c, String table) throws SQLException {
        if (!table.equals("mailboxes")) return 0;
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM mailboxes WHERE owner_id IS NULL AND name = 'Unaddressed'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Referenced tables before the tables referring to them (the schema has no cycles but a table's reference to itself). */
    private static List<String> inForeignKeyOrder(Connection c, List<String> tables) throws SQLException {
        Map<String, Set<String>> needs = new LinkedHashMap<>();
        for (String t : tables) {
            Set<String> refs = new LinkedHashSet<>();
            try (ResultSet rs = c.getMetaData().getImportedKeys(null, "public", t)) {
                while (rs.next()) {
                    String pk = rs.getString("PKTABLE_NAME").toLowerCase(Locale.ROOT);
                    if (!pk.equals(t)) refs.add(pk);
                }
            }
            needs.put(t, refs);
        }
        List<String> order = new ArrayList<>();
        while (order.size() < tables.size()) {
            boolean progressed = false;
            for (String t : tables) {
                if (!order.contains(t) && order.containsAll(needs.get(t))) {
                    order.add(t);
                    progressed = true;
                }
            }
            if (!progressed) throw new SQLException("the tables' foreign keys form a cycle: " + needs);
        }
        return order;
    }

    private static long copyTable(Connection src, Connection dst, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (ResultSet rs = dst.getMetaData().getColumns(null, "public", table, "%")) {
            while (rs.next()) columns.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
        }
        String list = String.join(", ", columns);
        long rows = 0;
        // Ordered by the first column (the id where there is one), so a row referring to an earlier row of its table finds it.
        try (Statement st = src.createStatement(); ResultSet rs = st.executeQuery("SELECT " + list + " FROM " + table + " ORDER BY 1");
                PreparedStatement ins = dst.prepareStatement("INSERT INTO " + table + " (" + list + ") VALUES ("
                        + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")")) {
            int pending = 0;
            while (rs.next()) {
                for (int i = 1; i <= columns.size(); i++) ins.setObject(i, value(rs.getObject(i)));
                ins.addBatch();
                rows++;
                if (++pending == BATCH) {
                    ins.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) ins.executeBatch();
        }
        return rows;
    }

    private static Object value(Object v) throws SQLException {
        if (v instanceof Clob c) return c.getSubString(1, (int) c.length());
        if (v instanceof Blob b) return b.getBytes(1, (int) b.length());
        return v;
    }

    /** Each identity column's next value after the largest id copied, so new rows never collide with copied ones. */
    private static void moveIdentitiesPastCopiedIds(Connection dst) throws SQLException {
        List<String[]> identities = new ArrayList<>();
        try (Statement st = dst.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND is_identity = 'YES'")) {
            while (rs.next()) identities.add(new String[] {rs.getString(1), rs.getString(2)});
        }
        for (String[] id : identities) {
            try (Statement st = dst.createStatement(); ResultSet rs = st.executeQuery("SELECT setval(pg_get_serial_sequence('" + id[0] + "', '" + id[1]
                    + "'), COALESCE(MAX(" + id[1] + "), 1), MAX(" + id[1] + ") IS NOT NULL) FROM " + id[0])) {
                rs.next();
            }
        }
    }
}
