package dev.faxlan.documents.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faxlan.documents.render.Fit;
import dev.faxlan.documents.testsupport.Pages;
import dev.faxlan.engine.image.BilevelPage;
import java.awt.Rectangle;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName;
import org.apache.pdfbox.pdmodel.graphics.optionalcontent.PDOptionalContentGroup;
import org.apache.pdfbox.pdmodel.graphics.optionalcontent.PDOptionalContentProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Glyphs stamped from the cache against the same glyphs filled as outlines by PDFBox. */
class GlyphStampsTest {

    @TempDir
    Path dir;

    @Test
    void stampedTextIsTheFilledTextToAFractionOfAPel() throws IOException {
        for (Path pdf : new Path[] {LegiblePdfs.memo(dir.resolve("memo.pdf")),
                LegiblePdfs.invoice(dir.resolve("invoice.pdf"), 0.88f, 0.5f)}) {
            BilevelPage stamped = render(pdf, true);
            BilevelPage filled = render(pdf, false);
            long black = black(filled);
            long differ = differing(stamped, filled);
            System.out.println(pdf.getFileName() + ": " + differ + " of " + black + " black pels differ");
            // A glyph lands within 1/8 pel of its place: only edge pels may change, and as many turn black as white.
            assertTrue(differ <= black / 8, differ + " of " + black + " black pels differ");
            assertTrue(Math.abs(black(stamped) - black) <= black / 50, black(stamped) + " black pels against " + black);
        }
    }

    @Test
    void aGlyphCutByAClipIsCutWhereTheClipIs() throws IOException {
        Path pdf = dir.resolve("clipped.pdf");
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                cs.addRect(100, 600, 150, 100);
                cs.clip();
                cs.beginText();
                cs.setFont(new PDType1Font(FontName.HELVETICA), 24);
                for (int line = 0; line < 8; line++) {
                    cs.newLineAtOffset(line == 0 ? 60 : 0, line == 0 ? 710 : -20);
                    cs.showText("clipped text runs across the clip edges");
                }
                cs.endText();
            }
            doc.save(pdf.toFile());
        }
        BilevelPage stamped = render(pdf, true);
        BilevelPage filled = render(pdf, false);
        // Glyphs across the clip's edges are filled by PDFBox in both; none shows outside the clip.
        Rectangle clip = pels(stamped, new PDRectangle(100, 600, 150, 100));
        clip.grow(1, 1);
        long inside = Pages.black(stamped, clip.x, clip.y, clip.x + clip.width, clip.y + clip.height);
        assertTrue(inside > 1000, "text inside the clip: " + inside + " black pels");
        assertEquals(inside, black(stamped), "black pels outside the clip");
        assertEquals(0, differing(column(stamped, clip.x, clip.y, clip.y + clip.height),
                column(filled, clip.x, clip.y, clip.y + clip.height)), "the clip's left edge differs from PDFBox's");
    }

    @Test
    void textInAHiddenLayerStaysHidden() throws IOException {
        Path pdf = dir.resolve("layer.pdf");
        try (PDDocument doc = new PDDocument()) {
            PDOptionalContentProperties layers = new PDOptionalContentProperties();
            PDOptionalContentGroup hidden = new PDOptionalContentGroup("draft notes");
            layers.addGroup(hidden);
            layers.setGroupEnabled(hidden, false);
            doc.getDocumentCatalog().setOCProperties(layers);
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                PDType1Font font = new PDType1Font(FontName.HELVETICA);
                cs.beginText();
                cs.setFont(font, 14);
                cs.newLineAtOffset(72, 700);
                cs.showText("visible text");
                cs.endText();
                cs.beginMarkedContent(COSName.OC, hidden);
                cs.beginText();
                cs.setFont(font, 14);
                cs.newLineAtOffset(72, 500);
                cs.showText("hidden text");
                cs.endText();
                cs.endMarkedContent();
            }
            doc.save(pdf.toFile());
        }
        BilevelPage page = render(pdf, true);
        int lower = pels(page, new PDRectangle(0, 600, 10, 1)).y;
        assertTrue(Pages.black(page, 0, 0, page.width(), lower) > 200, "the visible line is drawn");
        assertEquals(0, Pages.black(page, 0, lower, page.width(), page.height()), "black pels of the hidden line");
    }

    private static BilevelPage render(Path pdf, boolean stamps) throws IOException {
        try (PdfSource source = PdfSource.open(pdf, pdf.getFileName().toString(), ConvertOptions.defaults())) {
            return (stamps ? source : source.fillingGlyphOutlines()).page(0);
        }
    }

    /** Where {@code box} (points on an A4 page, from the bottom left) lands on the fax page. */
    private static Rectangle pels(BilevelPage page, PDRectangle box) {
        Fit fit = Fit.of(PDRectangle.A4.getWidth() / 72, PDRectangle.A4.getHeight() / 72,
                ConvertOptions.defaults().format(), 0, true);
        Rectangle2D flipped = new Rectangle2D.Double(box.getLowerLeftX(),
                PDRectangle.A4.getHeight() - box.getUpperRightY(), box.getWidth(), box.getHeight());
        return fit.toPels(72).createTransformedShape(flipped).getBounds()
                .intersection(new Rectangle(0, 0, page.width(), page.height()));
    }

    private static BilevelPage column(BilevelPage p, int x, int top, int bottom) {
        // The pel outside the clip and its first pel inside: only glyphs PDFBox fills reach them.
        BilevelPage c = new BilevelPage(3, bottom - top, 204, 196);
        for (int y = top; y < bottom; y++) {
            for (int dx = 0; dx < 3; dx++) {
                c.setPixel(dx, y - top, p.isBlack(x + dx, y));
            }
        }
        return c;
    }

    private static long black(BilevelPage p) {
        return Pages.black(p, 0, 0, p.width(), p.height());
    }

    private static long differing(BilevelPage a, BilevelPage b) {
        long n = 0;
        byte[] x = a.buffer();
        byte[] y = b.buffer();
        for (int i = 0; i < x.length; i++) {
            n += Integer.bitCount((x[i] ^ y[i]) & 0xFF);
        }
        return n;
    }
}
