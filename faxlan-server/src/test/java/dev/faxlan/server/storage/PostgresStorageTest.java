package dev.faxlan.server.storage;

import dev.faxlan.testkit.PostgresCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The storage contract on a real PostgreSQL: one throwaway cluster for the class, a new database per test. */
class PostgresStorageTest implements StorageContract {
    private static PostgresCluster pg;
    private Database db;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = PostgresCluster.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (pg != null) pg.close();
    }

    @BeforeEach
    void open() throws Exception {
        db = Database.open(pg.jdbcUrl(pg.createDatabase()), pg.user(), pg.password());
    }

    @AfterEach
    void close() {
        if (db != null) db.close();
    }

    @Override
    public Database database() {
        return db;
    }
}
