package dev.faxlan.server.dispatch;

import dev.faxlan.server.core.job.InterruptedJob;
import dev.faxlan.server.core.job.Job;
import dev.faxlan.lines.CallOutcome;
import dev.faxlan.lines.CallResult;
import dev.faxlan.server.core.port.JobQueue;
import dev.faxlan.server.core.job.JobService;
import dev.faxlan.server.service.JobState;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.JobCalls;
import dev.faxlan.server.storage.Jobs;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which job goes next and what follows an attempt, as HylaFAX's faxq does: takes due jobs
 * from the {@link JobQueue} (highest priority first) when a line with a free channel takes their
 * number, hands each to the {@link Sender}, and turns the attempt's end into the job's next state:
 * done, retry later (busy, no answer, network, T.30 failure) until {@link RetryPolicy#maxTries()},
 * or failed. Jobs whose number no line takes stay queued, as jobs wait for a free modem.
 */
final class Scheduler implements Sender.Outcomes {
    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
    /**
     * How long a claim holds a job without being renewed; renewed at every tick (each second) while
     * the call lasts. Short, so that another node takes over the jobs of a dead one within
     * {@code LEASE + Dispatcher.RECOVERY_EVERY} and a tick; long enough to ride out a database restart.
     */
    static final Duration LEASE = Duration.ofSeconds(30);
    static final String INTERRUPTED = "the call was interrupted after ";

    private final JobQueue queue;
    private final String node;
    private final Database db;
    private final JobService jobs;
    private final Dispatcher.LineChooser lines;
    private final Clock clock;
    private final RetryPolicy policy;
    private Sender sender;
    /**
     * Recipients with a call in progress on this node: never two transmissions to one number at once.
     * Across nodes the claim itself refuses a job whose number another job's live lease covers.
     */
    private final Set<String> busyNumbers = ConcurrentHashMap.newKeySet();
    /** Attempts running on this node, by job: node-local, as their threads are. */
    private final Map<Long, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    /**
     * Attempts in progress on this node by line, converting ones included: a tick must not start more
     * than a line has channels while the earlier ones still convert (their calls not yet counted by the line).
     */
    private final Map<String, Integer> lineAttempts = new ConcurrentHashMap<>();
    /** Jobs of this node whose documents are being converted now (from the claim until the conversion ends). */
    private final Set<Long> converting = ConcurrentHashMap.newKeySet();
    /**
     * A suspect (a job whose conversion a stop already cut off once) being converted now: it converts
     * alone, so that a second stop during its conversion is its own, not a neighbour's.
     */
    private volatile Long suspectConverting;

    Scheduler(JobQueue queue, String node, Database db, JobService jobs, Dispatcher.LineChooser lines, Clock clock, RetryPolicy policy) {
        this.queue = queue;
        this.node = node;
        this.db = db;
        this.jobs = jobs;
        this.lines = lines;
        this.clock = clock;
        this.policy = policy;
    }

    void sendWith(Sender sender) {
        this.sender = sender;
    }

    /**
     * Jobs whose attempt was cut off (by a stop of this node, or a node whose leases expired) go back
     * to the queue (their call is gone with the old process), unless their conversion was cut off
     * {@link Dispatcher#MAX_CUT_OFF_CONVERSIONS} times: a job whose conversion kills the server must not
     * do so at every start. Only a stop during a conversion counts (entering 'dialing' clears the count),
     * and a job with one such stop converts alone on its node (see {@link #tick}): its later counts are
     * stops during its own conversion, never one during another job's.
     */
    int requeueInterrupted(boolean restarted) throws Exception {
        if (restarted) queue.releaseAll(node); // what this node held before its restart, its calls are gone
        long now = clock.millis();
        for (InterruptedJob j : queue.abandoned(now)) {
            if (j.unfinishedAttempts() < Dispatcher.MAX_CUT_OFF_CONVERSIONS) continue;
            String docs = Sender.documentList(db.tx(c -> Jobs.documentNames(c, j.id())));
            String reason = "the server stopped " + j.unfinishedAttempts() + " times while this job was being converted (" + docs
                    + "); it is not tried again";
            if (jobs.transition(j.id(), j.jobState(), JobState.FAILED, Jobs.fit(reason), null, null, null)) {
                log.warn("job {}: failed after {} attempts cut off by a stop", j.id(), j.unfinishedAttempts());
            }
        }
        int requeued = queue.requeueExpired(now);
        if (requeued > 0) log.info("{} job(s) interrupted by the last stop are queued again", requeued);
        return requeued;
    }

    private int attemptsOn(String line) {
        return lineAttempts.getOrDefault(line, 0);
    }

    /**
     * Starts a transmission for every due job that has a free line; returns the futures of those
     * started. A suspect (a job whose conversion a stop cut off before) starts only when no other
     * conversion runs on this node, and none starts while it converts.
     */
    synchronized List<CompletableFuture<Void>> tick() throws Exception {
        long now = clock.millis();
        if (!inFlight.isEmpty()) queue.renew(node, now, LEASE);
        List<Job> due = queue.due(now, 100);
        List<CompletableFuture<Void>> started = new ArrayList<>();
        for (Job job : due) {
            if (stopping) break;
            if (inFlight.containsKey(job.id())) continue;
            if (busyNumbers.contains(job.recipient())) {
                waiting(job, "waiting for the call in progress to " + job.recipient() + " to end");
                continue;
            }
            Optional<Dispatcher.Channel> line;
            try {
                line = lines.lineFor(job.recipient());
            } catch (IllegalArgumentException e) {
                jobs.transition(job.id(), job.jobState(), JobState.FAILED, "cannot dial " + job.recipient() + ": " + e.getMessage(),
                        null, null, null);
                continue;
            }
            if (line.isEmpty()) {
                // Submit refuses such numbers; this is a job from before the lines changed, or a forward.
                waiting(job, "no fax line takes " + job.recipient() + "; it waits until one does");
                continue;
            }
            if (line.get().freeChannels() == 0 || attemptsOn(line.get().name()) >= line.get().channels()) {
                waiting(job, "waiting for a free channel on line " + line.get().name());
                continue;
            }
            if (suspectConverting != null) break; // it converts alone
            boolean suspect = job.unfinishedAttempts() > 0;
            if (suspect && !converting.isEmpty()) break; // it waits for the conversions in progress, and nothing starts before it
            Optional<JobQueue.Lease> lease = queue.claim(job.id(), node, now, LEASE);
            if (lease.isEmpty()) continue; // another node took it
            if (!jobs.transition(job.id(), job.jobState(), JobState.CONVERTING, null, null, null, null)) {
                queue.release(lease.get());
                continue;
            }
            busyNumbers.add(job.recipient());
            converting.add(job.id());
            if (suspect) suspectConverting = job.id();
            String lineName = line.get().name();
            lineAttempts.merge(lineName, 1, Integer::sum);
            // Registered before the attempt starts: a quick attempt would otherwise end (and remove
            // itself) before being put, and its job would look in flight forever.
            CompletableFuture<Void> ended = new CompletableFuture<>();
            inFlight.put(job.id(), ended);
            sender.send(job, lease.get(), line.get()).whenComplete((v, e) -> {
                busyNumbers.remove(job.recipient());
                lineAttempts.merge(lineName, -1, Integer::sum);
                inFlight.remove(job.id());
                converted(job);
                if (e != null) log.error("job {}: transmission failed unexpectedly", job.id(), e);
                ended.complete(null);
            });
            started.add(ended);
            if (suspect) break;
        }
        return started;
    }

    @Override
    public void converted(Job job) {
        converting.remove(job.id());
        if (Long.valueOf(job.id()).equals(suspectConverting)) suspectConverting = null;
    }

    /**
     * A queued job that is due but cannot start says why: the reason is recorded (with its event)
     * when it changes, not at every tick. A job waiting for a retry keeps the reason of its last try.
     */
    private void waiting(Job job, String reason) throws Exception {
        if (job.jobState() != JobState.QUEUED || reason.equals(job.reason())) return;
        jobs.transition(job.id(), JobState.QUEUED, JobState.QUEUED, Jobs.fit(reason), null, null, null);
    }

    @Override
    public void ended(Job job, JobQueue.Lease lease, Sender.Ended how) throws Exception {
        Optional<JobQueue.Outcome> next;
        if (how instanceof Sender.Ended.Called c) {
            next = Optional.of(called(job, c));
        } else if (how instanceof Sender.Ended.HungUp h) {
            next = hungUp(job, h.confirmed());
        } else if (how instanceof Sender.Ended.Unconvertible u) {
            next = Optional.of(new JobQueue.Outcome(JobState.FAILED, u.why(), null, null, 0));
        } else if (how instanceof Sender.Ended.DatabaseUnavailableBeforeCall) {
            next = Optional.of(new JobQueue.Outcome(JobState.QUEUED, "the database was unavailable before the call; it is sent now that it is back",
                    null, null, null));
        } else if (how instanceof Sender.Ended.NoFreeChannel n) {
            next = Optional.of(new JobQueue.Outcome(JobState.QUEUED, Jobs.fit("waiting for a free channel on line " + n.line() + " (" + n.why() + ")"),
                    null, null, null));
        } else if (how instanceof Sender.Ended.StoppedBeforeCall) {
            next = Optional.of(new JobQueue.Outcome(JobState.QUEUED, "the server stopped before the call; it is sent after the restart", null, null,
                    null));
        } else if (how instanceof Sender.Ended.Crashed c) {
            next = Optional.of(crashed(job, c));
        } else {
            next = Optional.empty(); // cancelled before the call
        }
        if (next.isPresent()) {
            queue.complete(lease, next.get(), clock.millis());
        } else {
            queue.release(lease);
        }
    }

    static CallResult networkError(Throwable cause) {
        return new CallResult(CallOutcome.NETWORK_ERROR, null, 0, cause.getMessage() == null ? cause.toString() : cause.getMessage(), 0, "", 0);
    }

    private JobQueue.Outcome called(Job job, Sender.Ended.Called ended) throws Exception {
        CallResult r = ended.result();
        int attempts = db.tx(c -> Jobs.progress(c, job.id())).attempts() + 1;
        JobQueue.Outcome next = next(job, ended, attempts);
        record(job, ended, attempts, next.reason());
        return next;
    }

    /** The attempt's call for the job's calls ({@code faxlan job ID}); a failure to record costs the record, never the attempt. */
    private void record(Job job, Sender.Ended.Called ended, int attempt, String reason) {
        CallResult r = ended.result();
        JobCalls.Call call = new JobCalls.Call(attempt, ended.started() > 0 ? ended.started() : clock.millis(), clock.millis(), ended.line(),
                ended.plan(), r.media() == null ? null : r.media().setting(), r.mediaWhy(), ended.carrier(), outcome(r.outcome()), r.pages(),
                reason == null ? "" : reason);
        try {
            db.tx(c -> {
                JobCalls.put(c, job.id(), call);
                return null;
            });
        } catch (Exception e) {
            log.warn("job {}: recording attempt {}'s call failed: {}", job.id(), attempt, e.toString());
        }
    }

    /** A call outcome as stored and sent: {@code T30_FAILURE} is {@code t30-failure}. */
    static String outcome(CallOutcome o) {
        return o.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private JobQueue.Outcome next(Job job, Sender.Ended.Called ended, int attempts) throws Exception {
        CallResult r = ended.result();
        String at = ended.carrier().isEmpty() ? "" : " at " + ended.carrier();
        if (r.outcome() == CallOutcome.SUCCESS) {
            String reason = r.pages() + " page(s) sent" + (r.remoteIdent().isBlank() ? "" : " to " + r.remoteIdent()) + at + over(r);
            return new JobQueue.Outcome(JobState.DONE, reason, attempts, null, r.pages(), call(r));
        }
        Optional<Integer> delivered = deliveredAnyway(job);
        if (delivered.isPresent()) {
            return new JobQueue.Outcome(JobState.DONE, Jobs.fit(DELIVERED_UNCONFIRMED + " (" + r.outcome().reason() + ": " + r.detail() + ")"),
                    attempts, null, delivered.get(), call(r));
        }
        String why = r.outcome().reason() + ": " + r.detail() + at + over(r);
        if (r.outcome() == CallOutcome.T30_FAILURE) {
            // The next attempt steps its carrier down one step further (Sender reads the count).
            db.tx(c -> {
                Jobs.t30Failed(c, job.id());
                return null;
            });
        }
        Optional<Long> next = policy.nextAttempt(r.outcome(), attempts, clock.millis(), job.created());
        if (next.isPresent()) {
            String step = r.outcome() != CallOutcome.T30_FAILURE || ended.stepDown() >= 2 ? ""
                    : ended.stepDown() == 0 ? "; the retry steps down to 9,600 bit/s" : "; the retry steps down to 9,600 bit/s without ECM";
            return new JobQueue.Outcome(JobState.RETRY_WAIT, why + step + " (attempt " + attempts + " of " + policy.maxTries() + ")", attempts, next.get(),
                    r.pages(), call(r));
        }
        return new JobQueue.Outcome(JobState.FAILED, r.outcome().retryable() ? why + " (gave up after " + attempts + " attempt(s))" : why, attempts,
                null, r.pages(), call(r));
    }

    /** Why a job whose call failed at the sender's end, after a line of the cluster stored its fax, is done. */
    static final String DELIVERED_UNCONFIRMED = "delivered: the receiving line stored the fax, though its confirmation did not arrive";

    /**
     * Whether a line sharing this database stored the attempt's fax complete although the call failed at the
     * sender's end: the receiver stores before it confirms, so a receiving node killed between the two (or a
     * lost confirmation) leaves the fax delivered and the sender unaware. A failed look costs the check only.
     */
    private Optional<Integer> deliveredAnyway(Job job) {
        try {
            return db.tx(c -> Jobs.deliveredOnLatestAttempt(c, job.id()));
        } catch (Exception e) {
            log.warn("job {}: looking for its fax among the received ones failed: {}", job.id(), e.toString());
            return Optional.empty();
        }
    }

    /** Which media the attempt's call used and why ("over G.711 after T.38 was refused …"), when the line says. */
    private static String over(CallResult r) {
        return r.media() == null || r.mediaWhy().isEmpty() ? "" : " over " + r.mediaWhy();
    }

        /** The call's length for the job map, null when no call was connected (a line that refused, a network error). */
    private static Long call(CallResult r) {
        return r.durationMillis() > 0 ? r.durationMillis() : null;
    }

    /**
     * A call hung up without an outcome. Cancelling the job already recorded its state; any other
     * hang-up (a stop, a lost line) ends the attempt here, or the job would stay 'dialing' for good.
     */
    private Optional<JobQueue.Outcome> hungUp(Job job, int confirmed) throws Exception {
        Job now = db.tx(c -> Jobs.byId(c, job.id())).orElse(null);
        if (now == null || now.jobState() == JobState.CANCELLED) return Optional.empty();
        int attempts = db.tx(c -> Jobs.progress(c, job.id())).attempts() + 1;
        Optional<Integer> delivered = deliveredAnyway(job);
        if (delivered.isPresent()) {
            return Optional.of(new JobQueue.Outcome(JobState.DONE, DELIVERED_UNCONFIRMED + " (the call was hung up)", attempts, null, delivered.get()));
        }
        String why = INTERRUPTED + confirmed + " confirmed page(s)" + (confirmed > 0 ? "; the next attempt sends all pages again" : "");
        Optional<Long> next = policy.nextAttempt(CallOutcome.NETWORK_ERROR, attempts, clock.millis(), job.created());
        if (next.isPresent()) {
            return Optional.of(new JobQueue.Outcome(JobState.RETRY_WAIT, why + " (attempt " + attempts + " of " + policy.maxTries() + ")", attempts,
                    next.get(), confirmed));
        }
        return Optional.of(new JobQueue.Outcome(JobState.FAILED, why + " (gave up after " + attempts + " attempt(s))", attempts, null, confirmed));
    }

    /**
     * An attempt that crashed (a bug, or memory running out): tried once more after the first retry
     * wait, failed on the second crash, so a job that breaks the dispatcher is not tried forever.
     */
    private JobQueue.Outcome crashed(Job job, Sender.Ended.Crashed c) throws Exception {
        int unfinished = db.tx(t -> Jobs.unfinishedAttempts(t, job.id()));
        if (unfinished >= Dispatcher.MAX_UNFINISHED_ATTEMPTS) {
            return new JobQueue.Outcome(JobState.FAILED, c.what() + " failed unexpectedly twice; it is not tried again (" + c.cause() + ")", null, null,
                    null);
        }
        return new JobQueue.Outcome(JobState.RETRY_WAIT, c.what() + " failed unexpectedly; it is tried once more (" + c.cause() + ")", null,
                clock.millis() + policy.firstDelay().toMillis(), null);
    }

    /** Waits for transmissions in progress (for tests and orderly stops); returns whether none is left. */
    boolean awaitIdle(long millis) throws InterruptedException {
        long until = System.currentTimeMillis() + millis;
        while (!inFlight.isEmpty() && System.currentTimeMillis() < until) Thread.sleep(50);
        return inFlight.isEmpty();
    }

    int inFlight() {
        return inFlight.size();
    }

    /** Starts no more attempts. */
    void stopStarting() {
        stopping = true;
    }
}
