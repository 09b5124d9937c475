package dev.faxlan.server.dispatch;

import dev.faxlan.lines.MediaPolicy;

import dev.faxlan.server.core.job.CallTags;
import dev.faxlan.server.core.job.Job;
import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.convert.ConvertOptions;
import dev.faxlan.documents.convert.DocumentConverter;
import dev.faxlan.documents.cover.CoverPage;
import dev.faxlan.documents.cover.CoverTemplateParser;
import dev.faxlan.documents.page.PageSize;
import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.engine.t4.Resolution;
import dev.faxlan.lines.CallResult;
import dev.faxlan.server.core.cover.CoverService;
import dev.faxlan.server.core.port.BusMessage;
import dev.faxlan.server.core.port.DocumentStore;
import dev.faxlan.server.core.port.EventBus;
import dev.faxlan.server.core.port.JobQueue;
import dev.faxlan.server.core.job.JobService;
import dev.faxlan.server.core.job.JobThumbnails;
import dev.faxlan.server.service.JobState;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.WhileUnavailable;
import dev.faxlan.server.storage.JobDetails;
import dev.faxlan.server.storage.Jobs;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Sends one job at a time per attempt, as HylaFAX's faxsend does for faxq: converts its documents
 * (with the cover page) to fax pages, places the call, and tells the {@link Scheduler} how the
 * attempt ended; what happens next (a retry, a failure) is the scheduler's decision. Hangs up a call
 * when a {@link BusMessage.HangUp} for its job arrives on the event bus.
 */
final class Sender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sender.class);

    /** How an attempt ended, as the sender saw it. */
    sealed interface Ended {
        /**
         * The call ended with an outcome from the line; {@code carrier} as trained, empty if it never was;
         * {@code line}, {@code plan} (the media it started with and why) and {@code started} for the job's calls.
         */
        record Called(CallResult result, String carrier, int stepDown, String line, String plan, long started) implements Ended {
            Called(CallResult result, String carrier, int stepDown) {
                this(result, carrier, stepDown, "", "", 0);
            }
        }

        /** The call was hung up without an outcome (a cancel, a stop, a lost line), after {@code confirmed} pages. */
        record HungUp(int confirmed) implements Ended {}

        /** The documents cannot be faxed; {@code why} names them, not the spool's files. */
        record Unconvertible(String why) implements Ended {}

        /** The job was cancelled before its call was placed. */
        record Cancelled() implements Ended {}

        /**
         * The line had no free channel after all when the call was placed (its answering side still held
         * an ended call): no call was made, so it is no attempt.
         */
        record NoFreeChannel(String line, String why) implements Ended {}

        /** Converted, then the server began stopping before the call was placed. */
        record StoppedBeforeCall() implements Ended {}

        /** The database went away before the call was placed (a restart, a failover): no call was made. */
        record DatabaseUnavailableBeforeCall() implements Ended {}

        /** The attempt failed unexpectedly (a bug, memory running out) while doing {@code what}. */
        record Crashed(String what, String cause) implements Ended {}
    }

    /** Where the sender reports the end of each attempt, under the attempt's lock. */
    interface Outcomes {
        void ended(Job job, JobQueue.Lease lease, Ended how) throws Exception;

        /** The job's documents are converted (or could not be): the attempt moves on to its call, or ends. */
        default void converted(Job job) {}
    }

    private final Database db;
    private final DocumentStore documents;
    private final JobService jobs;
    private final Clock clock;
    private final int maxPagesPerJob;
    private final Outcomes outcomes;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> Dispatcher.daemon(r, "dispatch"));
    /**
     * Calls in progress on this node by job. Node-local: a call lives in this process's line; a cancel
     * reaches it from any node as a {@link BusMessage.HangUp} on the event bus.
     */
    private final Map<Long, CompletableFuture<CallResult>> calls = new ConcurrentHashMap<>();
    private final EventBus.Subscription hangUps;
    private volatile boolean stopping;
    private volatile DestinationMemory media;

    Sender(Database db, DocumentStore documents, JobService jobs, EventBus bus, Clock clock, int maxPagesPerJob, Outcomes outcomes) {
        this.db = db;
        this.documents = documents;
        this.jobs = jobs;
        this.clock = clock;
        this.maxPagesPerJob = maxPagesPerJob;
        this.outcomes = outcomes;
        this.media = new DestinationMemory(db, clock, DestinationMemory.DEFAULT_KEEP);
        this.hangUps = bus.subscribe(m -> {
            if (m instanceof BusMessage.HangUp h) hangUp(h.jobId());
            if (m instanceof BusMessage.Resync) hangUpCancelledLater();
        });
    }

    void mediaMemory(java.time.Duration keep) {
        media = new DestinationMemory(db, clock, keep);
    }

    /** The MDC key of the job an attempt's log lines are about. */
    public static final String JOB_MDC = "job";

    /** Starts an attempt for {@code job} on {@code line} on the sender's threads; the future ends once its end is recorded. */
    CompletableFuture<Void> send(Job job, JobQueue.Lease lease, Dispatcher.Channel line) {
        return CompletableFuture.runAsync(() -> {
            MDC.put(JOB_MDC, Long.toString(job.id())); // every line of the attempt carries its job (JSON logs)
            try {
                transmit(job, lease, line);
            } finally {
                MDC.remove(JOB_MDC);
            }
        }, workers);
    }

    private void hangUp(long jobId) {
        CompletableFuture<CallResult> call = calls.get(jobId);
        if (call != null) call.cancel(true);
    }

    /**
     * A hang-up may have been missed while the bus was cut off: the jobs whose calls this node holds
     * are read again, and those cancelled meanwhile are hung up. On the sender's threads, as the
     * bus's listener must not wait for the database.
     */
    private void hangUpCancelledLater() {
        if (calls.isEmpty()) return;
        try {
            workers.execute(() -> {
                for (Long jobId : List.copyOf(calls.keySet())) {
                    try {
                        Optional<Job> j = db.tx(c -> Jobs.byId(c, jobId));
                        if (j.isPresent() && JobState.fromWire(j.get().state()) == JobState.CANCELLED) hangUp(jobId);
                    } catch (SQLException e) {
                        log.warn("could not read job {} to see whether it was cancelled: {}", jobId, e.toString());
                    }
                }
            });
        } catch (RejectedExecutionException stopping) {
            // stopping: the calls are hung up anyway
        }
    }

    private void transmit(Job job, JobQueue.Lease lease, Dispatcher.Channel line) {
        boolean[] attempt = {false}; // ended; also the lock that orders 'sending' before the attempt's end
        boolean callPlaced = false; // from here on a call may exist: the job must never go back to the queue uncounted
        List<String> names = List.of();
        SpooledPages pages = null;
        try {
            names = db.tx(c -> Jobs.documentNames(c, job.id()));
            try {
                pages = convert(job, names);
            } catch (IOException e) {
                outcomes.converted(job);
                attemptFinished(job);
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                outcomes.ended(job, lease, new Ended.Unconvertible("the document cannot be faxed: " + clean(why, job, names)));
                return;
            }
            outcomes.converted(job);
            if (stopping) {
                attemptFinished(job);
                outcomes.ended(job, lease, new Ended.StoppedBeforeCall());
                return;
            }
            // A retry after a cut-off call says so: the receiver may hold the first pages already.
            String again = "";
            if (job.reason() != null && job.reason().startsWith(Scheduler.INTERRUPTED)) {
                int cut = firstCut(job.reason());
                again = " again: " + (cut < 0 ? job.reason() : job.reason().substring(0, cut));
            }
            // Held in the call's place from before 'dialing' is recorded until the call exists: a hang-up that
            // arrives in between cancels it, and the call is then hung up as soon as it is placed.
            CompletableFuture<CallResult> placing = new CompletableFuture<>();
            calls.put(job.id(), placing);
            // Earlier attempts that failed in T.30 step this one's carrier down (14,400 -> 9,600, then ECM off).
            int stepDown = db.tx(c -> Jobs.t30Failures(c, job.id()));
            String stepped = stepDown <= 0 ? "" : stepDown == 1 ? " at 9,600 bit/s at most (stepped down after a T.30 failure)"
                    : " at 9,600 bit/s at most without ECM (stepped down after " + stepDown + " T.30 failures)";
            // The line's media policy, reordered by what failed on earlier calls to this number.
            DestinationMemory.Plan plan = plan(job, line);
            // Durable before the call: the receiving side's record of the call is found by it after a crash.
            String callTag = CallTags.next();
            if (!jobs.dialing(job.id(), "calling " + job.recipient() + " on line " + line.name() + " " + plan.why() + stepped + again, callTag)) {
                outcomes.ended(job, lease, new Ended.Cancelled());
                return;
            }
            int total = pages.count();
            log.info("job {}: calling on line {}, {} page(s) {}{}{}", job.id(), line.name(), total, plan.why(), stepped, again);
            long started = clock.millis();
            AtomicInteger confirmed = new AtomicInteger();
            java.util.concurrent.atomic.AtomicReference<String> trained = new java.util.concurrent.atomic.AtomicReference<>("");
            java.util.concurrent.atomic.AtomicReference<String> remote = new java.util.concurrent.atomic.AtomicReference<>("");
            CallResult r;
            boolean noChannel = false;
            try {
                callPlaced = true;
                CompletableFuture<CallResult> call = line.send(job.recipient(), pages, stepDown, new Dispatcher.CallProgress() {
                    /** Set under the attempt's lock once 'sending' is recorded. */
                    private boolean sendingRecorded;

                    public void sending(String carrier) {
                        // Again while the database is away: the outcome is recorded from 'sending', and a job
                        // left in 'dialing' would keep its lease unended and be called again when it expired.
                        recordSending(carrier, Scheduler.LEASE.dividedBy(2));
                    }

                    public void negotiated(String carrier) {
                        try {
                            workers.execute(() -> {
                                MDC.put(JOB_MDC, Long.toString(job.id()));
                                try {
                                    sending(carrier);
                                } finally {
                                    MDC.remove(JOB_MDC);
                                }
                            });
                        } catch (RejectedExecutionException stopping) {
                            // stopping: the call is hung up and its end recorded as such
                        }
                    }

                    /** Under the attempt's lock, once, and only while it has not ended: 'sending' never lands after 'done'. */
                    private void recordSending(String carrier, java.time.Duration whileUnavailable) {
                        if (carrier != null && !carrier.isEmpty()) trained.set(carrier);
                        synchronized (attempt) {
                            if (attempt[0] || sendingRecorded) return;
                            try {
                                WhileUnavailable.retry(log, "job " + job.id() + "'s 'sending'", whileUnavailable, () ->
                                        jobs.transition(job.id(), JobState.DIALING, JobState.SENDING,
                                                "sending " + total + " page(s)" + (trained.get().isEmpty() ? "" : " at " + trained.get()), null, null, null));
                                sendingRecorded = true;
                            } catch (Exception e) {
                                log.warn("job {}: recording 'sending' failed: {}", job.id(), e.toString());
                            }
                        }
                    }

                    public void confirmed(int n) {
                        confirmed.set(n);
                    }

                    public void answeredBy(String ident) {
                        remote.set(ident);
                    }

                    public String callTag() {
                        return callTag;
                    }

                    /**
                     * Done now, durably, before the DCN: a crash after the receiver's confirmation must not send
                     * the fax again. A database that does not answer within DONE_AT_CONFIRMATION leaves it to the
                     * call's end, as before.
                     */
                    public void lastPageConfirmed(int n, String carrier) {
                        confirmed.set(n);
                        // On a page worker of the line, not the attempt's thread: its lines carry the job too.
                        String outer = MDC.get(JOB_MDC);
                        MDC.put(JOB_MDC, Long.toString(job.id()));
                        try {
                            // A short fax can be confirmed before the line's 'sending' arrived: its events stay in order.
                            recordSending(carrier, DONE_AT_CONFIRMATION);
                            doneAtConfirmation(n);
                        } finally {
                            if (outer == null) MDC.remove(JOB_MDC);
                            else MDC.put(JOB_MDC, outer);
                        }
                    }

                    private void doneAtConfirmation(int n) {
                        synchronized (attempt) {
                            if (attempt[0]) return;
                            // Only T.38 calls confirm their last page before they end (audio calls are recorded at their end):
                            // the media is T.38, and why as the line says it of a first call, or of T.38 after audio.
                            MediaPolicy p = plan.policy();
                            dev.faxlan.lines.Media t38 = dev.faxlan.lines.Media.T38;
                            String why = t38.shown() + (p.first() == t38 ? "" : " after " + t38.other().shown()) + " (policy " + p.setting() + ")";
                            CallResult delivered = new CallResult(dev.faxlan.lines.CallOutcome.SUCCESS, FaxResult.OK, 200, FaxResult.OK.reason(), n, remote.get(),
                                    clock.millis() - started, t38, why);
                            try {
                                WhileUnavailable.retry(log, "job " + job.id() + "'s 'done'", DONE_AT_CONFIRMATION, () -> {
                                    attemptFinished(job);
                                    outcomes.ended(job, lease, new Ended.Called(delivered, trained.get(), stepDown, line.name(), plan.why() + stepped, started));
                                    return null;
                                });
                                attempt[0] = true;
                                log.info("job {}: the receiver confirmed the last page; done", job.id());
                            } catch (Exception e) {
                                log.warn("job {}: recording 'done' at the last page's confirmation failed ({}); recorded when the call ends", job.id(),
                                        e.toString());
                            }
                        }
                    }
                }, plan.policy());
                calls.put(job.id(), call);
                if (placing.isCancelled()) call.cancel(true);
                r = call.get();
            } catch (CancellationException e) {
                r = null; // hung up: by a cancel of the job, or by a stop
            } catch (ExecutionException e) {
                r = Scheduler.networkError(e.getCause() != null ? e.getCause() : e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                r = null;
            } catch (dev.faxlan.lines.NoFreeChannelException e) {
                r = Scheduler.networkError(e); // every channel in use, by the line's own count: no call was placed
                noChannel = true;
            } catch (RuntimeException e) {
                r = Scheduler.networkError(e); // the line refused the call
            }
            if (r != null) remember(job, plan, r);
            if (r == null) log.info("job {}: the call was hung up after {} confirmed page(s)", job.id(), confirmed.get());
            else log.info("job {}: the call ended: {} ({}), {} page(s) confirmed", job.id(), r.outcome().name().toLowerCase(java.util.Locale.ROOT),
                    r.outcome().reason(), r.pages());
            Ended how = noChannel ? new Ended.NoFreeChannel(line.name(), r.detail()) : r == null ? new Ended.HungUp(confirmed.get()) : new Ended.Called(r, trained.get(), stepDown, line.name(), plan.why() + stepped,
                    started);
            synchronized (attempt) {
                if (attempt[0]) {
                    // Done at the last page's confirmation: however the call ended after it, the fax was delivered.
                    return;
                }
                attempt[0] = true;
                // The call happened: a job whose end is not recorded would be called again once its lease expired.
                WhileUnavailable.retry(log, "job " + job.id() + "'s outcome", Scheduler.LEASE.dividedBy(2), () -> {
                    attemptFinished(job);
                    outcomes.ended(job, lease, how);
                    return null;
                });
            }
        } catch (Throwable e) {
            if (!callPlaced && Database.isUnavailable(e)) {
                // Not a crash of the attempt: it goes back to the queue, uncounted, once the database is back.
                log.warn("job {}: the database became unavailable before the call; the job is queued again: {}", job.id(), e.toString());
                try {
                    WhileUnavailable.retry(log, "job " + job.id() + "'s return to the queue", Scheduler.LEASE.dividedBy(2), () -> {
                        attemptFinished(job);
                        outcomes.ended(job, lease, new Ended.DatabaseUnavailableBeforeCall());
                        return null;
                    });
                } catch (Throwable again) {
                    // Its lease expires and another tick (of any node) queues it again.
                    log.warn("job {}: queuing it again failed: {}", job.id(), again.toString());
                }
                return;
            }
            log.error("job {}: the attempt failed unexpectedly", job.id(), e);
            String cause = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + clean(e.getMessage(), job, names));
            try {
                outcomes.ended(job, lease, new Ended.Crashed("converting or sending " + documentList(names), cause));
            } catch (Throwable again) {
                // The job stays where it is; the next start counts this attempt as unfinished.
                log.error("job {}: recording the failed attempt failed too: {}", job.id(), again.toString());
            }
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

    private DestinationMemory.Plan plan(Job job, Dispatcher.Channel line) {
        MediaPolicy configured = line.policyFor(job.recipient());
        try {
            return media.plan(job.recipient(), configured);
        } catch (SQLException | RuntimeException e) {
            // A memory that cannot be read costs a fallback, never the attempt.
            log.warn("job {}: reading the media memory of {} failed: {}", job.id(), job.recipient(), e.toString());
            return new DestinationMemory.Plan(configured, "(policy " + configured.setting() + ")");
        }
    }

    /**
     * What the attempt taught about the number's media: the first media failed when the call ended on
     * the other one, or when its own call failed on it; media that delivered works again.
     */
    private void remember(Job job, DestinationMemory.Plan plan, CallResult r) {
        try {
            if (r.media() == null) return;
            if (r.media() != plan.first()) media.failed(job.recipient(), plan.first(), r.mediaWhy());
            else r.mediaFailure().ifPresent(why -> failedQuietly(job, r.media(), r.media().shown() + " " + why));
            if (r.outcome() == dev.faxlan.lines.CallOutcome.SUCCESS) media.delivered(job.recipient(), r.media());
        } catch (SQLException | RuntimeException e) {
            log.warn("job {}: recording the media memory of {} failed: {}", job.id(), job.recipient(), e.toString());
        }
    }

    private void failedQuietly(Job job, dev.faxlan.lines.Media m, String why) {
        try {
            media.failed(job.recipient(), m, why);
        } catch (SQLException e) {
            log.warn("job {}: recording the media memory of {} failed: {}", job.id(), job.recipient(), e.toString());
        }
    }

    /** How long the 'done' at the last page's confirmation waits for an unavailable database (it holds a page worker). */
    static final java.time.Duration DONE_AT_CONFIRMATION = java.time.Duration.ofSeconds(2);

    private void attemptFinished(Job job) throws Exception {
        db.tx(c -> {
            Jobs.attemptFinished(c, job.id());
            return null;
        });
    }

    /**
     * The job's documents, behind its cover page, converted at its resolution into a TIFF in the
     * spool, to be read back one page at a time.
     */
    private SpooledPages convert(Job job, List<String> names) throws IOException {
        List<Path> docs = new ArrayList<>();
        for (String sha : job.documents()) docs.add(documents.document(sha));
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) shown.add(documentName(names, i));
        CoverPage cover = null;
        if (job.cover() != null && !job.cover().isBlank()) {
            Map<String, String> fields;
            String source;
            try {
                source = db.tx(c -> CoverService.source(c, job.userId(), job.cover()));
                // submit's --field values and the contact's To and Company, after the job's own
                fields = JobThumbnails.coverFields(job, db.tx(c -> JobDetails.coverFields(c, job.id())));
            } catch (SQLException | RuntimeException e) {
                throw new DocumentException(DocumentException.Reason.BAD_TEMPLATE, "cover page " + job.cover() + ": " + e.getMessage());
            }
            cover = new CoverPage(CoverTemplateParser.parse(job.cover(), source), fields, clock);
        }
        Resolution res = Resolution.parse(job.resolution());
        DocumentConverter converter = new DocumentConverter(ConvertOptions.of(res, PageSize.A4).withMaxPages(maxPagesPerJob));
        Path tiff = documents.newTempFile();
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

    static String documentList(List<String> names) {
        if (names.isEmpty()) return "the cover page";
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) shown.add(documentName(names, i));
        return String.join(", ", shown);
    }

    /** A message for the job's owner: the spool's paths and hashes replaced by the documents' names. */
    private String clean(String message, Job job, List<String> names) {
        String m = message;
        for (int i = 0; i < job.documents().size(); i++) {
            String sha = job.documents().get(i);
            Path doc = documents.document(sha);
            m = m.replace(doc.toAbsolutePath().toString(), documentName(names, i)).replace(doc.toString(), documentName(names, i))
                    .replace(sha, documentName(names, i));
        }
        Path docsDir = documents.document("0".repeat(64)).toAbsolutePath().getParent();
        return m.replace(docsDir.getParent().toString(), "the spool").replaceAll("[\\r\\n]+", " ");
    }

    /** Where the first clause of a reason ends. */
    private static int firstCut(String reason) {
        int semi = reason.indexOf(';');
        int paren = reason.indexOf(" (");
        if (semi < 0) return paren;
        if (paren < 0) return semi;
        return Math.min(semi, paren);
    }

    /** Places no more calls: an attempt converted from now on goes back to the queue. */
    void stopStarting() {
        stopping = true;
    }

    /** Hangs up every call in progress and waits (up to 30 s) until each attempt has recorded its end. */
    @Override
    public void close() {
        stopStarting();
        calls.values().forEach(c -> c.cancel(true));
        workers.shutdown();
        try {
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) log.warn("{} call(s) did not record their end in 30 s", calls.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
        hangUps.close();
    }
}
