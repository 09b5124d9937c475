package dev.faxlan.server.core.port;

import dev.faxlan.server.core.job.InterruptedJob;
import dev.faxlan.server.core.job.Job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.server.service.JobState;
import dev.faxlan.server.storage.Jobs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link JobQueue} must do, written once; each implementation's test supplies the queue
 * and a way to put jobs in it and read them back.
 */
public interface JobQueueContract {
    long NOW = 1_800_000_000_000L;
    Duration LEASE = Duration.ofMinutes(5);

    /** The queue under test, the same instance for the whole of one test. */
    JobQueue queue();

    /** Adds a queued job to {@code recipient}, due at {@code sendAt} (null: now); returns its id. */
    long addJob(String recipient, Long sendAt) throws Exception;

    /** Sets the job's state directly, as another part of the server would (a cancel, an attempt starting). */
    void setState(long jobId, JobState state) throws Exception;

    Job job(long jobId) throws Exception;

    /** The job changes announced on the queue's event bus so far. */
    List<BusMessage.JobChanged> announced();

    @Test
    default void aDueJobIsClaimedWithItsOwnerAndExpiry() throws Exception {
        long id = addJob("+15550100", null);
        assertThat(queue().claim(id, "node-a", NOW, LEASE)).contains(new JobQueue.Lease(id, "node-a", NOW + LEASE.toMillis()));
    }

    @Test
    default void aJobScheduledForLaterIsNotDueBeforeItsTime() throws Exception {
        long id = addJob("+15550100", NOW + 60_000);
        assertThat(queue().due(NOW, 10)).isEmpty();
        assertThat(queue().claim(id, "node-a", NOW, LEASE)).isEmpty();
        assertThat(queue().due(NOW + 60_000, 10)).extracting(Job::id).containsExactly(id);
    }

    @Test
    default void aClaimedJobIsNotClaimedAgainBeforeItsLeaseExpires() throws Exception {
        long id = addJob("+15550100", null);
        assertThat(queue().claim(id, "node-a", NOW, LEASE)).isPresent();
        long beforeExpiry = NOW + LEASE.toMillis() - 1;
        assertThat(queue().claim(id, "node-b", beforeExpiry, LEASE)).isEmpty();
        assertThat(queue().claim(id, "node-a", beforeExpiry, LEASE)).as("not even by its owner").isEmpty();
        assertThat(queue().due(beforeExpiry, 10)).isEmpty();
        assertThat(queue().claimDue("node-b", beforeExpiry, LEASE, 10)).isEmpty();
    }

    @Test
    default void anExpiredLeaseIsClaimableAgain() throws Exception {
        long id = addJob("+15550100", null);
        queue().claim(id, "node-a", NOW, LEASE);
        long expiry = NOW + LEASE.toMillis();
        assertThat(queue().claim(id, "node-b", expiry, LEASE)).contains(new JobQueue.Lease(id, "node-b", expiry + LEASE.toMillis()));
    }

    @Test
    default void aRenewedLeaseLastsLonger() throws Exception {
        long id = addJob("+15550100", null);
        queue().claim(id, "node-a", NOW, LEASE);
        assertThat(queue().renew("node-a", NOW + 60_000, LEASE)).isEqualTo(1);
        assertThat(queue().renew("node-b", NOW + 60_000, LEASE)).isZero();
        assertThat(queue().claim(id, "node-b", NOW + LEASE.toMillis(), LEASE)).isEmpty();
        assertThat(queue().claim(id, "node-b", NOW + 60_000 + LEASE.toMillis(), LEASE)).isPresent();
    }

    @Test
    default void dueJobsComeOldestFirstWithoutTheLeasedOnes() throws Exception {
        long first = addJob("+15550101", null);
        long second = addJob("+15550102", null);
        long third = addJob("+15550103", null);
        queue().claim(second, "node-a", NOW, LEASE);
        assertThat(queue().due(NOW, 10)).extracting(Job::id).containsExactly(first, third);
        assertThat(queue().claimDue("node-b", NOW, LEASE, 1)).extracting(JobQueue.Lease::jobId).containsExactly(first);
    }

    @Test
    default void claimingDueJobsKeepsOneCallPerNumber() throws Exception {
        long first = addJob("+15550100", null);
        long second = addJob("+15550100", null);
        long other = addJob("+15550101", null);
        assertThat(queue().claimDue("node-a", NOW, LEASE, 10)).as("one of two jobs to one number in one batch").extracting(JobQueue.Lease::jobId)
                .containsExactly(first, other);
        assertThat(queue().claimDue("node-b", NOW, LEASE, 10)).as("nor while the other is leased by another node").isEmpty();
    }

    @Test
    default void claimersTakingDueJobsToOneNumberInBatchesOnThreadsNeverHoldTwoAtOnce() throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) ids.add(addJob("+15550100", null));
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<JobQueue.Lease>>> claimers = new ArrayList<>();
            for (int n = 0; n < 3; n++) {
                String node = "node-" + n;
                claimers.add(threads.submit(() -> {
                    start.await();
                    List<JobQueue.Lease> mine = new ArrayList<>();
                    for (int round = 0; round < 5; round++) mine.addAll(queue().claimDue(node, NOW, LEASE, 3));
                    return mine;
                }));
            }
            start.countDown();
            List<JobQueue.Lease> all = new ArrayList<>();
            for (Future<List<JobQueue.Lease>> f : claimers) all.addAll(f.get());
            assertThat(all).as("leases on jobs to one number, none ended").hasSize(1);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    default void twoClaimersRacingOnThreadsNeverGetTheSameJob() throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) ids.add(addJob(String.format("+15550%03d", i), null)); // one number each: one call per number
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Long>>> claimers = new ArrayList<>();
            for (String node : List.of("node-a", "node-b")) {
                Callable<List<Long>> claimer = () -> {
                    start.await();
                    List<Long> mine = new ArrayList<>();
                    // Each claimer tries every job, in the same order, so they collide on each one.
                    for (long id : ids) queue().claim(id, node, NOW, LEASE).ifPresent(l -> mine.add(l.jobId()));
                    return mine;
                };
                claimers.add(threads.submit(claimer));
            }
            start.countDown();
            List<Long> a = claimers.get(0).get();
            List<Long> b = claimers.get(1).get();
            Set<Long> both = new HashSet<>(a);
            both.retainAll(b);
            assertThat(both).as("jobs claimed by both").isEmpty();
            List<Long> all = new ArrayList<>(a);
            all.addAll(b);
            assertThat(all).containsExactlyInAnyOrderElementsOf(ids);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    default void claimersTakingDueJobsInBatchesOnThreadsTakeEachJobOnce() throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 60; i++) ids.add(addJob(String.format("+15550%03d", i), null)); // one number each: one call per number
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Long>>> claimers = new ArrayList<>();
            for (int n = 0; n < 4; n++) {
                String node = "node-" + n;
                claimers.add(threads.submit(() -> {
                    start.await();
                    List<Long> mine = new ArrayList<>();
                    // Until a claim finds nothing due: every job is then leased by someone.
                    for (List<JobQueue.Lease> got = queue().claimDue(node, NOW, LEASE, 3); !got.isEmpty(); got = queue().claimDue(node, NOW, LEASE, 3)) {
                        got.forEach(l -> mine.add(l.jobId()));
                    }
                    return mine;
                }));
            }
            start.countDown();
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : claimers) all.addAll(f.get());
            assertThat(all).as("each job claimed exactly once").containsExactlyInAnyOrderElementsOf(ids);
            assertThat(queue().due(NOW, 100)).isEmpty();
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    default void completingMovesTheJobToItsOutcomeEndsTheLeaseAndAnnouncesIt() throws Exception {
        long id = addJob("+15550100", null);
        JobQueue.Lease lease = queue().claim(id, "node-a", NOW, LEASE).orElseThrow();
        setState(id, JobState.DIALING);
        JobQueue.Outcome retry = new JobQueue.Outcome(JobState.RETRY_WAIT, "busy (attempt 1 of 3)", 1, NOW + 120_000, 0);
        Job after = queue().complete(lease, retry, NOW + 1).orElseThrow();
        assertThat(after.state()).isEqualTo("retry-wait");
        assertThat(after.reason()).isEqualTo("busy (attempt 1 of 3)");
        assertThat(announced()).containsExactly(new BusMessage.JobChanged(after.userId(), id, JobState.RETRY_WAIT));
        assertThat(queue().due(NOW + 119_999, 10)).isEmpty();
        assertThat(queue().claim(id, "node-b", NOW + 120_000, LEASE)).as("the lease ended with the attempt").isPresent();
    }

    @Test
    default void aCancelDuringTheAttemptWinsOverItsOutcome() throws Exception {
        long id = addJob("+15550100", null);
        JobQueue.Lease lease = queue().claim(id, "node-a", NOW, LEASE).orElseThrow();
        setState(id, JobState.CANCELLED);
        assertThat(queue().complete(lease, new JobQueue.Outcome(JobState.DONE, "1 page(s) sent", 1, null, 1), NOW + 1)).isEmpty();
        assertThat(job(id).state()).isEqualTo("cancelled");
        assertThat(announced()).isEmpty();
    }

    @Test
    default void aLeaseTakenOverByAnotherNodeCannotComplete() throws Exception {
        long id = addJob("+15550100", null);
        JobQueue.Lease stale = queue().claim(id, "node-a", NOW, LEASE).orElseThrow();
        JobQueue.Lease fresh = queue().claim(id, "node-b", NOW + LEASE.toMillis(), LEASE).orElseThrow();
        setState(id, JobState.SENDING);
        assertThat(queue().complete(stale, new JobQueue.Outcome(JobState.FAILED, "late", 1, null, 0), NOW + LEASE.toMillis() + 1)).isEmpty();
        assertThat(job(id).state()).isEqualTo("sending");
        assertThat(queue().complete(fresh, new JobQueue.Outcome(JobState.DONE, "sent", 1, null, 1), NOW + LEASE.toMillis() + 2)).isPresent();
    }

    @Test
    default void anOutcomeIsNeverAnAttemptState() {
        assertThatThrownBy(() -> new JobQueue.Outcome(JobState.DIALING, "x", null, null, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not dialing");
    }

    @Test
    default void attemptsWhoseLeaseExpiredAreRequeuedAndLiveOnesAreNot() throws Exception {
        long live = addJob("+15550101", null);
        long dead = addJob("+15550102", null);
        queue().claim(live, "node-a", NOW, LEASE);
        queue().claim(dead, "node-b", NOW - LEASE.toMillis(), LEASE); // expired at NOW
        setState(live, JobState.SENDING);
        setState(dead, JobState.DIALING);
        assertThat(queue().abandoned(NOW)).extracting(InterruptedJob::id).containsExactly(dead);
        assertThat(queue().requeueExpired(NOW)).isEqualTo(1);
        assertThat(job(dead).state()).isEqualTo("queued");
        assertThat(job(live).state()).isEqualTo("sending");
        assertThat(queue().claim(dead, "node-a", NOW, LEASE)).isPresent();
    }

    @Test
    default void aRestartedNodeReleasesWhatItHeld() throws Exception {
        long id = addJob("+15550100", null);
        queue().claim(id, "node-a", NOW, LEASE);
        setState(id, JobState.CONVERTING);
        assertThat(queue().abandoned(NOW)).isEmpty();
        assertThat(queue().releaseAll("node-a")).isEqualTo(1);
        assertThat(queue().abandoned(NOW)).extracting(InterruptedJob::id).containsExactly(id);
        assertThat(queue().requeueExpired(NOW)).isEqualTo(1);
        assertThat(queue().claim(id, "node-b", NOW, LEASE)).isPresent();
    }

    @Test
    default void aReleasedJobIsClaimableAtOnce() throws Exception {
        long id = addJob("+15550100", null);
        JobQueue.Lease lease = queue().claim(id, "node-a", NOW, LEASE).orElseThrow();
        queue().release(lease);
        assertThat(queue().claim(id, "node-b", NOW, LEASE)).isPresent();
    }

    @Test
    default void aJobIsNotClaimedWhileAnotherJobToItsNumberHoldsALiveLeaseOnAnyNode() throws Exception {
        long first = addJob("+15550100", null);
        long second = addJob("+15550100", null);
        long other = addJob("+15550199", null);
        assertThat(queue().claim(first, "node-a", NOW, LEASE)).isPresent();
        assertThat(queue().claim(second, "node-b", NOW, LEASE)).as("a call to +15550100 is in progress on node-a").isEmpty();
        assertThat(queue().claim(other, "node-b", NOW, LEASE)).isPresent();
        assertThat(queue().claim(second, "node-b", NOW + LEASE.toMillis(), LEASE)).as("once node-a's lease expired").isPresent();
    }

    @Test
    default void aJobIsClaimableOnceTheCallToItsNumberEnded() throws Exception {
        long first = addJob("+15550100", null);
        long second = addJob("+15550100", null);
        queue().release(queue().claim(first, "node-a", NOW, LEASE).orElseThrow());
        assertThat(queue().claim(second, "node-b", NOW, LEASE)).isPresent();
    }
}
