package dev.faxlan.server.storage;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.IMetricsTracker;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the connections a {@link Database} hands out, through the pool's metrics hook: one per
 * transaction, and one per {@code CHECKPOINT SYNC} of durable ones.
 */
public final class ConnectionBorrows {
    private ConnectionBorrows() {}

    /** Starts counting; a pool can be counted once. */
    public static AtomicLong count(Database db) {
        AtomicLong borrows = new AtomicLong();
        ((HikariDataSource) db.dataSource()).setMetricsTrackerFactory((pool, stats) -> new IMetricsTracker() {
            @Override
            public void recordConnectionAcquiredNanos(long nanos) {
                borrows.incrementAndGet();
            }
        });
        return borrows;
    }
}
