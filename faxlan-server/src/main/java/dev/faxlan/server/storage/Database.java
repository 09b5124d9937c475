package dev.faxlan.server.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The server's database: a HikariCP pool over H2 (embedded, in the data directory) or PostgreSQL,
 * migrated by Flyway at start. Work runs in {@link #tx} transactions, so a job, its event and its
 * idempotency record commit together or not at all.
 */
public final class Database implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Database.class);
    /** H2's codes for a database that closed itself (after a failed write, e.g. on a full disk) or an I/O failure. */
    private static final java.util.Set<Integer> H2_CLOSED = java.util.Set.of(90098, 90121, 90028, 90031, 90030, 50000);
    /** Durable transactions that may wait for a sync at once; more wait for room (each is a request's thread). */
    private static final int MAX_SYNC_WAITERS = 256;

    private final HikariDataSource pool;
    private final boolean embeddedH2;
    private final dev.faxlan.server.files.RepeatedLog failures = new dev.faxlan.server.files.RepeatedLog(log, 60_000);

    private Database(HikariDataSource pool, boolean embeddedH2) {
        this.pool = pool;
        this.embeddedH2 = embeddedH2;
    }

    /**
     * Embedded H2 in {@code dataDir/db}, in PostgreSQL mode so the same SQL serves both.
     * {@code WRITE_DELAY=0}: H2 otherwise writes committed transactions to its file up to 500 ms
     * later, and a killed process loses them; with it, every commit is written before it returns.
     */
    public static Database embedded(Path dataDir) {
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("db").resolve("faxlan")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000;WRITE_DELAY=0";
        return open(url, "faxlan", "");
    }

    public static Database open(String jdbcUrl, String user, String password) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(jdbcUrl);
        cfg.setUsername(user);
        cfg.setPassword(password);
        cfg.setMaximumPoolSize(8);
        cfg.setPoolName("faxlan-db");
        cfg.setAutoCommit(false);
        HikariDataSource ds = new HikariDataSource(cfg);
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds, jdbcUrl.startsWith("jdbc:h2:file:"));
    }

    public DataSource dataSource() {
        return pool;
    }

    /** Whether this is PostgreSQL (several nodes may share it), not embedded H2. */
    public boolean isPostgres() {
        return pool.getJdbcUrl().startsWith("jdbc:postgresql:");
    }

    /**
     * A new connection outside the pool, with the pool's settings and auto-commit on: for one held
     * for long (a {@code LISTEN}), which would otherwise take a worker's place. The caller closes it.
     */
    public Connection openDedicated() throws SQLException {
        Connection c = java.sql.DriverManager.getConnection(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword());
        c.setAutoCommit(true);
        return c;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction: commit on return, roll back on any exception. */
    public <T> T tx(Work<T> work) throws SQLException {
        return tx(work, false);
    }

    /**
     * As {@link #tx}, and the commit is on the disk when this returns: for transactions whose result
     * is acknowledged to a client. H2 with {@code WRITE_DELAY=0} has written the commit to the
     * operating system, which survives the server process; {@code CHECKPOINT SYNC} also forces it to
     * the disk, so it survives the machine. PostgreSQL syncs its commits itself.
     */
    public <T> T durableTx(Work<T> work) throws SQLException {
        return tx(work, embeddedH2);
    }

    private <T> T tx(Work<T> work, boolean sync) throws SQLException {
        try {
            return run(work, sync);
        } catch (SQLException e) {
            if (embeddedH2 && H2_CLOSED.contains(e.getErrorCode())) {
                // H2 closes a database whose write failed (a full disk). Drop the pool's connections:
                // the next one opens the database again, from what is on the disk, once it can.
                failures.error("closed", "the database failed (" + e.getMessage().lines().findFirst().orElse("") + "); its connections are replaced", null);
                pool.getHikariPoolMXBean().softEvictConnections();
            }
            throw e;
        }
    }

    private <T> T run(Work<T> work, boolean sync) throws SQLException {
        T result;
        try (Connection c = pool.getConnection()) {
            try {
                result = work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
        if (sync) syncs.awaitSync(); // with the connection back in the pool: waiters hold none
        return result;
    }

    /** One {@code CHECKPOINT SYNC} forces every commit before it to the disk, so concurrent durable transactions share one. */
    private final GroupSync syncs = new GroupSync(this::checkpointSync, MAX_SYNC_WAITERS);

    private void checkpointSync() throws SQLException {
        try (Connection c = pool.getConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute("CHECKPOINT SYNC");
            c.commit();
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
