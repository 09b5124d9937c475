package dev.faxlan.documents.convert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.documents.page.FaxPageFormat;
import dev.faxlan.documents.render.FaxCanvas;
import dev.faxlan.documents.render.Fit;
import dev.faxlan.documents.render.Halftone;
import dev.faxlan.documents.render.Images;
import dev.faxlan.documents.testsupport.Pages;
import dev.faxlan.documents.testsupport.ScannedLetter;
import dev.faxlan.documents.view.FaxViewer;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t4.CodecOptions;
import dev.faxlan.engine.t4.DecodeResult;
import dev.faxlan.engine.t4.T4Encoder;
import dev.faxlan.engine.tiff.TiffReader;
import dev.faxlan.testkit.Ocr;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.JPEGFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.rendering.RenderDestination;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scanned letter (grey paper, uneven light, noise, a slight turn, JPEG) comes out as black text on white:
 * white where there is no text, legible to tesseract, and a fraction of the bytes of the dot screen it
 * used to be.
 */
class ScannedLetterIT {

    private static final FaxPageFormat FINE = FaxPageFormat.defaults();

    @TempDir
    Path dir;

    private static ScannedLetter.Page letter;
    private static byte[] jpeg;

    @BeforeAll
    static void scan() throws Exception {
        letter = ScannedLetter.clean();
        jpeg = ScannedLetter.scanJpeg(letter.image(), 17);
    }

    @Test
    void scannedJpegBecomesBlackTextOnWhite() throws Exception {
        Path file = dir.resolve("letter.jpg");
        Files.write(file, jpeg);

        BilevelPage page = convert(file);

        FaxCanvas canvas = drawn(ImageIO.read(file.toFile()));
        BilevelPage before = canvas.toPage(Halftone.ORDERED);
        // Figures, not assertions: the time of toLegiblePage on a fine A4 scan (best of 10, after warming up).
        canvas.markPicture(new Rectangle(0, 0, FINE.width(), FINE.height()));
        long best = Long.MAX_VALUE;
        long bestOrdered = Long.MAX_VALUE;
        for (int i = 0; i < 15; i++) {
            long t0 = System.nanoTime();
            canvas.toLegiblePage(128);
            long t1 = System.nanoTime();
            canvas.toPage(Halftone.ORDERED);
            long t2 = System.nanoTime();
            if (i >= 5) {
                best = Math.min(best, t1 - t0);
                bestOrdered = Math.min(bestOrdered, t2 - t1);
            }
        }
        System.out.printf(Locale.ROOT, "toLegiblePage on a fine A4 scan: %.1f ms per page (ordered dots: %.1f ms)%n",
                best / 1e6, bestOrdered / 1e6);
        int bytes = T4Encoder.encode(page, CodecOptions.mmr()).length;
        int bytesBefore = T4Encoder.encode(before, CodecOptions.mmr()).length;
        double white = borderWhiteness(page);
        double recall = recall(page);
        System.out.printf(Locale.ROOT, "scanned letter (JPEG), fine: border %.4f white, recall %.3f, G4 %d bytes"
                + " (ordered dots as before: %d bytes, recall %.3f)%n", white, recall, bytes, bytesBefore, recall(before));
        preview("scanned-letter", page);
        assertThat(white).as("border whiteness").isGreaterThanOrEqualTo(0.99);
        assertThat(recall).as("OCR word recall").isGreaterThanOrEqualTo(0.9);
        assertThat(bytes).as("G4 bytes against the ordered dots of before").isLessThan(bytesBefore / 4);
    }

    @Test
    void greyTiffScanBecomesBlackTextOnWhite() throws Exception {
        BufferedImage rgb = ImageIO.read(new ByteArrayInputStream(jpeg));
        BufferedImage gray = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = gray.createGraphics();
        g.drawImage(rgb, 0, 0, null);
        g.dispose();
        Path file = dir.resolve("letter.tif");
        assertThat(ImageIO.write(gray, "tiff", file.toFile())).isTrue();

        BilevelPage page = convert(file);

        double white = borderWhiteness(page);
        double recall = recall(page);
        System.out.printf(Locale.ROOT, "scanned letter (grey TIFF), fine: border %.4f white, recall %.3f%n", white, recall);
        assertThat(white).as("border whiteness").isGreaterThanOrEqualTo(0.99);
        assertThat(recall).as("OCR word recall").isGreaterThanOrEqualTo(0.9);
    }

    /**
     * An image-only PDF page, as a scanner's PDF is: rendered by PDFBox onto the canvas with its image area
     * marked, as the PDF renderer's image hook does.
     */
    @Test
    void imageOnlyPdfPageBecomesBlackTextOnWhite() throws Exception {
        Path pdf = dir.resolve("letter.pdf");
        try (PDDocument doc = new PDDocument()) {
            PDPage p = new PDPage(PDRectangle.A4);
            doc.addPage(p);
            PDImageXObject img = JPEGFactory.createFromByteArray(doc, jpeg);
            try (PDPageContentStream cs = new PDPageContentStream(doc, p)) {
                cs.drawImage(img, 0, 0, PDRectangle.A4.getWidth(), PDRectangle.A4.getHeight());
            }
            doc.save(pdf.toFile());
        }
        FaxCanvas canvas = new FaxCanvas(FINE);
        try (PDDocument doc = org.apache.pdfbox.Loader.loadPDF(pdf.toFile())) {
            PDRectangle box = doc.getPage(0).getCropBox();
            Fit fit = Fit.of(box.getWidth() / 72, box.getHeight() / 72, FINE, 0, true);
            Graphics2D g = canvas.graphics(false);
            try {
                AffineTransform toPels = fit.toPels(72);
                g.transform(toPels);
                new PDFRenderer(doc).renderPageToGraphics(0, g, 1f, 1f, RenderDestination.PRINT);
                canvas.markPicture(toPels.createTransformedShape(
                        new Rectangle(0, 0, (int) box.getWidth(), (int) box.getHeight())).getBounds());
            } finally {
                g.dispose();
            }
        }

        BilevelPage page = canvas.toLegiblePage(128);

        double white = borderWhiteness(page);
        double recall = recall(page);
        System.out.printf(Locale.ROOT, "scanned letter (image-only PDF), fine: border %.4f white, recall %.3f, G4 %d bytes%n",
                white, recall, T4Encoder.encode(page, CodecOptions.mmr()).length);
        assertThat(white).as("border whiteness").isGreaterThanOrEqualTo(0.99);
        assertThat(recall).as("OCR word recall").isGreaterThanOrEqualTo(0.9);
    }

    private BilevelPage convert(Path file) throws Exception {
        Path out = dir.resolve(file.getFileName() + ".out.tif");
        new DocumentConverter(ConvertOptions.of(FINE)).convert(List.of(file), null, out);
        List<DecodeResult> pages = TiffReader.readAll(Files.readAllBytes(out));
        assertThat(pages).hasSize(1);
        return pages.get(0).page();
    }

    /**
     * The image drawn on a canvas as {@link ImageSource} draws it; {@code toPage(ORDERED)} of it is the page as
     * it came out before scans were recognised: the whole image in ordered dots.
     */
    private static FaxCanvas drawn(BufferedImage img) {
        FaxCanvas canvas = new FaxCanvas(FINE);
        Graphics2D g = canvas.graphics(false);
        try {
            Images.draw(g, img, Fit.of(img.getWidth() / 100.0, img.getHeight() / 100.0, FINE, 0, true).toPels(100));
        } finally {
            g.dispose();
        }
        return canvas;
    }

    /** Share of white pels outside the letter's text block (grown by a quarter inch for the turn). */
    private static double borderWhiteness(BilevelPage page) {
        // The A4 scan fills the page's height at about its own scale, centred across.
        double sx = (double) FINE.xDpi() / ScannedLetter.DPI;
        double sy = (double) FINE.yDpi() / ScannedLetter.DPI;
        int offsetX = (int) Math.round((page.width() - ScannedLetter.WIDTH * sx) / 2);
        Rectangle t = letter.textBlock();
        int x0 = offsetX + (int) (t.x * sx) - FINE.xDpi() / 4;
        int x1 = offsetX + (int) ((t.x + t.width) * sx) + FINE.xDpi() / 4;
        int y0 = (int) (t.y * sy) - FINE.yDpi() / 4;
        int y1 = (int) ((t.y + t.height) * sy) + FINE.yDpi() / 4;
        long all = (long) page.width() * page.height();
        long inside = (long) (x1 - x0) * (y1 - y0);
        long black = Pages.black(page, 0, 0, page.width(), page.height()) - Pages.black(page, x0, y0, x1, y1);
        return 1 - (double) black / (all - inside);
    }

    private static double recall(BilevelPage page) throws Exception {
        Ocr.require();
        String read = Ocr.read(Images.view(FaxViewer.squarePels(page)), FINE.xDpi());
        return Ocr.recall(ScannedLetter.TEXT, read);
    }

    private static void preview(String name, BilevelPage p) throws Exception {
        Path previews = Path.of("target", "previews");
        Files.createDirectories(previews);
        Pages.writePng(p, previews.resolve(name + ".png"));
    }
}
