package dev.faxlan.lines;

import dev.faxlan.engine.t4.DecodeResult;
import java.io.IOException;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;

/**
 * The pages of one incoming fax, stored as they arrive (by {@link InboundFaxSink#newPages()}), so a
 * call holds no more than the page being received; read back as a list. A fax has at most {@link
 * #maxPages()} pages: the call that sends one more is hung up, and the pages before it are kept.
 */
public abstract class ReceivedPages extends AbstractList<DecodeResult> {
    private final int maxPages;
    private int count;
    private long badLines;
    private boolean limitReached;

    protected ReceivedPages(int maxPages) {
        if (maxPages < 1) throw new IllegalArgumentException("a fax must be allowed at least 1 page, not " + maxPages);
        this.maxPages = maxPages;
    }

    /**
     * Stores the next page of the fax.
     *
     * @return false, storing nothing, when the fax already has {@link #maxPages()} pages
     */
    public final synchronized boolean store(DecodeResult page) throws IOException {
        if (count >= maxPages) {
            limitReached = true;
            return false;
        }
        write(page, count);
        count++;
        badLines += page.badLineCount();
        return true;
    }

    /** Writes page {@code index} (0-based) where it is kept. */
    protected abstract void write(DecodeResult page, int index) throws IOException;

    /** Reads page {@code index} back. */
    protected abstract DecodeResult read(int index) throws IOException;

    public int maxPages() {
        return maxPages;
    }

    /** True if the sender tried to send more than {@link #maxPages()} pages. */
    public synchronized boolean limitReached() {
        return limitReached;
    }

    /** Bad lines of all pages stored, without reading them back. */
    public synchronized long badLines() {
        return badLines;
    }

    @Override
    public synchronized int size() {
        return count;
    }

    @Override
    public DecodeResult get(int index) {
        if (index < 0 || index >= size()) throw new IndexOutOfBoundsException(index);
        try {
            return read(index);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Pages kept in memory: for sinks that store a fax whole, and for tests. */
    public static ReceivedPages inMemory(int maxPages) {
        return new ReceivedPages(maxPages) {
            private final List<DecodeResult> pages = new ArrayList<>();

            @Override
            protected synchronized void write(DecodeResult page, int index) {
                pages.add(page);
            }

            @Override
            protected synchronized DecodeResult read(int index) {
                return pages.get(index);
            }
        };
    }
}
