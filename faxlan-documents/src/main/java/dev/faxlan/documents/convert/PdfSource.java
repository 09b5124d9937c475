package dev.faxlan.documents.convert;

import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.DocumentException.Reason;
import dev.faxlan.documents.page.FaxPageFormat;
import dev.faxlan.documents.render.FaxCanvas;
import dev.faxlan.documents.render.Fit;
import dev.faxlan.documents.render.Halftone;
import dev.faxlan.engine.image.BilevelPage;
import java.awt.Graphics2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.rendering.PageDrawer;
import org.apache.pdfbox.rendering.PageDrawerParameters;
import org.apache.pdfbox.rendering.RenderDestination;

/**
 * PDF pages rendered by PDFBox straight at fax resolution: one gray raster of the page size
 * (204 dpi across, 98/196/391 down, so text is rasterized once at its final non-square pel
 * grid), drawn without anti-aliasing so text and rules come out crisp and solid black or white by
 * their contrast with what is behind them ({@link LegiblePageDrawer}), then binarized; pictures
 * (images, shadings) are halftoned. Pages are scaled to fit and centred; landscape pages are turned.
 * Only one page is in memory at a time.
 */
final class PdfSource implements PageSource {

    private final Path file;
    private final String name;
    private final PDDocument doc;
    private final PDFRenderer renderer;
    private final FaxPageFormat format;
    private final Halftone halftone;
    private final Path deleteOnClose;
    private FaxCanvas canvas;
    /** This source's glyphs, rasterized once for all its pages; null: every glyph's outline is filled. */
    private GlyphStamps stamps = new GlyphStamps();

    private PdfSource(Path file, String name, PDDocument doc, FaxPageFormat format, Halftone halftone,
            Path deleteOnClose) {
        this.file = file;
        this.name = name;
        this.doc = doc;
        this.format = format;
        this.halftone = halftone;
        this.deleteOnClose = deleteOnClose;
        this.renderer = new BoundedRenderer(doc);
        // Large embedded images are read subsampled to what the page needs: bounded memory.
        renderer.setSubsamplingAllowed(true);
        // PDFBox would otherwise anti-alias (its default for gray targets): slower, and fax wants
        // crisp edges; pictures are still interpolated and then halftoned.
        java.awt.RenderingHints hints = new java.awt.RenderingHints(null);
        hints.put(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_OFF);
        hints.put(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
        hints.put(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        hints.put(java.awt.RenderingHints.KEY_RENDERING, java.awt.RenderingHints.VALUE_RENDER_SPEED);
        hints.put(java.awt.RenderingHints.KEY_STROKE_CONTROL, java.awt.RenderingHints.VALUE_STROKE_NORMALIZE);
        renderer.setRenderingHints(hints);
    }

    static PdfSource open(Path file, String name, ConvertOptions options) throws IOException {
        return open(file, name, options, options.pdfHalftone(), null);
    }

    /** Opens a PDF; {@code deleteOnClose} (may be null) is removed when the source closes. */
    static PdfSource open(Path file, String name, ConvertOptions options, Halftone halftone, Path deleteOnClose)
            throws IOException {
        PDDocument doc;
        try {
            doc = Loader.loadPDF(file.toFile());
        } catch (InvalidPasswordException e) {
            deleteQuietly(deleteOnClose);
            throw new DocumentException(Reason.ENCRYPTED, name
                    + ": the PDF is password-protected; remove the password (print it to a new PDF) and try again", e);
        } catch (IOException e) {
            deleteQuietly(deleteOnClose);
            throw new DocumentException(Reason.DAMAGED, name + ": not a readable PDF: " + oneLine(e), e);
        } catch (OutOfMemoryError e) {
            deleteQuietly(deleteOnClose);
            throw new DocumentException(Reason.TOO_LARGE, name + ": the PDF is too complex to open in the memory available");
        }
        try {
            int n = doc.getNumberOfPages();
            if (n == 0) {
                throw new DocumentException(Reason.NO_PAGES, name + ": the PDF has no pages");
            }
            if (n > options.maxPages()) {
                throw new DocumentException(Reason.TOO_LARGE, name + ": the PDF has " + n
                        + " pages; at most " + options.maxPages() + " can be faxed at once");
            }
            return new PdfSource(file, name, doc, options.format(), halftone, deleteOnClose);
        } catch (DocumentException | RuntimeException e) {
            doc.close();
            deleteQuietly(deleteOnClose);
            throw e;
        }
    }

    /**
     * The same PDF loaded once more (PDFBox's documents are not thread-safe): loading costs a few
     * milliseconds, a page's rendering tens. The file was read once already, so a failure here is the
     * file changing underneath, reported as for the first load.
     */
    @Override
    public Optional<PageSource> another() throws IOException {
        PDDocument copy;
        try {
            copy = Loader.loadPDF(file.toFile());
        } catch (IOException e) {
            throw new DocumentException(Reason.DAMAGED, name + ": not a readable PDF: " + oneLine(e), e);
        }
        return Optional.of(new PdfSource(file, name, copy, format, halftone, null));
    }

    /** From now on every glyph is drawn by filling its outline, as PDFBox draws it (for comparison). */
    PdfSource fillingGlyphOutlines() {
        stamps = null;
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int pageCount() {
        return doc.getNumberOfPages();
    }

    @Override
    public BilevelPage page(int index) throws IOException {
        PDPage page = doc.getPage(index);
        PDRectangle box = page.getCropBox();
        int rotation = ((page.getRotation() % 360) + 360) % 360;
        boolean sideways = rotation == 90 || rotation == 270;
        double w = sideways ? box.getHeight() : box.getWidth();
        double h = sideways ? box.getWidth() : box.getHeight();
        if (!(w > 0) || !(h > 0)) {
            throw new DocumentException(Reason.DAMAGED, name + ": page " + (index + 1) + " has an empty page box "
                    + box);
        }
        if (canvas == null) {
            canvas = new FaxCanvas(format);
        }
        Fit fit = Fit.of(w / 72, h / 72, format, 0, true);
        Graphics2D g = canvas.graphics(false);
        // Hairlines thinner than a pel stay solid instead of breaking into dots.
        g.setRenderingHint(java.awt.RenderingHints.KEY_STROKE_CONTROL, java.awt.RenderingHints.VALUE_STROKE_NORMALIZE);
        try {
            g.transform(fit.toPels(72));
            g.clip(new java.awt.geom.Rectangle2D.Double(0, 0, w, h));
            renderer.renderPageToGraphics(index, g, 1f, 1f, RenderDestination.PRINT);
        } catch (TooManyOperators e) {
            throw new DocumentException(Reason.TOO_LARGE, name + ": page " + (index + 1) + " has more than "
                    + MAX_OPERATORS + " drawing operations");
        } catch (IOException | RuntimeException e) {
            throw new DocumentException(Reason.DAMAGED, name + ": page " + (index + 1) + " cannot be rendered: "
                    + oneLine(e), e);
        } catch (OutOfMemoryError e) {
            // One page's drawing failed to allocate (a huge image or pattern); the heap is
            // usable again once its objects are dropped, so report it instead of dying.
            throw new DocumentException(Reason.TOO_LARGE, name + ": page " + (index + 1)
                    + " needs more memory to render than is available");
        } finally {
            g.dispose();
        }
        // Text and line art are solid already; the halftone chosen applies to the areas that really are pictures.
        // A plain threshold, chosen by name, applies to the whole page, as for images.
        return halftone == Halftone.THRESHOLD ? canvas.toPage(halftone) : canvas.toLegiblePage(128, halftone);
    }

    /**
     * Operations one page may draw (its forms, patterns and glyphs included). A page's content is
     * read as a stream, so its size costs no memory, but every operation costs time: a few
     * hundred KiB of deflated content can hold millions of strokes and kept the renderer busy for
     * many minutes. A full page of text runs a few thousand.
     */
    static final long MAX_OPERATORS = 1_000_000;

    /** Unchecked, so that PDFBox, which logs and skips an IOException inside a form, lets it through. */
    private static final class TooManyOperators extends RuntimeException {
        TooManyOperators() {
            super(null, null, false, false);
        }
    }

    /**
     * PDFBox's renderer, drawing for legibility onto this source's canvas ({@link LegiblePageDrawer}) and
     * counting each page's operations against {@link #MAX_OPERATORS}.
     */
    private final class BoundedRenderer extends PDFRenderer {
        BoundedRenderer(PDDocument doc) {
            super(doc);
        }

        @Override
        protected PageDrawer createPageDrawer(PageDrawerParameters parameters) throws IOException {
            return new LegiblePageDrawer(parameters, canvas, stamps) {
                private long operators;

                @Override
                protected void processOperator(Operator operator, List<COSBase> operands) throws IOException {
                    if (++operators > MAX_OPERATORS) {
                        throw new TooManyOperators();
                    }
                    super.processOperator(operator, operands);
                }
            };
        }
    }

    @Override
    public void close() throws IOException {
        try {
            doc.close();
        } finally {
            deleteQuietly(deleteOnClose);
        }
    }

    static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temporary file left behind is not worth failing for
            }
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        m = m.replaceAll("\\s+", " ").strip();
        return m.length() > 200 ? m.substring(0, 200) + "…" : m;
    }
}
