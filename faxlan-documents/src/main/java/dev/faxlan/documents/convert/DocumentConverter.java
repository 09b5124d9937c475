package dev.faxlan.documents.convert;

import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.PartFiles;
import dev.faxlan.documents.DocumentException.Reason;
import dev.faxlan.documents.cover.CoverPage;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.tiff.TiffWriteOptions;
import dev.faxlan.engine.tiff.TiffWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts documents into one multi-page TIFF Class F, optionally behind a cover page.
 *
 * <p>All documents are opened first (so the page total is known for the cover page and the
 * PageNumber tags, and an unreadable document fails before anything is written), then pages are
 * rendered and coded by {@link ConvertOptions#workers()} threads, each from its own copy of the
 * document, and written in order: memory is one rendered page per worker, a bounded window of coded
 * pages and what the open documents hold, independent of the page count.
 */
public final class DocumentConverter {

    private static final Logger log = LoggerFactory.getLogger(DocumentConverter.class);

    /** What a conversion produced. */
    public record Result(int pages, List<Integer> pagesPerDocument, boolean cover) {
        public Result {
            pagesPerDocument = List.copyOf(pagesPerDocument);
        }
    }

    private final ConvertOptions options;

    /**
     * Pages taken and not yet written with {@code workers} rendering: one being rendered by each, and as
     * many again coded and waiting, so a slow page holds up the others only once the window is full.
     */
    static int window(int workers) {
        return 2 * workers;
    }

    public DocumentConverter(ConvertOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public ConvertOptions options() {
        return options;
    }

    /** Converts into {@code out} through a temporary file, so a failure leaves no partial TIFF. */
    public Result convert(List<Path> documents, CoverPage cover, Path out) throws IOException {
        Path dir = out.toAbsolutePath().getParent();
        Path tmp = PartFiles.beside(out, ".tif.part");
        try {
            Result r;
            try (OutputStream os = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                r = convert(documents, cover, os);
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return r;
        } finally {
            PartFiles.release(tmp);
        }
    }

    /**
     * Converts {@code documents} in order, after {@code cover} if not null, as TIFF into
     * {@code out} (not closed).
     */
    public Result convert(List<Path> documents, CoverPage cover, OutputStream out) throws IOException {
        return convert(documents, documents.stream().map(d -> String.valueOf(d.getFileName())).toList(), cover, out);
    }

    /**
     * Page 1 of what {@link #convert} would make of these documents (the cover page when there is one,
     * else the first document's first page), without converting the rest: a preview of a fax.
     */
    public BilevelPage firstPage(List<Path> documents, List<String> names, CoverPage cover) throws IOException {
        if (documents.isEmpty() && cover == null) {
            throw new DocumentException(Reason.NO_PAGES, "nothing to convert: no documents and no cover page");
        }
        BilevelPage page = page(documents, names, cover, 1);
        if (page == null) throw new DocumentException(Reason.NO_PAGES, names.get(0) + " has no pages");
        return page;
    }

    /**
     * Page {@code n} (from 1; the cover page is page 1 when there is one) of what {@link #convert} would
     * make of these documents, converting only that page; null when the fax has fewer pages.
     */
    public BilevelPage page(List<Path> documents, List<String> names, CoverPage cover, int n) throws IOException {
        if (names.size() != documents.size()) {
            throw new IllegalArgumentException(documents.size() + " documents but " + names.size() + " names");
        }
        if (n < 1) throw new IllegalArgumentException("pages count from 1, not " + n);
        List<PageSource> sources = new ArrayList<>();
        try {
            // The cover page shows the page total, so with a cover every document is opened to count its pages.
            if (cover != null) {
                for (int i = 0; i < documents.size(); i++) sources.add(Documents.open(documents.get(i), names.get(i), options));
                if (n == 1) {
                    long total = 1;
                    for (PageSource s : sources) total += s.pageCount();
                    return cover.render(options.format(), (int) Math.min(total, Integer.MAX_VALUE));
                }
            }
            long left = cover != null ? n - 2L : n - 1L; // index among the documents' pages
            for (int i = 0; i < documents.size(); i++) {
                if (sources.size() <= i) sources.add(Documents.open(documents.get(i), names.get(i), options));
                PageSource s = sources.get(i);
                if (left < s.pageCount()) return s.page((int) left);
                left -= s.pageCount();
            }
            return null;
        } finally {
            for (PageSource s : sources) {
                try {
                    s.close();
                } catch (IOException e) {
                    log.debug("closing {}: {}", s.name(), e.toString());
                }
            }
        }
    }

    /**
     * As {@link #convert(List, CoverPage, OutputStream)}, naming each document in messages by
     * {@code names} (one per document) instead of its file name.
     */
    public Result convert(List<Path> documents, List<String> names, CoverPage cover, OutputStream out) throws IOException {
        if (names.size() != documents.size()) {
            throw new IllegalArgumentException(documents.size() + " documents but " + names.size() + " names");
        }
        if (documents.isEmpty() && cover == null) {
            throw new DocumentException(Reason.NO_PAGES, "nothing to convert: no documents and no cover page");
        }
        List<PageSource> sources = new ArrayList<>();
        try {
            for (int i = 0; i < documents.size(); i++) {
                sources.add(Documents.open(documents.get(i), names.get(i), options));
            }
            List<Integer> counts = new ArrayList<>();
            long total = cover != null ? 1 : 0;
            for (PageSource s : sources) {
                counts.add(s.pageCount());
                total += s.pageCount();
            }
            if (total > options.maxPages()) {
                throw new DocumentException(Reason.TOO_LARGE, "the documents have " + total + " pages together; at most "
                        + options.maxPages() + " can be faxed at once");
            }
            TiffWriteOptions tiffOptions = TiffWriteOptions.of(options.encoding()).withTotalPages((int) total);
            TiffWriter w = new TiffWriter(out, tiffOptions);
            if (cover != null) {
                w.writePage(cover.render(options.format(), (int) total));
            }
            if (options.workers() > 1 && total > (cover != null ? 2 : 1)) {
                new ParallelPageCoder(sources, options.workers(), window(options.workers()), tiffOptions).writeAll(w);
            } else {
                for (PageSource s : sources) {
                    for (int i = 0; i < s.pageCount(); i++) {
                        w.writePage(s.page(i));
                    }
                }
            }
            w.finish();
            return new Result((int) total, counts, cover != null);
        } finally {
            for (PageSource s : sources) {
                try {
                    s.close();
                } catch (IOException e) {
                    log.debug("closing {}: {}", s.name(), e.toString());
                }
            }
        }
    }
}
