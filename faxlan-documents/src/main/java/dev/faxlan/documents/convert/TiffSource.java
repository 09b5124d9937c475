package dev.faxlan.documents.convert;

import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.DocumentException.Reason;
import dev.faxlan.documents.page.FaxPageFormat;
import dev.faxlan.documents.render.FaxCanvas;
import dev.faxlan.documents.render.Fit;
import dev.faxlan.documents.render.Halftone;
import dev.faxlan.documents.render.Images;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.tiff.TiffFormatException;
import dev.faxlan.engine.tiff.TiffPageInfo;
import dev.faxlan.engine.tiff.TiffReader;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Bilevel TIFF through faxlan's own reader (every compression libtiff writes for bilevel).
 * Pages already 1728 pels wide at about 204 dpi keep their length and are only resampled
 * vertically when their line density differs from the output's (rows are OR-ed when shrinking,
 * so thin lines survive, and repeated when growing). Other pages (scans at 300 dpi, B4 and A3
 * widths) are scaled to fit the page. Non-bilevel TIFF goes to {@link ImageSource}.
 */
final class TiffSource implements PageSource {

    private final Path file;
    private final String name;
    private final TiffReader reader;
    private final FaxPageFormat format;
    private FaxCanvas canvas;

    private TiffSource(Path file, String name, TiffReader reader, FaxPageFormat format) {
        this.file = file;
        this.name = name;
        this.reader = reader;
        this.format = format;
    }

    /** Opens a TIFF with our reader, or with ImageIO if it is not bilevel. */
    static PageSource open(Path file, String name, ConvertOptions options) throws IOException {
        TiffReader r;
        try {
            r = TiffReader.open(file);
        } catch (TiffFormatException ours) {
            try {
                return ImageSource.open(file, name, DocumentFormat.TIFF, options);
            } catch (DocumentException theirs) {
                if (theirs.reason() == Reason.TOO_LARGE || theirs.reason() == Reason.NO_PAGES) {
                    throw theirs;
                }
                throw new DocumentException(Reason.DAMAGED, name + ": not a readable TIFF: " + ours.getMessage(), ours);
            }
        }
        if (r.pageCount() > options.maxPages()) {
            r.close();
            throw new DocumentException(Reason.TOO_LARGE, name + ": " + r.pageCount() + " pages; at most "
                    + options.maxPages() + " can be faxed at once");
        }
        try {
            checkLengths(r, name, options.format());
        } catch (DocumentException e) {
            r.close();
            throw e;
        }
        return new TiffSource(file, name, r, options.format());
    }

    /**
     * Refuses, from the IFDs alone (before any page is decoded), a fax-width page that would come out
     * longer than the longest fax page: such pages keep their length, and one of 65,535 rows is 14 MB
     * decoded, 8 m of paper.
     */
    private static void checkLengths(TiffReader r, String name, FaxPageFormat format) throws DocumentException {
        for (int i = 0; i < r.pageCount(); i++) {
            TiffPageInfo info = r.pageInfo(i);
            if (!keepsLength(info)) {
                continue;
            }
            long rows = outputRows(info.height(), info.yRes(), format.yDpi());
            if (rows > format.maxHeight()) {
                String at = rows == info.height() ? "" : " (" + rows + " at " + format.resolution() + " resolution)";
                throw new DocumentException(Reason.TOO_LARGE, String.format(java.util.Locale.ROOT,
                        "%s: page %d is %d rows long%s, %.0f mm; the longest fax page is %d rows (B4, %.0f mm) at %s resolution",
                        name, i + 1, info.height(), at, rows * 25.4 / format.yDpi(), format.maxHeight(), FaxPageFormat.MAX_LENGTH_MM,
                        format.resolution()));
            }
        }
    }

    /** Pages already 1728 pels wide at about 204 dpi keep their length; others are fitted to the page. */
    private static boolean keepsLength(TiffPageInfo info) {
        return info.width() == FaxPageFormat.WIDTH && info.xRes() >= 196 && info.xRes() <= 206;
    }

    /** Rows a fax-width page of {@code rows} at {@code srcRes} has after {@link #resampleRows}. */
    private static long outputRows(int rows, int srcRes, int yDpi) {
        if (Math.abs(srcRes - yDpi) <= Math.max(2, yDpi / 50)) {
            return rows;
        }
        return Math.max(1, Math.round((double) rows * yDpi / srcRes));
    }

    /** The same file opened once more: a reader keeps a file position, so each thread needs its own. */
    @Override
    public Optional<PageSource> another() throws IOException {
        TiffReader copy;
        try {
            copy = TiffReader.open(file);
        } catch (TiffFormatException e) {
            throw new DocumentException(Reason.DAMAGED, name + ": not a readable TIFF: " + e.getMessage(), e);
        }
        return Optional.of(new TiffSource(file, name, copy, format));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int pageCount() {
        return reader.pageCount();
    }

    @Override
    public BilevelPage page(int index) throws IOException {
        BilevelPage src;
        try {
            src = reader.readPage(index).page();
        } catch (TiffFormatException e) {
            throw new DocumentException(Reason.DAMAGED, name + ": " + e.getMessage(), e);
        }
        TiffPageInfo info = reader.pageInfo(index);
        if (keepsLength(info)) {
            return resampleRows(src, format.xDpi(), format.yDpi());
        }
        if (canvas == null) {
            canvas = new FaxCanvas(format);
        }
        Fit fit = Fit.of((double) src.width() / info.xRes(), (double) src.height() / info.yRes(), format, 0, true);
        AffineTransform toPels = new AffineTransform(fit.toPels());
        toPels.scale(1.0 / info.xRes(), 1.0 / info.yRes());
        Graphics2D g = canvas.graphics(false);
        try {
            double pelsPerPixel = Math.min(Math.hypot(toPels.getScaleX(), toPels.getShearY()),
                    Math.hypot(toPels.getShearX(), toPels.getScaleY()));
            int factor = Math.max(1, (int) Math.floor(1 / (2 * pelsPerPixel)));
            if (factor == 1) {
                Images.draw(g, Images.view(src), toPels);
            } else {
                java.awt.image.BufferedImage small = Images.shrink(src, factor);
                toPels.scale((double) src.width() / small.getWidth(), (double) src.height() / small.getHeight());
                Images.draw(g, small, toPels);
            }
        } finally {
            g.dispose();
        }
        // Bilevel art: a pel is black if it is at least 40% covered, so hairlines survive shrinking.
        return canvas.toPage(Halftone.THRESHOLD, 154);
    }

    /**
     * A fax-width page with its rows resampled to {@code yDpi}: each output row is the OR of the
     * input rows it covers (at least one). Pages of the right density are returned as they are,
     * relabelled to the exact output resolution.
     */
    static BilevelPage resampleRows(BilevelPage src, int xDpi, int yDpi) {
        int srcRes = src.yRes();
        if (Math.abs(srcRes - yDpi) <= Math.max(2, yDpi / 50)) {
            return src.xRes() == xDpi && srcRes == yDpi ? src : src.withResolution(xDpi, yDpi);
        }
        long rows = Math.round((double) src.height() * yDpi / srcRes);
        int h = (int) Math.max(1, Math.min(BilevelPage.MAX_HEIGHT, rows));
        BilevelPage out = new BilevelPage(src.width(), h, xDpi, yDpi);
        byte[] in = src.buffer();
        byte[] o = out.buffer();
        int bpr = src.bytesPerRow();
        for (int y = 0; y < h; y++) {
            int from = (int) ((long) y * src.height() / h);
            int to = Math.max(from + 1, (int) ((long) (y + 1) * src.height() / h));
            int dst = y * bpr;
            for (int r = from; r < to && r < src.height(); r++) {
                int s = r * bpr;
                for (int i = 0; i < bpr; i++) {
                    o[dst + i] |= in[s + i];
                }
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
