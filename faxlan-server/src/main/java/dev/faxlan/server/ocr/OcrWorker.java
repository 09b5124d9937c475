package dev.faxlan.server.ocr;

import dev.faxlan.documents.ocr.PageText;
import dev.faxlan.documents.ocr.Tesseract;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.tiff.TiffReader;
import dev.faxlan.server.ServerThreads;
import dev.faxlan.server.core.port.DocumentStore;
import dev.faxlan.server.routing.InboundRouter;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.FaxTexts;
import dev.faxlan.server.storage.ReceivedFaxes;
import dev.faxlan.server.storage.Routes;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads received faxes in the background with tesseract and keeps their text, page by page, for
 * search, content routing and searchable PDFs. It is the inbound store's listener in front of the
 * router: a fax is routed at once unless some routing rule matches on content, and then as soon as
 * its page 1 is read. The queue is a table, so a restart resumes where it stopped (pages already read
 * are kept); at most {@code processes} tesseract processes run at a time, each page within its timeout.
 *
 * <p>In a cluster each fax is read once: a node claims it from the queue with a lease, renewed at each
 * page, so a node that dies mid-fax leaves it to another once the lease expires. The node that
 * received a fax is woken at once and so usually reads it; the others look every minute.
 *
 * <p>Without tesseract every fax is routed at once, nothing is read, and rules on content never match.
 */
public final class OcrWorker implements Consumer<ReceivedFaxes.Fax>, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OcrWorker.class);

    private final Database db;
    private final DocumentStore documents;
    private final Optional<Tesseract> tesseract;
    private final int processes;
    private final Duration pageTimeout;
    private final InboundRouter router;
    private final Clock clock;
    private final Semaphore slots;
    private final Set<Long> reading = ConcurrentHashMap.newKeySet();
    private final Object signal = new Object();
    private final AtomicBoolean contentRulesUnmatchedLogged = new AtomicBoolean();
    private boolean woken;
    /** The owner of this node's claims on the queue: the same at every start, so a restart gives back what it held. */
    private volatile String node = "local";
    private final AtomicLong pagesRead = new AtomicLong();
    private volatile boolean running;
    private Thread feeder;
    private ExecutorService pool;

    /**
     * @param tesseract the OCR program, or empty when it is not installed (or OCR is off)
     * @param processes tesseract processes at most at a time
     * @param pageTimeout how long one page may take before its process is killed (the page then has no text)
     */
    public OcrWorker(Database db, DocumentStore documents, Optional<Tesseract> tesseract, int processes, Duration pageTimeout,
            InboundRouter router, Clock clock) {
        if (processes < 1 || processes > 64) throw new IllegalArgumentException("ocr.processes must be 1 to 64, not " + processes);
        this.db = Objects.requireNonNull(db, "db");
        this.documents = Objects.requireNonNull(documents, "documents");
        this.tesseract = Objects.requireNonNull(tesseract, "tesseract");
        this.processes = processes;
        this.pageTimeout = Objects.requireNonNull(pageTimeout, "pageTimeout");
        this.router = Objects.requireNonNull(router, "router");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.slots = new Semaphore(processes);
    }

    /** Claims faxes from the queue as {@code node} (a cluster's nodes share it); set before {@link #start()}. */
    public void claimAs(String node) {
        this.node = Objects.requireNonNull(node, "node");
    }

    /** Pages this worker read with tesseract since it started. */
    public long pagesRead() {
        return pagesRead.get();
    }

    /** How long a claim lasts unless renewed: a page's timeout, and a minute for storing its text. */
    private long leaseEnd() {
        return clock.millis() + pageTimeout.toMillis() + 60_000;
    }

    /** Gives up this node's claims: faxes it held when it stopped (or died) are read again, here or by another node. */
    private void releaseClaims() {
        try {
            db.tx(c -> FaxTexts.releaseAll(c, node));
        } catch (Exception e) {
            log.warn("cannot give up this node's claims on the OCR queue (other nodes take them when they expire): {}", e.getMessage());
        }
    }

    /** Whether received faxes are read (tesseract is there). */
    public boolean available() {
        return tesseract.isPresent();
    }

    /** Starts reading the queue, what a previous run left first. */
    public synchronized void start() {
        if (tesseract.isEmpty() || running) return;
        running = true;
        releaseClaims();
        pool = Executors.newFixedThreadPool(processes, ServerThreads.daemon("ocr"));
        feeder = ServerThreads.daemon("ocr-queue").newThread(ServerThreads.guarded("ocr-queue", this::feed));
        feeder.start();
    }

    /** A fax was stored: queue it for reading and route it now, or after its page 1 when a rule on content needs that. */
    @Override
    public void accept(ReceivedFaxes.Fax fax) {
        boolean waits = false;
        if (tesseract.isPresent() && fax.sha256() != null) {
            try {
                waits = db.tx(c -> {
                    boolean onContent = Routes.anyOnContent(c);
                    FaxTexts.enqueue(c, fax.id(), onContent, clock.millis());
                    return onContent;
                });
                wake();
            } catch (Exception e) {
                log.warn("received fax {} cannot be queued for OCR, so it is routed without its text: {}", fax.id(), e.getMessage());
            }
        } else if (tesseract.isEmpty() && !contentRulesUnmatchedLogged.get()) {
            try {
                if (db.tx(Routes::anyOnContent) && contentRulesUnmatchedLogged.compareAndSet(false, true)) {
                    log.warn("routing rules on content never match: tesseract is not installed ({}), so received faxes are not read", Tesseract.PACKAGE);
                }
            } catch (Exception e) {
                // only a log line is lost
            }
        }
        if (!waits) router.accept(fax);
    }

    /** Faxes waiting to be read, the one being read included. */
    public long queueLength() throws Exception {
        return db.tx(FaxTexts::queueLength);
    }

    private void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /** Hands queued faxes to the pool, one per free process; sleeps until a fax arrives (or a minute passes) when none is left. */
    private void feed() {
        try {
            while (running) {
                slots.acquire();
                Optional<FaxTexts.Queued> next;
                try {
                    long now = clock.millis();
                    next = db.tx(c -> FaxTexts.claimNext(c, node, now, leaseEnd()));
                } catch (Exception e) {
                    log.warn("cannot read the OCR queue: {}", e.getMessage());
                    next = Optional.empty();
                }
                if (next.isEmpty()) {
                    slots.release();
                    synchronized (signal) {
                        if (!woken) signal.wait(60_000);
                        woken = false;
                    }
                    continue;
                }
                FaxTexts.Queued q = next.get();
                reading.add(q.faxId());
                pool.execute(() -> {
                    try {
                        read(q);
                    } catch (CancellationException e) {
                        // stopping: the fax stays queued
                    } catch (Exception e) {
                        log.warn("OCR of received fax {} failed; it is left without (the rest of) its text", q.faxId(), e);
                        giveUp(q.faxId());
                    } finally {
                        reading.remove(q.faxId());
                        slots.release();
                    }
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads one fax's pages not read yet; routes it after page 1 if it waits for that; takes it off the queue when done. */
    void read(FaxTexts.Queued q) throws Exception {
        long id = q.faxId();
        Optional<ReceivedFaxes.Fax> fax = db.tx(c -> ReceivedFaxes.byId(c, id));
        if (fax.isEmpty() || fax.get().sha256() == null) {
            db.tx(c -> { FaxTexts.dequeue(c, id); return null; });
            return;
        }
        Set<Integer> done = new HashSet<>();
        for (FaxTexts.Page p : db.tx(c -> FaxTexts.pages(c, id))) done.add(p.page());
        boolean routeAfterPage1 = q.routeWhenRead();
        long started = System.nanoTime();
        try (TiffReader tiff = TiffReader.open(documents.document(fax.get().sha256()))) {
            for (int i = 0; i < tiff.pageCount(); i++) {
                if (!running) return; // stopping: the queue row stays, the next start reads on from here
                int page = i + 1;
                if (!done.contains(page)) {
                    if (!db.tx(c -> FaxTexts.renew(c, id, node, leaseEnd()))) {
                        log.warn("received fax {}: another node took over its OCR (this node's lease expired); it stops reading it", id);
                        routeAfterPage1 = false; // the node that holds it now routes it
                        return;
                    }
                    PageText text = readPage(tiff, id, i);
                    pagesRead.incrementAndGet();
                    db.tx(c -> { FaxTexts.putPage(c, id, page, text); return null; });
                }
                if (page == 1 && routeAfterPage1) {
                    route(id);
                    routeAfterPage1 = false;
                }
            }
        } catch (IOException e) {
            log.warn("received fax {} cannot be read for OCR: {}", id, e.getMessage());
        } finally {
            // A fax whose document failed still gets its mailbox: its text never holds it back for good.
            if (routeAfterPage1 && running) route(id);
        }
        if (!running) return; // a page cut short by the stop is read again at the next start
        db.tx(c -> { FaxTexts.dequeue(c, id); return null; });
        log.info("received fax {}: {} pages read by OCR in {} ms", id, fax.get().pages(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** A fax whose reading failed leaves the queue (no retry in a loop), routed if it still waits. */
    private void giveUp(long id) {
        try {
            if (db.tx(c -> FaxTexts.queuedFax(c, id)).map(FaxTexts.Queued::routeWhenRead).orElse(false)) router.routeRead(id, Set.of());
            db.tx(c -> { FaxTexts.dequeue(c, id); return null; });
        } catch (Exception e) {
            log.warn("received fax {} stays in the OCR queue: {}", id, e.getMessage());
        }
    }

    private PageText readPage(TiffReader tiff, long id, int i) {
        BilevelPage page = null;
        try {
            page = tiff.readPage(i).page();
            return tesseract.orElseThrow().read(page, pageTimeout);
        } catch (IOException e) {
            if (!running) throw new CancellationException("stopping");
            log.warn("received fax {} page {} has no text: {}", id, i + 1, e.getMessage());
            return page == null ? PageText.empty(0, 0, 0, 0) : PageText.empty(page.width(), page.height(), page.xRes(), page.yRes());
        }
    }

    private void route(long id) throws Exception {
        List<FaxTexts.Page> pages = db.tx(c -> FaxTexts.pages(c, id));
        Set<String> words = pages.isEmpty() || pages.get(0).page() != 1 ? Set.of() : pages.get(0).text().searchWords();
        router.routeRead(id, words);
    }

    /** Stops reading: tesseract processes running are killed, and their faxes stay queued for the next start. */
    @Override
    public synchronized void close() {
        if (!running) return;
        running = false;
        feeder.interrupt();
        pool.shutdownNow(); // interrupts the readers, which kill their processes
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) log.warn("OCR readers still running 10 s after the stop");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        releaseClaims();
    }
}
