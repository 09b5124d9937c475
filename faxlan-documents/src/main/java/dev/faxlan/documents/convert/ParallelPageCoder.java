package dev.faxlan.documents.convert;

import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.tiff.TiffWriteOptions;
import dev.faxlan.engine.tiff.TiffWriter;
import dev.faxlan.engine.tiff.TiffWriter.CodedPage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders and codes the pages of opened documents on several threads and hands them to a
 * {@link TiffWriter} in document order.
 *
 * <p>Memory stays bounded by a window: a worker takes the next page only while fewer than
 * {@code window} pages are taken and not yet written, so at most {@code workers} pages are being
 * rendered (one each) and fewer than {@code window} coded pages wait for the pages before them.
 *
 * <p>Each worker renders from its own {@link PageSource#another() copy} of each document (the first
 * worker from the originals); a document that has no copy is rendered by one worker at a time, and
 * only its coding runs in parallel. The first page that fails stops the workers from taking more,
 * and the writer, having written the pages before it, throws that page's exception: the same one
 * a conversion on one thread would have thrown.
 */
final class ParallelPageCoder {

    private static final Logger log = LoggerFactory.getLogger(ParallelPageCoder.class);

    private final List<PageSource> sources;
    private final int[] firstPage; // global index of each source's first page
    private final int total;
    private final int workers;
    private final int window;
    private final TiffWriteOptions options;

    private final Semaphore free;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final CodedPage[] coded;
    private final Throwable[] failures;
    private int nextToTake;
    private int written;
    private int mostHeld;
    private volatile boolean stopped;

    ParallelPageCoder(List<PageSource> sources, int workers, int window, TiffWriteOptions options) {
        if (workers < 1 || window < workers) {
            throw new IllegalArgumentException("need at least one worker and a window of at least one page each: "
                    + workers + " workers, window " + window);
        }
        this.sources = List.copyOf(sources);
        this.firstPage = new int[sources.size()];
        int n = 0;
        for (int s = 0; s < sources.size(); s++) {
            firstPage[s] = n;
            n += sources.get(s).pageCount();
        }
        this.total = n;
        this.workers = Math.min(workers, Math.max(1, n));
        this.window = window;
        this.options = options;
        this.free = new Semaphore(window);
        this.coded = new CodedPage[n];
        this.failures = new Throwable[n];
    }

    /**
     * Renders every page of every source and writes them in order to {@code w}; returns once all are
     * written and every worker has ended, or throws the first failing page's exception.
     */
    void writeAll(TiffWriter w) throws IOException {
        List<Thread> threads = new ArrayList<>();
        try {
            for (int k = 0; k < workers; k++) {
                int worker = k;
                Thread t = new Thread(() -> work(worker), "faxlan-render-" + (k + 1));
                t.setDaemon(true); // a signal that ends the process need not wait for a page
                threads.add(t);
                t.start();
            }
            for (int i = 0; i < total; i++) {
                w.writePage(awaitPage(i));
                lock.lock();
                try {
                    coded[i] = null;
                    written++;
                } finally {
                    lock.unlock();
                }
                free.release();
            }
        } finally {
            stopped = true;
            threads.forEach(Thread::interrupt); // ends workers waiting for room in the window
            joinAll(threads);
        }
    }

    /** Most pages taken by workers and not yet written at any one time (at most the window). */
    int mostHeld() {
        lock.lock();
        try {
            return mostHeld;
        } finally {
            lock.unlock();
        }
    }

    private CodedPage awaitPage(int i) throws IOException {
        lock.lock();
        try {
            while (coded[i] == null && failures[i] == null) {
                arrived.await();
            }
            if (failures[i] != null) {
                throw rethrow(failures[i]);
            }
            return coded[i];
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("conversion interrupted at page " + (i + 1) + " of " + total);
        } finally {
            lock.unlock();
        }
    }

    private void work(int worker) {
        PageSource[] own = new PageSource[sources.size()];
        try {
            while (!stopped) {
                free.acquire();
                int i;
                lock.lock();
                try {
                    if (stopped || nextToTake >= total) {
                        free.release();
                        return;
                    }
                    i = nextToTake++;
                    mostHeld = Math.max(mostHeld, nextToTake - written);
                } finally {
                    lock.unlock();
                }
                CodedPage page;
                try {
                    page = render(worker, own, i);
                } catch (Throwable e) {
                    fail(i, e);
                    return;
                }
                lock.lock();
                try {
                    coded[i] = page;
                    arrived.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            // stopped: the writer is done or has failed
        } finally {
            closeCopies(own, own.length);
        }
    }

    /** Closes this worker's copies of the sources before {@code end}: with them goes each one's page canvas. */
    private void closeCopies(PageSource[] own, int end) {
        for (int s = 0; s < end; s++) {
            if (own[s] != null && own[s] != sources.get(s)) {
                try {
                    own[s].close();
                } catch (IOException e) {
                    log.debug("closing a copy of {}: {}", own[s].name(), e.toString());
                }
                own[s] = null;
            }
        }
    }

    private CodedPage render(int worker, PageSource[] own, int i) throws IOException {
        int s = sourceOf(i);
        PageSource original = sources.get(s);
        if (own[s] == null) {
            // Pages are taken in order, so this worker is done with the documents before this one.
            closeCopies(own, s);
            Optional<PageSource> copy = worker == 0 ? Optional.empty() : original.another();
            own[s] = copy.orElse(original);
        }
        BilevelPage page;
        if (own[s] == original) {
            // Shared by the workers that have no copy of it; uncontended when it has copies.
            synchronized (original) {
                page = original.page(i - firstPage[s]);
            }
        } else {
            page = own[s].page(i - firstPage[s]);
        }
        return TiffWriter.code(page, options);
    }

    private void fail(int i, Throwable e) {
        stopped = true;
        lock.lock();
        try {
            failures[i] = e;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private int sourceOf(int i) {
        // Every source has a page, so the starts are distinct.
        int s = java.util.Arrays.binarySearch(firstPage, i);
        return s >= 0 ? s : -s - 2;
    }

    private static IOException rethrow(Throwable e) {
        if (e instanceof IOException io) {
            return io;
        }
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return new IOException(e);
    }

    /** Waits for every worker to end: each finishes at most the page it is on, which a source may not interrupt. */
    private static void joinAll(List<Thread> threads) {
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
