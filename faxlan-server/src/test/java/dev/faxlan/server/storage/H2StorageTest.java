package dev.faxlan.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract on embedded H2 in a fresh data directory per test. */
class H2StorageTest implements StorageContract {
    @TempDir
    Path dataDir;
    private Database db;

    @BeforeEach
    void open() {
        db = Database.embedded(dataDir);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Override
    public Database database() {
        return db;
    }

    @Test
    void dataSurvivesClosingAndReopening() throws Exception {
        long id = db.tx(c -> Users.insert(c, "alice", "user", "h", NOW));
        db.tx(c -> Events.append(c, id, "job", new byte[] {1}, NOW));
        db.close();
        db = Database.embedded(dataDir);
        assertThat(db.tx((Connection c) -> Users.byName(c, "alice"))).isPresent();
        assertThat(db.tx((Connection c) -> Events.append(c, id, "job", new byte[] {2}, NOW))).isEqualTo(2);
    }
}
