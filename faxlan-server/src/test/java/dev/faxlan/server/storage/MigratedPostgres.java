package dev.faxlan.server.storage;

import dev.faxlan.testkit.PostgresCluster;
import java.sql.SQLException;

/**
 * A throwaway PostgreSQL with the server's schema migrated once into a template database; each
 * test's database is a copy of it ({@code CREATE DATABASE … TEMPLATE}), made in milliseconds
 * instead of a migration from scratch per test.
 *
 * <pre>{@code
 * static MigratedPostgres pg;            // @BeforeAll: pg = MigratedPostgres.start();
 * Database db = pg.newDatabase();        // @BeforeEach
 * }</pre>
 */
public final class MigratedPostgres implements AutoCloseable {
    private static final String TEMPLATE = "faxlan_template";
    private final PostgresCluster cluster;
    /** The next test's database is copied while the current test runs. */
    private final java.util.concurrent.ExecutorService copier = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "postgres-template-copy");
        t.setDaemon(true);
        return t;
    });
    private java.util.concurrent.Future<String> next;

    private MigratedPostgres(PostgresCluster cluster) {
        this.cluster = cluster;
        this.next = copier.submit(() -> cluster.createDatabase(TEMPLATE));
    }

    public static MigratedPostgres start() throws Exception {
        // Durability is not what these tests are about: without fsync a copy takes a fraction of the time.
        PostgresCluster cluster = PostgresCluster.startWithoutFsync();
        try {
            try (var c = java.sql.DriverManager.getConnection(cluster.jdbcUrl("postgres"), cluster.user(), cluster.password());
                    var st = c.createStatement()) {
                st.execute("CREATE DATABASE " + TEMPLATE);
            }
            // Closed again at once: a template with open connections cannot be copied.
            Database.open(cluster.jdbcUrl(TEMPLATE), cluster.user(), cluster.password()).close();
            return new MigratedPostgres(cluster);
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** The JDBC URL of a new database with the schema in place. */
    public synchronized String newDatabaseUrl() throws SQLException {
        String name;
        try {
            name = next.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while a database was copied", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getCause());
        }
        next = copier.submit(() -> cluster.createDatabase(TEMPLATE));
        return cluster.jdbcUrl(name);
    }

    /** A new database with the schema in place, opened as the server opens it. */
    public Database newDatabase() throws SQLException {
        return Database.open(newDatabaseUrl(), cluster.user(), cluster.password());
    }

    public PostgresCluster cluster() {
        return cluster;
    }

    @Override
    public void close() throws Exception {
        copier.shutdownNow();
        copier.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        cluster.close();
    }
}
