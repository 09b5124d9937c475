package dev.faxlan.server.dispatch;

import dev.faxlan.documents.convert.ConvertOptions;
import dev.faxlan.engine.fax.OutgoingPages;
import dev.faxlan.lines.CallResult;
import dev.faxlan.lines.MediaPolicy;
import dev.faxlan.server.core.port.BusMessage;
import dev.faxlan.server.core.port.DocumentStore;
import dev.faxlan.server.core.port.EventBus;
import dev.faxlan.server.core.port.JobQueue;
import dev.faxlan.server.events.InProcessEventBus;
import dev.faxlan.server.files.RepeatedLog;
import dev.faxlan.server.core.Notifications;
import dev.faxlan.server.core.job.JobService;
import dev.faxlan.server.service.JobEvents;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.JdbcJobQueue;
import dev.faxlan.server.storage.Jobs;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends queued jobs: a {@link Scheduler} takes due jobs from the {@link JobQueue} and decides what
 * follows each attempt, a {@link Sender} converts, calls and reports how the attempt ended. Every
 * state change is an event and an alert. This class runs the two on one node: the ticks, the
 * start and the stop.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    /** Where a number is sent: the production one wraps the server's {@code Lines}. */
    public interface LineChooser {
        Optional<Channel> lineFor(String number);
    }

    /** One line as the dispatcher sees it. */
    public interface Channel {
        String name();

        int freeChannels();

        /** All the line's channels: attempts still converting count against them before their call starts. */
        default int channels() {
            return Integer.MAX_VALUE;
        }

        /**
         * Places the call and sends {@code pages}, reading each page when the call codes it; the
         * dispatcher closes them once the returned future completes. Cancelling the future hangs up.
         *
         * @param stepDown earlier attempts of the job that failed in T.30: the call steps its carrier
         *     down by as many steps ({@code FaxOptions.steppedDown}: 14,400 -> 9,600 bit/s, then ECM off)
         */
        CompletableFuture<CallResult> send(String number, OutgoingPages pages, int stepDown, CallProgress progress);

        /** The line's media policy ({@code line.<name>.policy}): what its calls offer unless the number's memory reorders it. */
        default MediaPolicy policy() {
            return MediaPolicy.T38;
        }

        /**
         * The policy a call to {@code number} runs under before any memory of the number: the policy of the
         * line's route that covers it ({@code line.<name>.route-policy}), else the line's.
         */
        default MediaPolicy policyFor(String number) {
            return policy();
        }

        /** As {@link #send(String, OutgoingPages, int, CallProgress)}, under {@code policy} instead of the line's. */
        default CompletableFuture<CallResult> send(String number, OutgoingPages pages, int stepDown, CallProgress progress, MediaPolicy policy) {
            return send(number, pages, stepDown, progress);
        }
    }

    /** What a call tells the dispatcher while it runs. */
    public interface CallProgress {
        /**
         * The receiver answered as a fax machine and the modems trained at {@code carrier} (for people,
         * e.g. "9,600 bit/s V.29, ECM"; empty when unknown); to be run once, on a thread that may wait
         * for the database.
         */
        void sending(String carrier);

        /**
         * {@link #sending} from the call's thread, which must not wait: returns at once and records it on
         * other threads. The common pool is no place for it: on two cores it has one thread, and whatever
         * else waits there delays the 'sending' (a short fax was confirmed before it ran).
         */
        default void negotiated(String carrier) {
            daemon(() -> sending(carrier), "fax-sending").start();
        }

        /** The receiver confirmed {@code pages} pages so far; runs on the call's thread and returns at once. */
        void confirmed(int pages);

        /**
         * The receiver confirmed the last page ({@code pages} in all): the fax is delivered whatever happens
         * to the call now; {@code carrier} as in {@link #sending}, which may not have run yet. Runs before the
         * call's DCN, on a thread that may wait for the database briefly.
         */
        default void lastPageConfirmed(int pages, String carrier) {}

        /** The receiver identified itself as {@code ident} (its CSI; "" when it gave none); runs on the call's thread and returns at once. */
        default void answeredBy(String ident) {}

        /**
         * What the attempt's calls' SIP Call-IDs begin with (letters and digits), recorded with the job before
         * the call: a receiver of the cluster records the Call-ID, so a job whose node died after the fax was
         * stored is found delivered. Null: the line's own Call-IDs.
         */
        default String callTag() {
            return null;
        }
    }

    /** Pages one job may have, cover page included, unless configured otherwise. */
    public static final int DEFAULT_MAX_PAGES_PER_JOB = 1000;
    /** Attempts that may crash (an exception in the dispatcher) before the job fails instead of being tried again. */
    static final int MAX_UNFINISHED_ATTEMPTS = 2;
    /**
     * Conversions of one job that stops of its node may cut off before it fails, the first of them among
     * other jobs' and the rest while it converts alone: a document that kills the server costs this many
     * restarts, while a job whose conversions random kills (an operator, the kernel's OOM killer, a lost
     * machine) hit stays queued unless they hit it alone three times running.
     */
    static final int MAX_CUT_OFF_CONVERSIONS = 4;
    /** Width of {@code jobs.reason}: longer reasons are cut to fit. */
    static final int REASON_MAX = Jobs.REASON_MAX;
    /** The owner of this node's leases when the server names none. */
    public static final String LOCAL_NODE = "local";

    private final EventBus bus;
    private final Scheduler scheduler;
    private final Sender sender;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "dispatch-tick"));
    private final RepeatedLog failures = new RepeatedLog(log, 60_000);

    public Dispatcher(Database db, DocumentStore documents, JobService jobs, LineChooser lines, Clock clock, RetryPolicy policy) {
        this(db, documents, jobs, lines, clock, policy, DEFAULT_MAX_PAGES_PER_JOB);
    }

    /** On its own in-process event bus, which tells the service's alert subscribers of each change. */
    public Dispatcher(Database db, DocumentStore documents, JobService jobs, LineChooser lines, Clock clock, RetryPolicy policy,
            int maxPagesPerJob) {
        this(db, documents, jobs, lines, clock, policy, maxPagesPerJob, alerting(new InProcessEventBus(), jobs.notifications()), LOCAL_NODE);
    }

    private Dispatcher(Database db, DocumentStore documents, JobService jobs, LineChooser lines, Clock clock, RetryPolicy policy,
            int maxPagesPerJob, EventBus bus, String node) {
        this(new JdbcJobQueue(db, JobEvents::append, bus), bus, node, db, documents, jobs, lines, clock, policy, maxPagesPerJob);
    }

    /**
     * @param node the owner of this node's leases: the same at every start, so a restarted node
     *     takes back at once what it held when it stopped
     * @param maxPagesPerJob pages a job may have, cover page included (a longer job fails before its call)
     */
    public Dispatcher(JobQueue queue, EventBus bus, String node, Database db, DocumentStore documents, JobService jobs, LineChooser lines,
            Clock clock, RetryPolicy policy, int maxPagesPerJob) {
        if (maxPagesPerJob < 1 || maxPagesPerJob > ConvertOptions.MAX_PAGES) {
            throw new IllegalArgumentException("pages per job must be 1 to " + ConvertOptions.MAX_PAGES + ", not " + maxPagesPerJob);
        }
        this.bus = bus;
        this.scheduler = new Scheduler(queue, node, db, jobs, lines, clock, policy);
        this.sender = new Sender(db, documents, jobs, bus, clock, maxPagesPerJob, scheduler);
        scheduler.sendWith(sender);
    }

    /**
     * {@code bus}, with the service's alert subscribers told of each user's news on it (a job changed,
     * a fax arrived, the core appended an event), and the core's news published on it.
     */
    public static EventBus alerting(EventBus bus, Notifications notifications) {
        notifications.publishOn(bus);
        return bus;
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** How often a node looks for jobs of nodes whose leases expired (a node that died mid-call). */
    public static final Duration RECOVERY_EVERY = Duration.ofSeconds(5);

    /**
     * Puts jobs interrupted by a stop back in the queue, then looks for due jobs every second, and
     * every {@link #RECOVERY_EVERY} for jobs of nodes whose leases expired.
     */
    public void start() throws Exception {
        scheduler.requeueInterrupted(true);
        ticker.scheduleWithFixedDelay(this::tickSafely, 0, 1, TimeUnit.SECONDS);
        ticker.scheduleWithFixedDelay(this::recoverSafely, RECOVERY_EVERY.toMillis(), RECOVERY_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** How long a claim lasts unless renewed: a dead node's jobs are taken over after it. */
    public static Duration lease() {
        return Scheduler.LEASE;
    }

    /**
     * Jobs a stopped server left mid-attempt go back to the queue (their call is gone with the old
     * process), unless this was their second such attempt: a job whose conversion kills the server
     * must not do so at every start.
     */
    public int requeueInterrupted() throws Exception {
        return scheduler.requeueInterrupted(true);
    }

    /**
     * How long a number whose calls failed on one media starts with the other (zero: not at all);
     * {@link DestinationMemory#DEFAULT_KEEP} unless set. Set before {@link #start()}.
     */
    public void mediaMemory(Duration keep) {
        sender.mediaMemory(keep);
    }

        /** Looks for due jobs now (after a submit) instead of at the next tick. */
    public void wake() {
        try {
            ticker.execute(this::tickSafely);
        } catch (RejectedExecutionException stopping) {
            // stopping: the job is sent after the restart
        }
    }

    private void tickSafely() {
        try {
            tick();
        } catch (Exception e) {
            failures.error("tick", "dispatching failed: " + e, null); // as before: the message only, now once a minute
        }
    }

    private void recoverSafely() {
        try {
            scheduler.requeueInterrupted(false);
        } catch (Exception e) {
            failures.error("recover", "requeueing the jobs of expired leases failed: " + e, null);
        }
    }

    /** Starts a transmission for every due job that has a free line; returns the futures of those started. */
    public List<CompletableFuture<Void>> tick() throws Exception {
        return scheduler.tick();
    }

    /** A job was cancelled: the node holding its call, if any, hangs up. */
    public void cancelled(long jobId) {
        bus.publish(new BusMessage.HangUp(jobId));
    }

    /** Cut to the reason column. */
    static String fit(String reason) {
        return Jobs.fit(reason);
    }

    /** Waits for transmissions in progress (for tests and orderly stops); returns whether none is left. */
    public boolean awaitIdle(long millis) throws InterruptedException {
        return scheduler.awaitIdle(millis);
    }

    /** Starts no more calls; calls in progress go on, and record their outcomes. */
    public void stopStarting() {
        scheduler.stopStarting();
        sender.stopStarting();
        ticker.shutdown();
    }

    /**
     * Starts no more calls, hangs up those still in progress and waits (up to 30 s) until each has
     * recorded how it ended, with the pages confirmed: the database must outlive this.
     */
    @Override
    public void close() {
        stopStarting();
        ticker.shutdownNow();
        sender.close();
    }
}
