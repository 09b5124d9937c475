package dev.faxlan.documents.convert;

import dev.faxlan.documents.page.FaxPageFormat;
import dev.faxlan.documents.page.PageSize;
import dev.faxlan.engine.t4.Resolution;
import dev.faxlan.documents.render.Halftone;
import dev.faxlan.engine.tiff.TiffEncoding;
import java.time.Duration;
import java.util.Objects;

/**
 * How documents are converted.
 *
 * @param format raster of the output pages
 * @param pdfHalftone how shades in PDF and PostScript pages become pels (text is unaffected
 *     because it is rendered without anti-aliasing)
 * @param imageHalftone the same for PNG, JPEG, GIF, BMP and non-bilevel TIFF
 * @param tools where external converters are looked up
 * @param toolTimeout how long LibreOffice or Ghostscript may run for one document
 * @param encoding compression of the TIFF written (G4 is the most compact; G3 1-D is what
 *     strict TIFF Class F readers expect)
 * @param maxPages pages one conversion may produce, cover page included (1 to {@value #MAX_PAGES});
 *     with pages no longer than {@link FaxPageFormat#maxHeight()} this also bounds the decoded image
 * @param workers threads rendering and coding pages at once (1 to {@value #MAX_WORKERS}); each holds
 *     one page, so memory grows with them; 1 renders on the calling thread
 */
public record ConvertOptions(FaxPageFormat format, Halftone pdfHalftone, Halftone imageHalftone,
        ExternalTools tools, Duration toolTimeout, TiffEncoding encoding, int maxPages, int workers) {

    /** The most pages a conversion can give: what {@code TiffReader} reads back. */
    public static final int MAX_PAGES = 10_000;

    /** The most rendering threads: more would only cost memory on any machine that runs a fax server. */
    public static final int MAX_WORKERS = 64;

    public ConvertOptions {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(pdfHalftone, "pdfHalftone");
        Objects.requireNonNull(imageHalftone, "imageHalftone");
        Objects.requireNonNull(tools, "tools");
        Objects.requireNonNull(toolTimeout, "toolTimeout");
        Objects.requireNonNull(encoding, "encoding");
        if (maxPages < 1 || maxPages > MAX_PAGES) {
            throw new IllegalArgumentException("maxPages must be 1 to " + MAX_PAGES + ", not " + maxPages);
        }
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException("workers must be 1 to " + MAX_WORKERS + ", not " + workers);
        }
    }

    /**
     * Fine A4, ordered dots for PDF, error diffusion for photographs, tools from PATH, 2 min, G4, one
     * worker per processor.
     */
    public static ConvertOptions defaults() {
        return of(FaxPageFormat.defaults());
    }

    public static ConvertOptions of(FaxPageFormat format) {
        return new ConvertOptions(format, Halftone.ORDERED, Halftone.DIFFUSION, ExternalTools.fromPath(),
                Duration.ofMinutes(2), TiffEncoding.G4, MAX_PAGES,
                Math.min(MAX_WORKERS, Runtime.getRuntime().availableProcessors()));
    }

    public static ConvertOptions of(Resolution resolution, PageSize size) {
        return of(new FaxPageFormat(resolution, size));
    }

    public ConvertOptions withFormat(FaxPageFormat f) {
        return new ConvertOptions(f, pdfHalftone, imageHalftone, tools, toolTimeout, encoding, maxPages, workers);
    }

    public ConvertOptions withHalftone(Halftone h) {
        return new ConvertOptions(format, h, h, tools, toolTimeout, encoding, maxPages, workers);
    }

    public ConvertOptions withEncoding(TiffEncoding e) {
        return new ConvertOptions(format, pdfHalftone, imageHalftone, tools, toolTimeout, e, maxPages, workers);
    }

    public ConvertOptions withMaxPages(int n) {
        return new ConvertOptions(format, pdfHalftone, imageHalftone, tools, toolTimeout, encoding, n, workers);
    }

    public ConvertOptions withTools(ExternalTools t) {
        return new ConvertOptions(format, pdfHalftone, imageHalftone, t, toolTimeout, encoding, maxPages, workers);
    }

    public ConvertOptions withWorkers(int n) {
        return new ConvertOptions(format, pdfHalftone, imageHalftone, tools, toolTimeout, encoding, maxPages, n);
    }
}
