package dev.faxlan.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit, with a counting stand-in for the disk's sync: syncs are numbered in the order they
 * begin, and a caller's "commit" is the number of syncs begun when it committed; a sync covers it only
 * if its number is higher.
 */
class GroupSyncTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicLong begun = new AtomicLong();
    /** The number of the last sync that succeeded. */
    private final AtomicLong lastSucceeded = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean overlapped = new AtomicBoolean();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    /** Counts the sync's beginning and end around {@code body}, and notes if two ever ran at once. */
    private GroupSync.Sync counted(GroupSync.Sync body) {
        return () -> {
            if (!running.compareAndSet(false, true)) overlapped.set(true);
            long number = begun.incrementAndGet();
            try {
                body.run();
                lastSucceeded.set(number);
            } finally {
                running.set(false);
            }
        };
    }

    /** Commits (takes the number of syncs begun so far), waits for its sync, and checks one that began later succeeded. */
    private Future<?> commitAndWait(GroupSync syncs) {
        return threads.submit(() -> {
            long begunAtCommit = begun.get();
            syncs.awaitSync();
            assertThat(lastSucceeded.get()).as("the last sync succeeded, for a caller that committed when %d had begun", begunAtCommit)
                    .isGreaterThan(begunAtCommit);
            return null;
        });
    }

    @Test
    void aCallerIsNotReleasedByASyncThatWasRunningWhenItCommitted() throws Exception {
        CountDownLatch firstMayEnd = new CountDownLatch(1);
        GroupSync syncs = new GroupSync(counted(() -> {
            if (begun.get() == 1) hold(firstMayEnd);
        }), 16);
        Future<?> first = commitAndWait(syncs);
        await().atMost(PATIENCE).until(() -> begun.get() == 1);
        Future<?> second = commitAndWait(syncs); // commits while sync 1 runs
        await().atMost(PATIENCE).until(() -> syncs.waiting() == 2);
        firstMayEnd.countDown();

        first.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        second.get(PATIENCE.toSeconds(), TimeUnit.SECONDS); // asserts it saw sync 2 succeed
        assertThat(begun.get()).isEqualTo(2);
        assertThat(overlapped.get()).isFalse();
    }

    @Test
    void callersThatCommitDuringASyncShareTheNextOne() throws Exception {
        int callers = 32;
        CountDownLatch firstMayEnd = new CountDownLatch(1);
        GroupSync syncs = new GroupSync(counted(() -> {
            if (begun.get() == 1) hold(firstMayEnd);
        }), 64);
        List<Future<?>> all = new ArrayList<>();
        all.add(commitAndWait(syncs));
        await().atMost(PATIENCE).until(() -> begun.get() == 1);
        for (int i = 1; i < callers; i++) all.add(commitAndWait(syncs));
        await().atMost(PATIENCE).until(() -> syncs.waiting() == callers);
        firstMayEnd.countDown();
        for (Future<?> f : all) f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

        // The first caller's sync, then one for the 31 that committed while it ran.
        assertThat(begun.get()).isEqualTo(2);
        assertThat(overlapped.get()).isFalse();
    }

    @Test
    void manyThreadsCommittingAtOnceEachReturnAfterASyncBegunAfterTheirCommit() throws Exception {
        int callers = 24;
        int rounds = 200;
        GroupSync syncs = new GroupSync(counted(Thread::yield), 8); // fewer waiters allowed than callers: the bound is exercised
        CyclicBarrier together = new CyclicBarrier(callers);
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        List<Future<?>> all = new ArrayList<>();
        for (int t = 0; t < callers; t++) {
            all.add(threads.submit(() -> {
                try {
                    for (int r = 0; r < rounds; r++) {
                        together.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                        long begunAtCommit = begun.get();
                        syncs.awaitSync();
                        assertThat(lastSucceeded.get()).as("the last sync succeeded, for a caller that committed when %d had begun", begunAtCommit)
                                .isGreaterThan(begunAtCommit);
                    }
                } catch (Throwable e) {
                    firstFailure.compareAndSet(null, e);
                    together.reset(); // the others stop at the barrier (or time out there) instead of waiting for this one
                }
                return null;
            }));
        }
        for (Future<?> f : all) f.get(2 * PATIENCE.toSeconds(), TimeUnit.SECONDS); // longer than a wait at the barrier
        assertThat(firstFailure.get()).isNull();

        assertThat(overlapped.get()).isFalse();
        assertThat(syncs.waiting()).isZero();
        // Every caller needs one sync per round, and at most `rounds` rounds' worth were ever needed; a
        // sync per caller per round would be callers * rounds.
        assertThat(begun.get()).isLessThan((long) callers * rounds);
    }

    @Test
    void aFailedSyncFailsEveryCallerItCoveredAndTheNextOneServesAgain() throws Exception {
        int callers = 8;
        CountDownLatch firstMayEnd = new CountDownLatch(1);
        SQLException diskFull = new SQLException("disk full", "HY000", 90098);
        GroupSync syncs = new GroupSync(counted(() -> {
            if (begun.get() == 1) hold(firstMayEnd);
            if (begun.get() == 2) throw diskFull;
        }), 16);
        Future<?> first = commitAndWait(syncs);
        await().atMost(PATIENCE).until(() -> begun.get() == 1);
        List<Future<?>> covered = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            covered.add(threads.submit(() -> {
                syncs.awaitSync();
                return null;
            }));
        }
        await().atMost(PATIENCE).until(() -> syncs.waiting() == callers + 1);
        firstMayEnd.countDown();

        first.get(PATIENCE.toSeconds(), TimeUnit.SECONDS); // sync 1 covered it and succeeded
        for (Future<?> f : covered) {
            assertThatThrownBy(() -> f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).cause().isInstanceOf(SQLException.class)
                    .hasMessageContaining("disk full")
                    .hasCause(diskFull)
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(90098));
        }
        assertThat(begun.get()).isEqualTo(2);

        commitAndWait(syncs).get(PATIENCE.toSeconds(), TimeUnit.SECONDS); // sync 3 succeeds
        assertThat(begun.get()).isEqualTo(3);
    }

    @Test
    void aSyncThatThrowsAnUncheckedExceptionStillEndsAndFailsItsCallers() throws Exception {
        GroupSync syncs = new GroupSync(() -> {
            throw new IllegalStateException("no database");
        }, 4);
        assertThatThrownBy(syncs::awaitSync).isInstanceOf(SQLException.class).hasMessageContaining("no database");
        assertThatThrownBy(syncs::awaitSync).isInstanceOf(SQLException.class); // not left waiting on a sync marked running
        assertThat(syncs.waiting()).isZero();
    }

    private static void hold(CountDownLatch latch) {
        try {
            if (!latch.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)) throw new IllegalStateException("the test never released the sync");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
