package dev.faxlan.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Durable transactions on embedded H2 from many threads at once: each commits, and they share their syncs. */
class DurableTxTest {
    @TempDir
    Path dataDir;
    private Database db;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void open() throws Exception {
        db = Database.embedded(dataDir);
        db.tx(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE durable_test(thread INT, round INT, PRIMARY KEY (thread, round))");
            }
            return null;
        });
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        db.close();
    }

    @Test
    void concurrentDurableTransactionsEachCommitAndShareCheckpointSyncs() throws Exception {
        int callers = 16;
        int rounds = 25;
        AtomicLong borrows = ConnectionBorrows.count(db);
        CyclicBarrier together = new CyclicBarrier(callers);
        List<Future<?>> all = new ArrayList<>();
        for (int t = 0; t < callers; t++) {
            int thread = t;
            all.add(threads.submit(() -> {
                for (int r = 0; r < rounds; r++) {
                    together.await(60, TimeUnit.SECONDS);
                    int round = r;
                    db.durableTx(c -> insert(c, thread, round));
                }
                return null;
            }));
        }
        for (Future<?> f : all) f.get(120, TimeUnit.SECONDS);

        long transactions = (long) callers * rounds;
        assertThat(db.tx(DurableTxTest::rows)).isEqualTo(transactions);
        // One connection per transaction, plus one per sync; 16 transactions committing together share them.
        long syncs = borrows.get() - transactions;
        assertThat(syncs).isPositive().isLessThan(transactions);
    }

    private static Void insert(Connection c, int thread, int round) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO durable_test(thread, round) VALUES (?, ?)")) {
            ps.setInt(1, thread);
            ps.setInt(2, round);
            ps.executeUpdate();
        }
        return null;
    }

    private static long rows(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM durable_test")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
