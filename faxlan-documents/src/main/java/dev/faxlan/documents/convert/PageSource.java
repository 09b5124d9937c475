package dev.faxlan.documents.convert;

import dev.faxlan.engine.image.BilevelPage;
import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;

/**
 * An opened document that yields fax pages one at a time, so a long document never needs more
 * than one page in memory. The page count is known once the source is open (cover pages and
 * TIFF page numbers need it before the first page is written).
 *
 * <p>A source is used by one thread at a time; to render pages of one document on several threads,
 * each takes its own source from {@link #another()}.
 */
public interface PageSource extends Closeable {

    /** The document as named in messages (its file name). */
    String name();

    /** Pages this document gives, at least 1. */
    int pageCount();

    /**
     * Renders page {@code index} (0-based) for the format the source was opened with.
     *
     * @throws dev.faxlan.documents.DocumentException if the page cannot be rendered
     */
    BilevelPage page(int index) throws IOException;

    /**
     * A second, independent source over the same document (same pages, same output), for another
     * thread; its caller closes it before this one. Empty when the document cannot be opened twice
     * cheaply: its pages are then rendered by one thread at a time.
     */
    default Optional<PageSource> another() throws IOException {
        return Optional.empty();
    }

    @Override
    void close() throws IOException;
}
