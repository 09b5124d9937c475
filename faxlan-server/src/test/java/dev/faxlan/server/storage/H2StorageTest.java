package dev.faxlan.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
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
    void twoTransactionsRecordingTheSameDocumentAtOnceBothSucceed() throws Exception {
        String sha = "ab".repeat(32);
        try (Connection other = db.dataSource().getConnection()) {
            other.setAutoCommit(false);
            // The other transaction has checked and inserted, not yet committed: ours finds no row, then waits on its key.
            try (var ps = other.prepareStatement("INSERT INTO documents(sha256, size, created) VALUES (?,?,?)")) {
                ps.setString(1, sha);
                ps.setLong(2, 10);
                ps.setLong(3, NOW);
                ps.executeUpdate();
            }
            CompletableFuture<Void> ours = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    db.tx(c -> {
                        Documents.insertIfAbsent(c, sha, 10, NOW);
                        return null;
                    });
                    ours.complete(null);
                } catch (SQLException | RuntimeException e) {
                    ours.completeExceptionally(e);
                }
            });
            t.start();
            // Ours found no row and is now at its insert, which H2 retries until the other's key is committed or rolled back.
            Awaitility.await().atMost(Duration.ofSeconds(8)).until(() -> ours.isDone()
                    || Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getClassName().equals("org.h2.command.dml.Insert")));
            other.commit();
            ours.get(30, TimeUnit.SECONDS);
        }
        assertThat(db.tx((Connection c) -> Documents.size(c, sha))).hasValue(10);
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
