package dev.faxlan.server.storage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The storage contract on a real PostgreSQL: one throwaway cluster for the class, a new database per test. */
class PostgresStorageTest implements StorageContract {
    private static MigratedPostgres pg;
    private Database db;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = MigratedPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (pg != null) pg.close();
    }

    @BeforeEach
    void open() throws Exception {
        db = pg.newDatabase();
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
