package dev.faxlan.server.storage;

import java.sql.SQLException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: transactions that commit at about the same time share one sync to the disk instead
 * of running one each. A caller that has committed waits for a sync that <em>began after</em> its
 * commit (one already running may have missed it). Syncs run one at a time: the first waiter to find
 * none running runs the next itself, for everyone waiting then; callers arriving meanwhile wait for
 * the one after, which one of them runs. A failed sync fails every caller it was to cover.
 */
final class GroupSync {
    /** One sync to the disk of everything committed before it began. */
    @FunctionalInterface
    interface Sync {
        void run() throws SQLException;
    }

    private final Sync sync;
    private final int maxWaiters;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a sync ends and when a waiter leaves. */
    private final Condition changed = lock.newCondition();
    // Syncs are numbered from 1 in the order they begin; as one runs at a time, they also end in that order.
    private long begun;
    private long ended;
    private long lastSucceeded;
    /** Why sync number {@link #ended} failed, when it did. */
    private Throwable lastFailure;
    private boolean running;
    private int waiting;

    /**
     * @param maxWaiters callers that may wait at once; more wait for room first, so a stalled disk holds
     *     a bounded number of them here
     */
    GroupSync(Sync sync, int maxWaiters) {
        if (maxWaiters < 1) throw new IllegalArgumentException("maxWaiters must be at least 1, not " + maxWaiters);
        this.sync = sync;
        this.maxWaiters = maxWaiters;
    }

    /**
     * Returns once a sync that began after this call has succeeded, running it on this thread when no
     * other is; call it after the commit to cover.
     *
     * @throws SQLException when the first sync to begin after this call failed, or every one since; it
     *     carries that failure's SQL state and error code
     */
    void awaitSync() throws SQLException {
        lock.lock();
        try {
            while (waiting >= maxWaiters) changed.awaitUninterruptibly();
            waiting++;
            try {
                long needed = begun + 1; // the first sync to begin from now on
                while (ended < needed) {
                    if (running) {
                        changed.awaitUninterruptibly();
                    } else {
                        runOne(); // none running, so begun == ended and this one is number `needed`
                    }
                }
                if (lastSucceeded >= needed) return;
                // Every sync from `needed` to `ended` failed; the last one's failure is at hand.
                throw failed(lastFailure);
            } finally {
                waiting--;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Callers waiting now, the one running a sync included. */
    int waiting() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    /** Runs the next sync with the lock released; called holding it, with no sync running. */
    private void runOne() {
        running = true;
        long number = ++begun;
        Throwable failure = null;
        lock.unlock();
        try {
            sync.run();
        } catch (Throwable t) { // an Error too: it must not leave `running` set, or every caller would wait forever
            failure = t;
        } finally {
            lock.lock();
            running = false;
            ended = number;
            if (failure == null) lastSucceeded = number;
            else lastFailure = failure;
            changed.signalAll();
        }
    }

    /** A new exception per caller (each with its own stack), keeping the failure's state and code for the caller's handling. */
    private static SQLException failed(Throwable cause) {
        String message = "the sync to the disk that was to cover this commit failed: " + cause;
        if (cause instanceof SQLException e) return new SQLException(message, e.getSQLState(), e.getErrorCode(), e);
        return new SQLException(message, cause);
    }
}
