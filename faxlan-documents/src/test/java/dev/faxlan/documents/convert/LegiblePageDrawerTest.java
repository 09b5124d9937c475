package dev.faxlan.documents.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faxlan.documents.page.FaxPageFormat;
import dev.faxlan.documents.render.Fit;
import dev.faxlan.documents.testsupport.Pages;
import dev.faxlan.engine.image.BilevelPage;
import java.awt.Rectangle;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What PDF pages look like in pels once drawn for legibility: solid text, white tints, halftoned pictures. */
class LegiblePageDrawerTest {

    @TempDir
    Path dir;

    @Test
    void greyTextAndShadedRowsComeOutAsBlackTextOnWhite() throws IOException {
        BilevelPage shaded = render(LegiblePdfs.invoice(dir.resolve("shaded.pdf"), 0.88f, 0.5f));
        BilevelPage plain = render(LegiblePdfs.invoice(dir.resolve("plain.pdf"), 1f, 0f));
        // 50% gray text is drawn exactly as black text, and 88% gray rows exactly as no rows at all.
        assertArrayEquals(plain.buffer(), shaded.buffer(), "the shaded invoice differs from the plain one in "
                + differing(plain, shaded) + " pels");
        // A few full stops may rasterize to a single pel; a screen leaves thousands of lone dots.
        long lone = isolatedBlack(shaded, new Rectangle(0, 0, shaded.width(), shaded.height()));
        System.out.println("invoice: black pels without a black neighbour: " + lone);
        assertTrue(lone <= 10, lone + " black pels without a black neighbour: a dot screen");
    }

    @Test
    void whiteTextOnTheDarkHeaderStaysWhiteOnSolidBlack() throws IOException {
        BilevelPage page = render(LegiblePdfs.invoice(dir.resolve("invoice.pdf"), 0.88f, 0.5f));
        Rectangle bar = pels(page, new PDRectangle(40, 740, 515, 50));
        bar.grow(-3, -3);
        double black = (double) Pages.black(page, bar.x, bar.y, bar.x + bar.width, bar.y + bar.height)
                / ((long) bar.width * bar.height);
        // Solid black around white letters: mostly black, with the letters' white, and no screen dots.
        assertTrue(black > 0.6 && black < 0.95, "header bar black share " + black);
        assertEquals(0, isolatedWhite(page, bar), "white pels without a white neighbour in the header bar");
        Rectangle margin = new Rectangle(bar.x, bar.y, (int) (10 * 204 / 72.0), bar.height);
        assertEquals((long) margin.width * margin.height,
                Pages.black(page, margin.x, margin.y, margin.x + margin.width, margin.y + margin.height),
                "the bar left of its text is solid black");
    }

    @Test
    void darkTextOnADarkBoxTurnsWhiteAndWhiteTextOnPaperStaysHidden() throws IOException {
        BilevelPage page = render(LegiblePdfs.contrasts(dir.resolve("contrasts.pdf")));
        Rectangle box = pels(page, LegiblePdfs.DARK_BOX);
        Rectangle above = new Rectangle(0, 0, page.width(), box.y - 2);
        assertEquals(0, Pages.black(page, above.x, above.y, above.x + above.width, above.y + above.height),
                "black pels above the box, where only white text on white paper is");
        box.grow(-3, -3);
        double black = (double) Pages.black(page, box.x, box.y, box.x + box.width, box.y + box.height)
                / ((long) box.width * box.height);
        // The 30% box is black; its black text would vanish there, so it is drawn white.
        assertTrue(black > 0.6 && black < 0.97, "black share of the dark box with its text: " + black);
        assertEquals(0, isolatedWhite(page, box), "white pels without a white neighbour in the dark box");
        Rectangle margin = new Rectangle(box.x, box.y, (int) (10 * 204 / 72.0), box.height);
        assertEquals((long) margin.width * margin.height,
                Pages.black(page, margin.x, margin.y, margin.x + margin.width, margin.y + margin.height),
                "the box left of its text is solid black");
    }

    @Test
    void lightTextInATransparencyGroupOnADarkBoxIsWhite() throws IOException {
        BilevelPage page = render(LegiblePdfs.groupedText(dir.resolve("group.pdf")));
        Rectangle box = pels(page, LegiblePdfs.DARK_BOX);
        box.grow(-3, -3);
        double black = (double) Pages.black(page, box.x, box.y, box.x + box.width, box.y + box.height)
                / ((long) box.width * box.height);
        assertTrue(black > 0.6 && black < 0.97, "black share of the dark box with its grouped text: " + black);
    }

    @Test
    void invisibleTextStaysInvisible() throws IOException {
        BilevelPage page = render(LegiblePdfs.invisibleText(dir.resolve("ocr-layer.pdf")));
        assertEquals(0.0, Pages.blackFraction(page), "black share of a page whose only text is invisible");
    }

    @Test
    void aPhotographIsStillHalftoned() throws IOException {
        BilevelPage page = render(LegiblePdfs.photo(dir.resolve("photo.pdf")));
        assertHalftoned("photo", page, pels(page, LegiblePdfs.PHOTO_BOX));
    }

    @Test
    void aGradientIsHalftonedAsAPicture() throws IOException {
        BilevelPage page = render(LegiblePdfs.shapes(dir.resolve("shapes.pdf")));
        assertHalftoned("gradient", page, pels(page, LegiblePdfs.GRADIENT));
    }

    @Test
    void aLargeMidGreyAreaIsALightDotPattern() throws IOException {
        BilevelPage page = render(LegiblePdfs.shapes(dir.resolve("shapes.pdf")));
        Rectangle box = pels(page, LegiblePdfs.GREY_BOX);
        box.grow(-2, -2);
        long black = Pages.black(page, box.x, box.y, box.x + box.width, box.y + box.height);
        double share = (double) black / ((long) box.width * box.height);
        assertTrue(share > 0.03 && share < 0.1, "black share of the 60% gray box: " + share);
        assertEquals(black, isolatedBlack(page, box), "every dot of the pattern is a single pel");
    }

    @Test
    void aThinGreyRuleIsSolidBlack() throws IOException {
        BilevelPage page = render(LegiblePdfs.shapes(dir.resolve("shapes.pdf")));
        Rectangle band = pels(page, LegiblePdfs.RULE);
        band.grow(0, 2);
        for (int x = band.x + 2; x < band.x + band.width - 2; x++) {
            assertTrue(Pages.black(page, x, band.y, x + 1, band.y + band.height) > 0, "gap in the rule at x = " + x);
        }
    }

    /** Mid grays as dots: a share of black near the mean gray, and many black/white changes per row. */
    private static void assertHalftoned(String what, BilevelPage page, Rectangle area) {
        Rectangle inner = new Rectangle(area);
        inner.grow(-area.width / 4, -area.height / 4);
        double black = (double) Pages.black(page, inner.x, inner.y, inner.x + inner.width, inner.y + inner.height)
                / ((long) inner.width * inner.height);
        assertTrue(black > 0.25 && black < 0.75, what + " black share " + black);
        long edges = 0;
        for (int y = inner.y; y < inner.y + inner.height; y++) {
            for (int x = inner.x + 1; x < inner.x + inner.width; x++) {
                if (page.isBlack(x, y) != page.isBlack(x - 1, y)) {
                    edges++;
                }
            }
        }
        // Thresholded, the same shades would be a few large blobs: a change or two per row.
        double perRow = (double) edges / inner.height;
        assertTrue(perRow > inner.width / 16.0, what + ": black/white changes per row " + perRow);
    }

    static BilevelPage render(Path pdf) throws IOException {
        try (PdfSource source = PdfSource.open(pdf, pdf.getFileName().toString(), ConvertOptions.defaults())) {
            return source.page(0);
        }
    }

    /** Where {@code box} (points on an A4 page, from the bottom left) lands on the fax page. */
    private static Rectangle pels(BilevelPage page, PDRectangle box) {
        FaxPageFormat format = ConvertOptions.defaults().format();
        PDRectangle a4 = PDRectangle.A4;
        Fit fit = Fit.of(a4.getWidth() / 72, a4.getHeight() / 72, format, 0, true);
        Rectangle2D flipped = new Rectangle2D.Double(box.getLowerLeftX(), a4.getHeight() - box.getUpperRightY(),
                box.getWidth(), box.getHeight());
        return fit.toPels(72).createTransformedShape(flipped).getBounds()
                .intersection(new Rectangle(0, 0, page.width(), page.height()));
    }

    private static long isolatedBlack(BilevelPage p, Rectangle r) {
        return isolated(p, r, true);
    }

    private static long isolatedWhite(BilevelPage p, Rectangle r) {
        return isolated(p, r, false);
    }

    /** Pels of the colour {@code black} none of whose four neighbours has it: the mark of a dot screen. */
    private static long isolated(BilevelPage p, Rectangle r, boolean black) {
        long n = 0;
        for (int y = Math.max(1, r.y); y < Math.min(p.height() - 1, r.y + r.height); y++) {
            for (int x = Math.max(1, r.x); x < Math.min(p.width() - 1, r.x + r.width); x++) {
                if (p.isBlack(x, y) == black && p.isBlack(x - 1, y) != black && p.isBlack(x + 1, y) != black
                        && p.isBlack(x, y - 1) != black && p.isBlack(x, y + 1) != black) {
                    n++;
                }
            }
        }
        return n;
    }

    private static long differing(BilevelPage a, BilevelPage b) {
        long n = 0;
        for (int i = 0; i < a.buffer().length; i++) {
            n += Integer.bitCount((a.buffer()[i] ^ b.buffer()[i]) & 0xFF);
        }
        return n;
    }
}
