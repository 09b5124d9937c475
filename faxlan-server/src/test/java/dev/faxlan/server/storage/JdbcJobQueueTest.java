package dev.faxlan.server.storage;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The job queue contract on embedded H2 in a fresh data directory per test. */
class JdbcJobQueueTest extends JdbcJobQueueFixture {
    @TempDir
    Path dataDir;

    @Override
    protected Database openDatabase() {
        return Database.embedded(dataDir);
    }
}
