package dev.faxlan.server.dispatch;

import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.convert.ConvertOptions;
import dev.faxlan.documents.convert.DocumentConverter;
import dev.faxlan.documents.cover.CoverPage;
import dev.faxlan.documents.cover.CoverTemplateParser;
import dev.faxlan.documents.page.PageSize;
import dev.faxlan.engine.t4.Resolution;
import dev.faxlan.engine.fax.OutgoingPages;
import dev.faxlan.lines.CallOutcome;
import dev.faxlan.lines.CallResult;
import dev.faxlan.server.service.CpiService;
import dev.faxlan.server.service.JobState;
import dev.faxlan.server.spool.Spool;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.JobDetails;
import dev.faxlan.server.storage.Jobs;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends queued jobs: when a job is due and a line with a free channel takes its number, converts its
 * documents (with the cover page) to fax pages, places the call, and records the outcome: done,
 * retry later (busy, no answer, network, T.30 failure) until {@link RetryPolicy#maxTries()}, or
 * failed. Jobs whose number no line takes stay queued, as jobs wait for a free modem. Every state
 * change goes through {@link CpiService#transition}, so each is an event and an alert.
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

        /**
         * Places the call and sends {@code pages}, reading each page when the call codes it; the
         * dispatcher closes them once the returned future completes. Cancelling the future hangs up.
         */
        CompletableFuture<CallResult> send(String number, OutgoingPages pages, CallProgress progress);
    }

    /** What a call tells the dispatcher while it runs. */
    public interface CallProgress {
        /** The receiver answered as a fax machine; to be run once, on a thread that may wait for the database. */
        void sending();

        /** The receiver confirmed {@code pages} pages so far; runs on the call's thread and returns at once. */
        void confirmed(int pages);
    }

    /** Pages one job may have, cover page included, unless configured otherwise. */
    public static final int DEFAULT_MAX_PAGES_PER_JOB = 1000;
    /** Attempts that may crash (or be cut off by a stop) before the job fails instead of being tried again. */
    static final int MAX_UNFINISHED_ATTEMPTS = 2;
    /** Width of {@code jobs.reason}: longer reasons are cut to fit. */
    static final int REASON_MAX = Jobs.REASON_MAX;

    private final Database db;
    private final Spool spool;
    private final CpiService service;
    private final LineChooser lines;
    private final Clock clock;
    private final RetryPolicy policy;
    private final int maxPagesPerJob;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> daemon(r, "dispatch"));
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "dispatch-tick"));
    /** Recipients with a call in progress: never two transmissions to one number at once. */
    private final Set<String> busyNumbers = ConcurrentHashMap.newKeySet();
    private final Map<Long, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
    /** Calls in progress by job, so cancelling a job hangs its call up. */
    private final Map<Long, CompletableFuture<CallResult>> calls = new ConcurrentHashMap<>();
    private final dev.faxlan.server.files.RepeatedLog failures = new dev.faxlan.server.files.RepeatedLog(log, 60_000);
    private volatile boolean stopping;

    public Dispatcher(Database db, Spool spool, CpiService service, LineChooser lines, Clock clock, RetryPolicy policy) {
        this(db, spool, service, lines, clock, policy, DEFAULT_MAX_PAGES_PER_JOB);
    }

    /** @param maxPagesPerJob pages a job may have, cover page included (a longer job fails before its call) */
    public Dispatcher(Database db, Spool spool, CpiService service, LineChooser lines, Clock clock, RetryPolicy policy, int maxPagesPerJob) {
        if (maxPagesPerJob < 1 || maxPagesPerJob > ConvertOptions.MAX_PAGES) {
            throw new IllegalArgumentException("pages per job must be 1 to " + ConvertOptions.MAX_PAGES + ", not " + maxPagesPerJob);
        }
        this.maxPagesPerJob = maxPagesPerJob;
        this.db = db;
        this.spool = spool;
        this.service = service;
        this.lines = lines;
        this.clock = clock;
        this.policy = policy;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Puts jobs interrupted by a stop back in the queue, then looks for due jobs every second. */
    public void start() throws Exception {
        requeueInterrupted();
        ticker.scheduleWithFixedDelay(this::tickSafely, 0, 1, TimeUnit.SECONDS);
    }

    /**
     * Jobs a stopped server left mid-attempt go back to the queue (their call is gone with the old
     * process), unless this was their second such attempt: a job whose conversion kills the server
     * must not do so at every start.
     */
    public int requeueInterrupted() throws Exception {
        for (Jobs.Interrupted j : db.tx(Jobs::interrupted)) {
            if (j.unfinishedAttempts() < MAX_UNFINISHED_ATTEMPTS) continue;
            String docs = documentList(db.tx(c -> Jobs.documentNames(c, j.id())));
            String reason = "the server stopped twice while this job was being converted or sent (" + docs + "); it is not tried again";
            if (service.transition(j.id(), JobState.fromWire(j.state()), JobState.FAILED, fit(reason), null, null, null)) {
                log.warn("job {}: failed after {} attempts cut off by a stop", j.id(), j.unfinishedAttempts());
            }
        }
        int requeued = db.tx(c -> Jobs.requeueInterrupted(c, clock.millis()));
        if (requeued > 0) log.info("{} job(s) interrupted by the last stop are queued again", requeued);
        return requeued;
    }

    /** Looks for due jobs now (after a submit) instead of at the next tick. */
    public void wake() {
        try {
            ticker.execute(this::tickSafely);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
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

    /** Starts a transmission for every due job that has a free line; returns the futures of those started. */
    public synchronized List<CompletableFuture<Void>> tick() throws Exception {
        long now = clock.millis();
        List<Jobs.Job> due = db.tx(c -> Jobs.due(c, now, 100));
        List<CompletableFuture<Void>> started = new ArrayList<>();
        for (Jobs.Job job : due) {
            if (stopping) break;
            if (inFlight.containsKey(job.id())) continue;
            if (busyNumbers.contains(job.recipient())) {
                waiting(job, "waiting for the call in progress to " + job.recipient() + " to end");
                continue;
            }
            Optional<Channel> line;
            try {
                line = lines.lineFor(job.recipient());
            } catch (IllegalArgumentException e) {
                service.transition(job.id(), JobState.fromWire(job.state()), JobState.FAILED, "cannot dial " + job.recipient() + ": " + e.getMessage(),
                        null, null, null);
                continue;
            }
            if (line.isEmpty()) {
                // Submit refuses such numbers; this is a job from before the lines changed, or a forward.
                waiting(job, "no fax line takes " + job.recipient() + "; it waits until one does");
                continue;
            }
            if (line.get().freeChannels() == 0) {
                waiting(job, "waiting for a free channel on line " + line.get().name());
                continue;
            }
            JobState from = JobState.fromWire(job.state());
            if (!service.transition(job.id(), from, JobState.CONVERTING, null, null, null, null)) continue;
            busyNumbers.add(job.recipient());
            Channel ch = line.get();
            // Registered before the attempt starts: a quick attempt would otherwise end (and remove
            // itself) before being put, and its job would look in flight forever.
            CompletableFuture<Void> ended = new CompletableFuture<>();
            inFlight.put(job.id(), ended);
            CompletableFuture.runAsync(() -> transmit(job, ch), workers)
                    .whenComplete((v, e) -> {
                        busyNumbers.remove(job.recipient());
                        inFlight.remove(job.id());
                        if (e != null) log.error("job {}: transmission failed unexpectedly", job.id(), e);
                        ended.complete(null);
                    });
            started.add(ended);
        }
        return started;
    }

    /**
     * A queued job that is due but cannot start says why: the reason is recorded (with its event)
     * when it changes, not at every tick. A job waiting for a retry keeps the reason of its last try.
     */
    private void waiting(Jobs.Job job, String reason) throws Exception {
        if (JobState.fromWire(job.state()) != JobState.QUEUED || reason.equals(job.reason())) return;
        service.transition(job.id(), JobState.QUEUED, JobState.QUEUED, fit(reason), null, null, null);
    }

    private void transmit(Jobs.Job job, Channel line) {
        boolean[] attempt = {false}; // ended; also the lock that orders 'sending' before the attempt's end
        List<String> names = List.of();
        SpooledPages pages = null;
        try {
            names = db.tx(c -> Jobs.documentNames(c, job.id()));
            try {
                pages = convert(job, names);
            } catch (IOException e) {
                attemptFinished(job);
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                service.transition(job.id(), JobState.CONVERTING, JobState.FAILED, fit("the document cannot be faxed: " + clean(why, job, names)), null,
                        null, 0);
                return;
            }
            if (stopping) {
                // Converted, not yet called: the server is stopping, so the job waits for the next start.
                attemptFinished(job);
                service.transition(job.id(), JobState.CONVERTING, JobState.QUEUED, "the server stopped before the call; it is sent after the restart",
                        null, null, null);
                return;
            }
            // A retry after a cut-off call says so: the receiver may hold the first pages already.
            String again = "";
            if (job.reason() != null && job.reason().startsWith(INTERRUPTED)) {
                int cut = firstCut(job.reason());
                again = " again: " + (cut < 0 ? job.reason() : job.reason().substring(0, cut));
            }
            if (!service.transition(job.id(), JobState.CONVERTING, JobState.DIALING, "calling " + job.recipient() + " on line " + line.name() + again,
                    null, null, null)) {
                return;
            }
            int total = pages.count();
            AtomicInteger confirmed = new AtomicInteger();
            CallResult r;
            try {
                CompletableFuture<CallResult> call = line.send(job.recipient(), pages, new CallProgress() {
                    public void sending() {
                        // Under the attempt's lock, and only while it has not ended: 'sending' never lands after 'done'.
                        synchronized (attempt) {
                            if (attempt[0]) return;
                            try {
                                service.transition(job.id(), JobState.DIALING, JobState.SENDING, "sending " + total + " page(s)", null, null, null);
                            } catch (Exception e) {
                                log.warn("job {}: recording 'sending' failed: {}", job.id(), e.toString());
                            }
                        }
                    }

                    public void confirmed(int n) {
                        confirmed.set(n);
                    }
                });
                calls.put(job.id(), call);
                r = call.get();
            } catch (CancellationException e) {
                r = null; // hung up: by a cancel of the job, or by a stop
            } catch (ExecutionException e) {
                r = networkError(e.getCause() != null ? e.getCause() : e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                r = null;
            } catch (RuntimeException e) {
                r = networkError(e); // the line refused the call
            }
            synchronized (attempt) {
                attempt[0] = true;
                attemptFinished(job);
                if (r == null) {
                    interrupted(job, confirmed.get());
                } else {
                    record(job, r);
                }
            }
        } catch (Throwable e) {
            crashed(job, names, e);
        } finally {
            calls.remove(job.id());
            if (pages != null) {
                try {
                    pages.close();
                } catch (IOException e) {
                    log.warn("job {}: removing its converted pages failed: {}", job.id(), e.toString());
                }
            }
        }
    }

    /** Cleared before the outcome is recorded: a stop in between loses one count, never adds a false one. */
    private void attemptFinished(Jobs.Job job) throws Exception {
        db.tx(c -> {
            Jobs.attemptFinished(c, job.id());
            return null;
        });
    }

    private static CallResult networkError(Throwable cause) {
        return new CallResult(CallOutcome.NETWORK_ERROR, null, 0, cause.getMessage() == null ? cause.toString() : cause.getMessage(), 0, "", 0);
    }

    /**
     * A call hung up without an outcome. Cancelling the job already recorded its state; any other
     * hang-up (a stop, a lost line) ends the attempt here, or the job would stay 'dialing' for good.
     */
    private void interrupted(Jobs.Job job, int confirmed) throws Exception {
        Jobs.Job now = db.tx(c -> Jobs.byId(c, job.id())).orElse(null);
        if (now == null || JobState.fromWire(now.state()) == JobState.CANCELLED) return;
        int attempts = db.tx(c -> Jobs.progress(c, job.id())).attempts() + 1;
        String why = INTERRUPTED + confirmed + " confirmed page(s)"
                + (confirmed > 0 ? "; the next attempt sends all pages again" : "");
        Optional<Long> next = policy.nextAttempt(CallOutcome.NETWORK_ERROR, attempts, clock.millis(), job.created());
        if (next.isPresent()) {
            end(job, JobState.RETRY_WAIT, why + " (attempt " + attempts + " of " + policy.maxTries() + ")", attempts, next.get(), confirmed);
        } else {
            end(job, JobState.FAILED, why + " (gave up after " + attempts + " attempt(s))", attempts, null, confirmed);
        }
    }

    /**
     * An attempt that crashed (a bug, or memory running out): tried once more after the first retry
     * wait, failed on the second crash, so a job that breaks the dispatcher is not tried forever.
     */
    private void crashed(Jobs.Job job, List<String> names, Throwable e) {
        log.error("job {}: the attempt failed unexpectedly", job.id(), e);
        try {
            int unfinished = db.tx(c -> Jobs.unfinishedAttempts(c, job.id()));
            String cause = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + clean(e.getMessage(), job, names));
            String what = "converting or sending " + documentList(names) + " failed unexpectedly";
            JobState to;
            String reason;
            Long next = null;
            if (unfinished >= MAX_UNFINISHED_ATTEMPTS) {
                to = JobState.FAILED;
                reason = what + " twice; it is not tried again (" + cause + ")";
            } else {
                to = JobState.RETRY_WAIT;
                next = clock.millis() + policy.firstDelay().toMillis();
                reason = what + "; it is tried once more (" + cause + ")";
            }
            for (JobState from : List.of(JobState.CONVERTING, JobState.DIALING, JobState.SENDING)) {
                if (service.transition(job.id(), from, to, fit(reason), null, next, null)) return;
            }
        } catch (Throwable again) {
            // The job stays where it is; the next start counts this attempt as unfinished.
            log.error("job {}: recording the failed attempt failed too: {}", job.id(), again.toString());
        }
    }

    /** A job was cancelled: hang up its call if one is in progress. */
    public void cancelled(long jobId) {
        CompletableFuture<CallResult> call = calls.get(jobId);
        if (call != null) call.cancel(true);
    }

    private void record(Jobs.Job job, CallResult r) throws Exception {
        int attempts = db.tx(c -> Jobs.progress(c, job.id())).attempts() + 1;
        long now = clock.millis();
        if (r.outcome() == CallOutcome.SUCCESS) {
            String reason = r.pages() + " page(s) sent" + (r.remoteIdent().isBlank() ? "" : " to " + r.remoteIdent());
            end(job, JobState.DONE, reason, attempts, null, r.pages());
            return;
        }
        String why = r.outcome().reason() + ": " + r.detail();
        Optional<Long> next = policy.nextAttempt(r.outcome(), attempts, now, job.created());
        if (next.isPresent()) {
            end(job, JobState.RETRY_WAIT, why + " (attempt " + attempts + " of " + policy.maxTries() + ")", attempts, next.get(), r.pages());
        } else {
            end(job, JobState.FAILED, r.outcome().retryable() ? why + " (gave up after " + attempts + " attempt(s))" : why, attempts, null, r.pages());
        }
    }

    /** The end of an attempt, from 'sending' (the fax began) or 'dialing' (it never did); a cancel in between wins. */
    private void end(Jobs.Job job, JobState to, String reason, int attempts, Long next, int pages) throws Exception {
        if (!service.transition(job.id(), JobState.SENDING, to, reason, attempts, next, pages)) {
            service.transition(job.id(), JobState.DIALING, to, reason, attempts, next, pages);
        }
    }

    /**
     * The job's documents, behind its cover page, converted at its resolution into a TIFF in the
     * spool, to be read back one page at a time.
     */
    private SpooledPages convert(Jobs.Job job, List<String> names) throws IOException {
        List<Path> docs = new ArrayList<>();
        for (String sha : job.documents()) docs.add(spool.document(sha));
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) shown.add(documentName(names, i));
        CoverPage cover = null;
        if (job.cover() != null && !job.cover().isBlank()) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("to_fax", job.recipient());
            fields.put("from", job.owner());
            if (job.subject() != null) fields.put("subject", job.subject());
            String source;
            try {
                source = db.tx(c -> CpiService.coverSource(c, job.userId(), job.cover()));
                fields.putAll(db.tx(c -> JobDetails.coverFields(c, job.id()))); // submit's --field values and the contact's To and Company
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new DocumentException(DocumentException.Reason.BAD_TEMPLATE, "cover page " + job.cover() + ": " + e.getMessage());
            }
            cover = new CoverPage(CoverTemplateParser.parse(job.cover(), source), fields, clock);
        }
        Resolution res = Resolution.parse(job.resolution());
        DocumentConverter converter = new DocumentConverter(ConvertOptions.of(res, PageSize.A4).withMaxPages(maxPagesPerJob));
        Path tiff = spool.newTempFile();
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tiff), 1 << 16)) {
                converter.convert(docs, shown, cover, out);
            }
        } catch (Throwable e) {
            Files.deleteIfExists(tiff);
            throw e;
        }
        return SpooledPages.open(tiff);
    }

    /** The name a document is shown by: its upload name without any directory, or its position. */
    static String documentName(List<String> names, int index) {
        String n = index < names.size() ? names.get(index) : null;
        if (n != null) n = n.substring(Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\')) + 1).replaceAll("\\p{Cntrl}", "").strip();
        return n == null || n.isEmpty() ? "document " + (index + 1) : n;
    }

    private static String documentList(List<String> names) {
        if (names.isEmpty()) return "the cover page";
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) shown.add(documentName(names, i));
        return String.join(", ", shown);
    }

    /** A message for the job's owner: the spool's paths and hashes replaced by the documents' names. */
    private String clean(String message, Jobs.Job job, List<String> names) {
        String m = message;
        for (int i = 0; i < job.documents().size(); i++) {
            String sha = job.documents().get(i);
            Path doc = spool.document(sha);
            m = m.replace(doc.toAbsolutePath().toString(), documentName(names, i)).replace(doc.toString(), documentName(names, i))
                    .replace(sha, documentName(names, i));
        }
        Path docsDir = spool.document("0".repeat(64)).toAbsolutePath().getParent();
        return m.replace(docsDir.getParent().toString(), "the spool").replaceAll("[\\r\\n]+", " ");
    }

    private static final String INTERRUPTED = "the call was interrupted after ";

    /** Where the first clause of a reason ends. */
    private static int firstCut(String reason) {
        int semi = reason.indexOf(';');
        int paren = reason.indexOf(" (");
        if (semi < 0) return paren;
        if (paren < 0) return semi;
        return Math.min(semi, paren);
    }

    /** Cut to the reason column. */
    static String fit(String reason) {
        return Jobs.fit(reason);
    }

    /** Waits for transmissions in progress (for tests and orderly stops); returns whether none is left. */
    public boolean awaitIdle(long millis) throws InterruptedException {
        long until = System.currentTimeMillis() + millis;
        while (!inFlight.isEmpty() && System.currentTimeMillis() < until) Thread.sleep(50);
        return inFlight.isEmpty();
    }

    /** Starts no more calls; calls in progress go on, and record their outcomes. */
    public void stopStarting() {
        stopping = true;
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
        calls.values().forEach(c -> c.cancel(true));
        workers.shutdown();
        try {
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) log.warn("{} call(s) did not record their end in 30 s", inFlight.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
    }
}
