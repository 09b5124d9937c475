package dev.faxlan.documents.convert;

import dev.faxlan.documents.page.FaxPageFormat;
import dev.faxlan.documents.page.PageSize;
import dev.faxlan.engine.t4.Resolution;
import dev.faxlan.documents.render.Halftone;
import dev.faxlan.engine.tiff.TiffEncoding;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Duration;
import java.util.Objects;

/**
 * How documents are converted.
 *
 * @param format raster of the output pages
 * @param pdfHalftone how pictures (images, gradients) in PDF and PostScript pages become pels; text and
 *     line art are drawn solid black and white whatever it is, and the default, ordered, leaves
 *     pictures to {@link dev.faxlan.documents.render.FaxCanvas#toLegiblePage}
 * @param imageHalftone how the areas of PNG, JPEG, GIF, BMP and non-bilevel TIFF images that really are
 *     pictures become pels; their paper and text are binarized adaptively whatever this is, except
 *     {@link Halftone#THRESHOLD}, which is a plain threshold of the whole image
 * @param tools where external converters are looked up
 * @param toolTimeout how long LibreOffice or Ghostscript may run for one document
 * @param encoding compression of the TIFF written (G4 is the most compact; G3 1-D is what
 *     strict TIFF Class F readers expect)
 * @param maxPages pages one conversion may produce, cover page included (1 to {@value #MAX_PAGES});
 *     with pages no longer than {@link FaxPageFormat#maxHeight()} this also bounds the decoded image
 * @param textCharset the encoding of plain-text documents, or null to detect it ({@link TextEncoding})
 * @param workers threads rendering and coding pages at once (1 to {@value #MAX_WORKERS}); each holds
 *     one page, so memory grows with them; 1 renders on the calling thread
 */
public record ConvertOptions(FaxPageFormat format, Halftone pdfHalftone, Halftone imageHalftone,
        ExternalTools tools, Duration toolTimeout, TiffEncoding encoding, int maxPages, Charset textCharset, int workers) {

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
                Duration.ofMinutes(2), TiffEncoding.G4, MAX_PAGES, null,
                Math.min(MAX_WORKERS, Runtime.getRuntime().availableProcessors()));
    }

    public static ConvertOptions of(Resolution resolution, PageSize size) {
        return of(new FaxPageFormat(resolution, size));
    }

    public ConvertOptions withFormat(FaxPageFormat f) {
        return new ConvertOptions(f, pdfHalftone, imageHalftone, tools, toolTimeout, encoding, maxPages, textCharset, workers);
    }

    public ConvertOptions withHalftone(Halftone h) {
        return new ConvertOptions(format, h, h, tools, toolTimeout, encoding, maxPages, textCharset, workers);
    }

    public ConvertOptions withEncoding(TiffEncoding e) {
        return new ConvertOptions(format, pdfHalftone, imageHalftone, tools, toolTimeout, e, maxPages, textCharset, workers);
    }

    public ConvertOptions withMaxPages(int n) {
        return new ConvertOptions(format, pdfHalftone, imageHalftone, tools, toolTimeout, encoding, n, textCharset, workers);
    }

    public ConvertOptions withTools(ExternalTools t) {
        return new ConvertOptions(format, pdfHalftone, imageHalftone, t, toolTimeout, encoding, maxPages, textCharset, workers);
    }

    /** Plain text read in {@code cs} instead of the detected encoding; null to detect again. */
    public ConvertOptions withTextCharset(Charset cs) {
        return new ConvertOptions(format, pdfHalftone, imageHalftone, tools, toolTimeout, encoding, maxPages, cs, workers);
    }

    /**
     * The charset named {@code name} (IANA names and Java aliases: {@code latin1}, {@code cp1252},
     * {@code ISO-8859-15}, {@code UTF-16LE}, ...), or an {@link IllegalArgumentException} saying so.
     */
    public static Charset charset(String name) {
        try {
            return Charset.forName(name.strip());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new IllegalArgumentException("unknown character set '" + name + "' (try UTF-8, windows-1252, ISO-8859-15, UTF-16LE)");
        }
    }

    public ConvertOptions withWorkers(int n) {
        return new ConvertOptions(format, pdfHalftone, imageHalftone, tools, toolTimeout, encoding, maxPages, textCharset, n);
    }
}
