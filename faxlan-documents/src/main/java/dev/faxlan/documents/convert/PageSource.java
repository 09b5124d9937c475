package dev.faxlan.documents.convert;

import dev.faxlan.engine.image.BilevelPage;
import java.io.Closeable;
import java.io.IOException;

/**
 * An opened document that yields fax pages one at a time, so a long document never needs more
 * than one page in memory. The page count is known once the source is open (cover pages and
 * TIFF page numbers need it before the first page is written).
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

    @Override
    void close() throws IOException;
}
