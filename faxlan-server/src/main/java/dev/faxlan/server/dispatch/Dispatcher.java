package dev.faxlan.server.dispatch;

import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.convert.ConvertOptions;
import dev.faxlan.documents.convert.DocumentConverter;
import dev.faxlan.documents.cover.CoverPage;
import dev.faxlan.documents.cover.CoverTemplateParser;
import dev.faxlan.documents.page.PageSize;
import dev.faxlan.documents.page.Resolution;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.tiff.TiffReader;
import dev.faxlan.lines.CallOutcome;
import dev.faxlan.lines.CallResult;
import dev.faxlan.server.service.CpiService;
import dev.faxlan.server.service.JobState;
import dev.faxlan.server.spool.Spool;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.JobDetails;
import dev.faxlan.server.storage.Jobs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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

        /** {@code onSending} is to be run once, on a thread that may wait for the database, when the receiver has answered as a fax machine. */
        CompletableFuture<CallResult> send(String number, List<BilevelPage> pages, Runnable onSending);
    }

    private final Database db;
    private final Spool spool;
    private final CpiService service;
    private final LineChooser lines;
    private final Clock clock;
    private final RetryPolicy policy;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> daemon(r, "dispatch"));
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "dispatch-tick"));
    /** Recipients with a call in progress: never two transmissions to one number at once. */
    private final Set<String> busyNumbers = ConcurrentHashMap.newKeySet();
    private final Map<Long, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
    /** Calls in progress by job, so cancelling a job hangs its call up. */
    private final Map<Long, CompletableFuture<CallResult>> calls = new ConcurrentHashMap<>();

    public Dispatcher(Database db, Spool spool, CpiService service, LineChooser lines, Clock clock, RetryPolicy policy) {
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

    /** Jobs a stopped server left mid-call go back to the queue (their call is gone with the old process). */
    public int requeueInterrupted() throws Exception {
        int requeued = db.tx(c -> Jobs.requeueInterrupted(c, clock.millis()));
        if (requeued > 0) log.info("{} job(s) interrupted by the last stop are queued again", requeued);
        return requeued;
    }

    /** Looks for due jobs now (after a submit) instead of at the next tick. */
    public void wake() {
        ticker.execute(this::tickSafely);
    }

    private void tickSafely() {
        try {
            tick();
        } catch (Exception e) {
            log.warn("dispatching failed: {}", e.toString());
        }
    }

    /** Starts a transmission for every due job that has a free line; returns the futures of those started. */
    public synchronized List<CompletableFuture<Void>> tick() throws Exception {
        long now = clock.millis();
        List<Jobs.Job> due = db.tx(c -> Jobs.due(c, now, 100));
        List<CompletableFuture<Void>> started = new ArrayList<>();
        for (Jobs.Job job : due) {
            if (inFlight.containsKey(job.id()) || busyNumbers.contains(job.recipient())) continue;
            Optional<Channel> line;
            try {
                line = lines.lineFor(job.recipient());
            } catch (IllegalArgumentException e) {
                service.transition(job.id(), JobState.fromWire(job.state()), JobState.FAILED, "cannot dial " + job.recipient() + ": " + e.getMessage(),
                        null, null, null);
                continue;
            }
            if (line.isEmpty() || line.get().freeChannels() == 0) continue;
            JobState from = JobState.fromWire(job.state());
            if (!service.transition(job.id(), from, JobState.CONVERTING, null, null, null, null)) continue;
            busyNumbers.add(job.recipient());
            Channel ch = line.get();
            CompletableFuture<Void> f = CompletableFuture.runAsync(() -> transmit(job, ch), workers)
                    .whenComplete((v, e) -> {
                        busyNumbers.remove(job.recipient());
                        inFlight.remove(job.id());
                        if (e != null) log.error("job {}: transmission failed unexpectedly", job.id(), e);
                    });
            inFlight.put(job.id(), f);
            started.add(f);
        }
        return started;
    }

    private void transmit(Jobs.Job job, Channel line) {
        boolean[] attempt = {false}; // ended; also the lock that orders 'sending' before the attempt's end
        try {
            List<BilevelPage> pages;
            try {
                pages = pages(job);
            } catch (IOException e) {
                service.transition(job.id(), JobState.CONVERTING, JobState.FAILED, "the document cannot be faxed: " + e.getMessage(), null, null, 0);
                return;
            }
            if (!service.transition(job.id(), JobState.CONVERTING, JobState.DIALING, "calling " + job.recipient() + " on line " + line.name(), null,
                    null, null)) {
                return;
            }
            CallResult r;
            try {
                int total = pages.size();
                CompletableFuture<CallResult> call = line.send(job.recipient(), pages, () -> {
                    // Under the attempt's lock, and only while it has not ended: 'sending' never lands after 'done'.
                    synchronized (attempt) {
                        if (attempt[0]) return;
                        try {
                            service.transition(job.id(), JobState.DIALING, JobState.SENDING, "sending " + total + " page(s)", null, null, null);
                        } catch (Exception e) {
                            log.warn("job {}: recording 'sending' failed: {}", job.id(), e.toString());
                        }
                    }
                });
                calls.put(job.id(), call);
                r = call.get();
            } catch (java.util.concurrent.CancellationException e) {
                return; // the job was cancelled and its call hung up; the cancel recorded the state
            } catch (Exception e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                r = new CallResult(CallOutcome.NETWORK_ERROR, null, 0, cause.getMessage() == null ? cause.toString() : cause.getMessage(), 0, "", 0);
            }
            synchronized (attempt) {
                attempt[0] = true;
                record(job, r);
            }
        } catch (Exception e) {
            log.error("job {}: recording its outcome failed", job.id(), e);
        } finally {
            calls.remove(job.id());
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

    /** The job's documents, behind its cover page, as fax pages at its resolution. */
    private List<BilevelPage> pages(Jobs.Job job) throws IOException {
        List<Path> docs = new ArrayList<>();
        for (String sha : job.documents()) docs.add(spool.document(sha));
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
        DocumentConverter converter = new DocumentConverter(ConvertOptions.of(res, PageSize.A4));
        ByteArrayOutputStream tiff = new ByteArrayOutputStream();
        converter.convert(docs, cover, tiff);
        List<BilevelPage> pages = new ArrayList<>();
        try (TiffReader r = TiffReader.of(tiff.toByteArray())) {
            for (int i = 0; i < r.pageCount(); i++) pages.add(r.readPage(i).page());
        }
        if (pages.isEmpty()) throw new DocumentException(DocumentException.Reason.NO_PAGES, "the documents have no pages");
        return pages;
    }

    /** Waits for transmissions in progress (for tests and orderly stops). */
    public void awaitIdle(long millis) throws InterruptedException {
        long until = System.currentTimeMillis() + millis;
        while (!inFlight.isEmpty() && System.currentTimeMillis() < until) Thread.sleep(50);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        workers.shutdownNow();
    }
}
