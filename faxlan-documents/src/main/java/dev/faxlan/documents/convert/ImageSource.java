package dev.faxlan.documents.convert;

import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.DocumentException.Reason;
import dev.faxlan.documents.page.FaxPageFormat;
import dev.faxlan.documents.render.FaxCanvas;
import dev.faxlan.documents.render.Fit;
import dev.faxlan.documents.render.Halftone;
import dev.faxlan.documents.render.Images;
import dev.faxlan.engine.image.BilevelPage;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Raster images through Java ImageIO (with TwelveMonkeys' JPEG and TIFF readers): PNG, JPEG,
 * GIF (first frame), BMP, and TIFF that is not bilevel (every page). Each image is scaled to
 * fit the page keeping its aspect ratio, turned if landscape, and binarized as a scan or photograph
 * ({@link FaxCanvas#toLegiblePage}): paper white, text solid, pictures halftoned.
 *
 * <p>Memory is bounded whatever the image size: the header is checked against {@value
 * #MAX_PIXELS} pixels, and the image is decoded subsampled to at most {@value
 * #MAX_DECODED_PIXELS} pixels (about twice what the fax page can show).
 */
final class ImageSource implements PageSource {

    /** Larger images are refused: 256 megapixels is an A4 scan at 2400 dpi. */
    static final long MAX_PIXELS = 256L << 20;
    /** Decoded pixels per image after subsampling. */
    static final long MAX_DECODED_PIXELS = 12L << 20;

    private final String name;
    private final ImageInputStream in;
    private final ImageReader reader;
    private final int count;
    private final FaxPageFormat format;
    private final Halftone halftone;
    private FaxCanvas canvas;

    private ImageSource(String name, ImageInputStream in, ImageReader reader, int count, FaxPageFormat format,
            Halftone halftone) {
        this.name = name;
        this.in = in;
        this.reader = reader;
        this.count = count;
        this.format = format;
        this.halftone = halftone;
    }

    static ImageSource open(Path file, String name, DocumentFormat kind, ConvertOptions options) throws IOException {
        ImageInputStream in = ImageIO.createImageInputStream(file.toFile());
        if (in == null) {
            throw new DocumentException(Reason.IO, name + ": cannot open for reading");
        }
        try {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new DocumentException(Reason.DAMAGED, name + ": no image reader accepts this "
                        + kind.description());
            }
            ImageReader reader = readers.next();
            reader.setInput(in, false, true);
            int n;
            try {
                n = kind == DocumentFormat.TIFF ? reader.getNumImages(true) : 1;
                for (int i = 0; i < n; i++) {
                    long w = reader.getWidth(i);
                    long h = reader.getHeight(i);
                    if (w < 1 || h < 1) {
                        throw new DocumentException(Reason.DAMAGED, name + ": image " + (i + 1) + " is " + w + "x" + h);
                    }
                    if (w * h > MAX_PIXELS) {
                        throw new DocumentException(Reason.TOO_LARGE, name + ": the image is " + w + "x" + h
                                + " pixels (" + (w * h >> 20) + " megapixels); the limit is " + (MAX_PIXELS >> 20)
                                + " megapixels");
                    }
                }
            } catch (IOException | RuntimeException e) {
                reader.dispose();
                if (e instanceof DocumentException de) {
                    throw de;
                }
                throw new DocumentException(Reason.DAMAGED, name + ": not a readable " + kind.description() + ": "
                        + PdfSource.oneLine(e), e);
            }
            if (n < 1) {
                reader.dispose();
                throw new DocumentException(Reason.NO_PAGES, name + ": the " + kind.description() + " has no images");
            }
            if (n > options.maxPages()) {
                reader.dispose();
                throw new DocumentException(Reason.TOO_LARGE, name + ": " + n + " images; at most "
                        + options.maxPages() + " pages can be faxed at once");
            }
            return new ImageSource(name, in, reader, n, options.format(), options.imageHalftone());
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int pageCount() {
        return count;
    }

    @Override
    public BilevelPage page(int index) throws IOException {
        String where = count > 1 ? name + ": image " + (index + 1) : name;
        try {
            int w = reader.getWidth(index);
            int h = reader.getHeight(index);
            Fit fit = Fit.of(w / 100.0, h / 100.0, format, 0, true);
            AffineTransform toPels = fit.toPels(100);
            double pelsPerPixel = Math.min(Math.hypot(toPels.getScaleX(), toPels.getShearY()),
                    Math.hypot(toPels.getShearX(), toPels.getScaleY()));
            int s = Math.max(1, (int) Math.floor(1 / (2 * pelsPerPixel)));
            while ((double) w / s * h / s > MAX_DECODED_PIXELS) {
                s++;
            }
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceSubsampling(s, s, 0, 0);
            BufferedImage img = reader.read(index, param);
            if (canvas == null) {
                canvas = new FaxCanvas(format);
            }
            Graphics2D g = canvas.graphics(false);
            try {
                toPels.scale((double) w / img.getWidth(), (double) h / img.getHeight());
                Images.draw(g, img, toPels);
                canvas.markPicture(toPels.createTransformedShape(
                        new java.awt.Rectangle(0, 0, img.getWidth(), img.getHeight())).getBounds());
            } finally {
                g.dispose();
            }
            // A scan: paper made white and text thresholded; only real pictures are halftoned. Asked for a
            // plain threshold, the image gets exactly that.
            return halftone == Halftone.THRESHOLD ? canvas.toPage(halftone) : canvas.toLegiblePage(128, halftone);
        } catch (DocumentException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DocumentException(Reason.DAMAGED, where + " cannot be decoded: " + PdfSource.oneLine(e), e);
        } catch (OutOfMemoryError e) {
            throw new DocumentException(Reason.TOO_LARGE, where + " needs more memory to decode than is available");
        }
    }

    @Override
    public void close() throws IOException {
        try {
            reader.dispose();
        } finally {
            in.close();
        }
    }
}
