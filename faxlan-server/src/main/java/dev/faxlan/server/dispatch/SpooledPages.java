package dev.faxlan.server.dispatch;

import dev.faxlan.engine.fax.OutgoingPages;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.tiff.TiffPageInfo;
import dev.faxlan.engine.tiff.TiffReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A job's converted pages in a TIFF file in the spool, read one page at a time as the call codes
 * them: memory is one decoded page, whatever the job's length. Closing deletes the file.
 */
final class SpooledPages implements OutgoingPages, Closeable {
    private final Path file;
    private final TiffReader reader;
    private final int width;
    private final int yRes;

    private SpooledPages(Path file, TiffReader reader, int width, int yRes) {
        this.file = file;
        this.reader = reader;
        this.width = width;
        this.yRes = yRes;
    }

    /** Opens {@code file} (written by the converter: pages of one width and resolution); deletes it if that fails. */
    static SpooledPages open(Path file) throws IOException {
        TiffReader r = null;
        try {
            r = TiffReader.open(file);
            if (r.pageCount() == 0) throw new IOException("the converted document has no pages");
            TiffPageInfo first = r.pageInfo(0);
            for (int i = 1; i < r.pageCount(); i++) {
                TiffPageInfo p = r.pageInfo(i);
                if (p.width() != first.width() || p.yRes() != first.yRes()) {
                    throw new IOException("converted page " + (i + 1) + " differs in width or resolution from page 1");
                }
            }
            return new SpooledPages(file, r, first.width(), first.yRes());
        } catch (IOException | RuntimeException e) {
            if (r != null) r.close();
            Files.deleteIfExists(file);
            throw e;
        }
    }

    @Override
    public int count() {
        return reader.pageCount();
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int yRes() {
        return yRes;
    }

    @Override
    public synchronized BilevelPage page(int index) throws IOException {
        return reader.readPage(index).page();
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            reader.close();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
