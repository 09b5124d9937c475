package dev.faxlan.server.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.faxlan.server.files.RepeatedLog;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's database: a HikariCP pool over H2 (embedded, in the data directory) or PostgreSQL,
 * migrated by Flyway at start. Work runs in {@link #tx} transactions, so a job, its event and its
 * idempotency record commit together or not at all.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    /** H2's codes for a database that closed itself (after a failed write, e.g. on a full disk) or an I/O failure. */
    private static final Set<Integer> H2_CLOSED = Set.of(90098, 90121, 90028, 90031, 90030, 50000);
    /** H2's codes for a database that is closed (after a failed write, or by the JVM shutting down). */
    private static final Set<Integer> H2_GONE = Set.of(90098, 90121);
    /** Durable transactions that may wait for a sync at once; more wait for room (each is a request's thread). */
    private static final int MAX_SYNC_WAITERS = 256;

    private final HikariDataSource pool;
    private final Dialect dialect;
    private final boolean embeddedH2;
    private final RepeatedLog failures = new RepeatedLog(log, 60_000);

    private Database(HikariDataSource pool, Dialect dialect, boolean embeddedH2) {
        this.pool = pool;
        this.dialect = dialect;
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

    /** The server's database as configured: {@code dataDir}'s embedded H2, or the external one. */
    public static Database open(DatabaseSettings settings, Path dataDir) {
        return settings.embedded() ? embedded(dataDir) : open(settings.url(), settings.user(), settings.password(), settings.poolSize());
    }

    public static Database open(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, DEFAULT_POOL_SIZE);
    }

    /**
     * A pool of at most {@code poolSize} connections to {@code jdbcUrl}, migrated to the newest schema.
     *
     * @throws IllegalArgumentException the URL carries a password (it would end up in logs and
     *         process listings) or names a database other than H2 or PostgreSQL
     * @throws Unreachable the database did not answer, or refused the login, within {@link #CONNECT_TIMEOUT}
     */
    public static Database open(String jdbcUrl, String user, String password, int poolSize) {
        if (hasPassword(jdbcUrl)) {
            throw new IllegalArgumentException("the database URL carries a password (" + scrubbed(jdbcUrl)
                    + "): give it in a file instead (db.password-file or FAXLAN_DB_PASSWORD_FILE)");
        }
        if (poolSize < 1 || poolSize > 1000) throw new IllegalArgumentException("db.pool-size must be 1 to 1000, not " + poolSize);
        Dialect dialect = Dialect.ofUrl(jdbcUrl);
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(jdbcUrl);
        cfg.setUsername(user);
        cfg.setPassword(password);
        cfg.setMaximumPoolSize(poolSize);
        cfg.setPoolName("faxlan-db");
        cfg.setAutoCommit(false);
        // A database that is down answers a request in seconds with a clear error, not after Hikari's 30 s default.
        cfg.setConnectionTimeout(CONNECT_TIMEOUT.toMillis());
        if (dialect == Dialect.POSTGRESQL) {
            cfg.addDataSourceProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT.toSeconds()));
            cfg.addDataSourceProperty("loginTimeout", String.valueOf(CONNECT_TIMEOUT.toSeconds()));
            cfg.addDataSourceProperty("ApplicationName", "faxlan");
        }
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(cfg);
        } catch (RuntimeException e) {
            // Embedded H2's failures (its file in use by another server) keep their own messages.
            throw dialect == Dialect.POSTGRESQL ? unreachable(jdbcUrl, e) : e;
        }
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            if (dialect == Dialect.POSTGRESQL && isUnavailable(e)) throw unreachable(jdbcUrl, e);
            throw e;
        }
        return new Database(ds, dialect, jdbcUrl.startsWith("jdbc:h2:file:"));
    }

    /** Connections a server keeps at most: see docs/decisions.md (a request's thread holds one for one transaction). */
    public static final int DEFAULT_POOL_SIZE = 8;
    /** How long getting a connection may take before the request fails with a database-unreachable error. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** The database could not be reached or refused the login when the server opened it. */
    public static final class Unreachable extends RuntimeException {
        private final boolean loginRefused;

        Unreachable(String message, boolean loginRefused, Throwable cause) {
            super(message, cause);
            this.loginRefused = loginRefused;
        }

        /** The database answered and refused the user name or password (SQLState 28xxx). */
        public boolean loginRefused() {
            return loginRefused;
        }
    }

    private static RuntimeException unreachable(String jdbcUrl, RuntimeException e) {
        boolean login = sqlStates(e).anyMatch(s -> s.startsWith("28"));
        if (!login && !isUnavailable(e) && !(e instanceof HikariPool.PoolInitializationException)) return e;
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String why = String.valueOf(root.getMessage()).lines().findFirst().orElse(root.getClass().getSimpleName());
        return new Unreachable((login ? "the database refused the login at " : "cannot reach the database at ") + scrubbed(jdbcUrl) + ": " + why,
                login, e);
    }

    private static Stream<String> sqlStates(Throwable e) {
        List<String> states = new ArrayList<>();
        for (Throwable t = e; t != null && states.size() < 20; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) states.add(sql.getSQLState());
            if (t.getCause() == t) break;
        }
        return states.stream();
    }

    /**
     * Whether {@code e} says the database is down or unreachable, not that the statement was wrong:
     * a connection failure (SQLState class 08), PostgreSQL shutting down or starting (57P01-57P03), no
     * connection within {@link #CONNECT_TIMEOUT}, or H2 having closed its database. The request may
     * succeed unchanged once the database is back.
     */
    public static boolean isUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) return true;
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03"))) return true;
                if (H2_GONE.contains(sql.getErrorCode()) && state != null && state.startsWith("90")) return true;
            }
            if (t.getCause() == t) break;
        }
        return false;
    }

    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;]password=)[^&;]*");

    static boolean hasPassword(String jdbcUrl) {
        return PASSWORD_PARAMETER.matcher(jdbcUrl).find() || jdbcUrl.matches("(?i)jdbc:postgresql://[^/@]*:[^/@]*@.*");
    }

    /** {@code jdbcUrl} with any password in it replaced by {@code ***}, for messages and logs. */
    public static String scrubbed(String jdbcUrl) {
        if (jdbcUrl == null) return null;
        String s = PASSWORD_PARAMETER.matcher(jdbcUrl).replaceAll("$1***");
        return s.replaceAll("(?i)^(jdbc:postgresql://[^/@:]*):[^/@]*@", "$1:***@");
    }

    public Dialect dialect() {
        return dialect;
    }

    public DataSource dataSource() {
        return pool;
    }

    /** Whether this is PostgreSQL (several nodes may share it), not embedded H2. */
    public boolean isPostgres() {
        return dialect == Dialect.POSTGRESQL;
    }

    /**
     * A new connection outside the pool, with the pool's settings and auto-commit on: for one held
     * for long (a {@code LISTEN}), which would otherwise take a worker's place. The caller closes it.
     */
    public Connection openDedicated() throws SQLException {
        Connection c = DriverManager.getConnection(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword());
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
        return tx(work, embeddedH2 && dialect.needsCheckpointSync());
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
            } else if (!embeddedH2 && isUnavailable(e)) {
                // Hikari replaces broken connections itself; say once a minute why requests fail meanwhile.
                failures.error("unreachable", "the database is unreachable (" + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
                        + "); requests that need it fail until it is back", null);
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
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("CHECKPOINT SYNC");
            c.commit();
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
