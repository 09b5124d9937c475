package dev.faxlan.server.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The databases the server runs on and where their SQL differs. The schema and almost every
 * statement are the same on both (H2 runs in PostgreSQL mode); each difference is one method here,
 * so the list of them is this class (and docs/architecture.md, "Databases").
 */
public enum Dialect {
    /** Embedded H2 2.x in PostgreSQL mode: one node, the default. */
    H2,
    /** PostgreSQL: several nodes on one database. */
    POSTGRESQL;

    /** The dialect of a JDBC URL; another database is refused, since only these two are tested. */
    public static Dialect ofUrl(String jdbcUrl) {
        String u = jdbcUrl.toLowerCase(Locale.ROOT);
        if (u.startsWith("jdbc:h2:")) return H2;
        if (u.startsWith("jdbc:postgresql:")) return POSTGRESQL;
        throw new IllegalArgumentException("unsupported database URL (jdbc:postgresql://HOST[:PORT]/DATABASE or jdbc:h2:…): " + Database.scrubbed(jdbcUrl));
    }

    /** The dialect of an open connection, for statements given only a connection. */
    public static Dialect of(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseProductName().equalsIgnoreCase("PostgreSQL") ? POSTGRESQL : H2;
    }

    /**
     * Whether {@code SELECT … FOR UPDATE SKIP LOCKED} skips locked rows before {@code LIMIT}. PostgreSQL
     * does, so concurrent claimers each get different due jobs; H2 2.3 parses it but applies LIMIT first
     * and returns nothing when the first rows are locked, so on H2 a claim goes job by job.
     */
    public boolean skipsLockedBeforeLimit() {
        return this == POSTGRESQL;
    }

    /** Whether {@code INSERT … ON CONFLICT (key) DO UPDATE} exists: PostgreSQL's upsert; H2's PostgreSQL mode has only {@code DO NOTHING}. */
    public boolean upserts() {
        return this == POSTGRESQL;
    }

    /**
     * Whether a committed transaction needs {@code CHECKPOINT SYNC} to be on the disk: H2's is an
     * H2 statement; PostgreSQL syncs its WAL at commit itself.
     */
    public boolean needsCheckpointSync() {
        return this == H2;
    }
}
