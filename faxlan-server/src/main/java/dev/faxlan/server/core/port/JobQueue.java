package dev.faxlan.server.core.port;

import dev.faxlan.server.core.job.InterruptedJob;
import dev.faxlan.server.core.job.Job;
import dev.faxlan.server.service.JobState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The queue of outgoing jobs as the scheduler sees it. A node takes a due job with a lease (its
 * owner, and until when); while the lease lasts no other claimer gets the job, so nodes sharing one
 * database never send a job twice. Once the attempt ends the owner completes the job with its
 * outcome, which also ends the lease. Leases of a node that died expire, and their jobs are queued
 * again. Times are milliseconds since the epoch, from the caller's clock. A job's state changes
 * here are written with its event, and announced on the {@link EventBus} once committed.
 */
public interface JobQueue {
    /** A job held by {@code owner} until {@code expires}. */
    record Lease(long jobId, String owner, long expires) {}

    /**
     * How an attempt ended: the state the job moves to, with what the state records beside it;
     * {@code callMillis} is how long the call lasted, null when there was no call.
     */
    record Outcome(JobState state, String reason, Integer attempts, Long nextAttempt, Integer pages, Long callMillis) {
        public Outcome(JobState state, String reason, Integer attempts, Long nextAttempt, Integer pages) {
            this(state, reason, attempts, nextAttempt, pages, null);
        }

        public Outcome {
            if (state != JobState.QUEUED && state != JobState.RETRY_WAIT && state != JobState.DONE && state != JobState.FAILED) {
                throw new IllegalArgumentException("an attempt ends queued, retry-wait, done or failed, not " + state.wire());
            }
        }
    }

    /**
     * Jobs whose time has come and that nobody holds (queued and past their send-at, or waiting for a
     * retry that is due), highest priority first, then oldest first; to look at, not yet taken.
     */
    List<Job> due(long now, int limit) throws Exception;

    /** Takes job {@code jobId} for {@code owner} if it is due and nobody holds a live lease on it. */
    Optional<Lease> claim(long jobId, String owner, long now, Duration lease) throws Exception;

    /** Takes up to {@code limit} of the due jobs for {@code owner}, in the order of {@link #due}. */
    List<Lease> claimDue(String owner, long now, Duration lease, int limit) throws Exception;

    /** Extends every lease {@code owner} holds to {@code now + lease}; returns how many. */
    int renew(String owner, long now, Duration lease) throws Exception;

    /**
     * Ends the attempt: moves the job from its attempt's state (converting, dialing or sending) to the
     * outcome's and ends the lease. A job that left those states meanwhile (cancelled) stays as it is.
     *
     * @return the job as it now is, or empty when it had left the attempt's states or {@code lease}
     *     was no longer its owner's (nothing changed then, beyond ending the lease)
     */
    Optional<Job> complete(Lease lease, Outcome outcome, long now) throws Exception;

    /** Gives the job up without an outcome (it was cancelled before its attempt began). */
    void release(Lease lease) throws Exception;

    /** Ends every lease of {@code owner}: a node that starts again holds nothing from its last run. */
    int releaseAll(String owner) throws Exception;

    /**
     * Jobs left in an attempt (converting, dialing, sending) by a node whose lease on them expired or
     * was released, or that no lease covers, with their attempts that recorded no outcome.
     */
    List<InterruptedJob> abandoned(long now) throws Exception;

    /** Puts the {@link #abandoned} jobs back in the queue; returns how many. */
    int requeueExpired(long now) throws Exception;
}
