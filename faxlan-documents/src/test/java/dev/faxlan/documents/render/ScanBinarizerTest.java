package dev.faxlan.documents.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.documents.page.FaxPageFormat;
import dev.faxlan.documents.page.PageSize;
import dev.faxlan.documents.testsupport.Pages;
import dev.faxlan.documents.testsupport.Samples;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t4.Resolution;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ScanBinarizerTest {

    private static final FaxPageFormat FINE = FaxPageFormat.defaults();
    private static final Rectangle PHOTO = new Rectangle(900, 500, 700, 900);
    private static final Rectangle GRADIENT = new Rectangle(900, 1500, 700, 400);

    /** Grey, unevenly lit paper with text on the left and a photograph and a smooth gradient on the right. */
    private static FaxCanvas scanWithPictures() {
        FaxCanvas canvas = new FaxCanvas(FINE);
        Graphics2D g = canvas.graphics(true);
        g.setPaint(new GradientPaint(0, 0, new Color(235, 235, 235), 1728, 2292, new Color(200, 200, 200)));
        g.fillRect(0, 0, 1728, 2292);
        g.setColor(new Color(30, 30, 30));
        g.setFont(Fonts.get(Fonts.Family.SERIF, false).deriveFont(Font.PLAIN, 34f));
        for (int line = 0; line < 40; line++) {
            g.drawString("The quick brown fox " + line + " jumps", 120, 300 + line * 45);
        }
        BufferedImage photo = Samples.picture(PHOTO.width, PHOTO.height, BufferedImage.TYPE_INT_RGB);
        g.drawImage(photo, PHOTO.x, PHOTO.y, null);
        g.setPaint(new GradientPaint(GRADIENT.x, 0, new Color(20, 20, 20), GRADIENT.x + GRADIENT.width, 0,
                new Color(240, 240, 240)));
        g.fill(GRADIENT);
        g.dispose();
        addNoise(canvas.image(), 6, 1);
        canvas.markPicture(new Rectangle(0, 0, 1728, 2292));
        return canvas;
    }

    private static void addNoise(BufferedImage img, double sigma, long seed) {
        byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        Random r = new Random(seed);
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) Math.max(0, Math.min(255, (px[i] & 0xFF) + (int) Math.round(r.nextGaussian() * sigma)));
        }
    }

    @Test
    void photographAndGradientNextToTextAreStillHalftoned() throws Exception {
        BilevelPage page = scanWithPictures().toLegiblePage(128);
        preview("scan-with-pictures", page);

        for (Rectangle area : new Rectangle[] {PHOTO, GRADIENT}) {
            // Inside the picture (away from its edges): the share of black pels in 8x8 cells takes many values.
            Rectangle inner = new Rectangle(area.x + 40, area.y + 40, area.width - 80, area.height - 80);
            int[] cells = new int[65];
            int total = 0;
            for (int y = inner.y & ~7; y + 8 <= inner.y + inner.height; y += 8) {
                for (int x = inner.x & ~7; x + 8 <= inner.x + inner.width; x += 8) {
                    cells[(int) Pages.black(page, x, y, x + 8, y + 8)]++;
                    total++;
                }
            }
            long levels = Arrays.stream(cells).filter(c -> c > 0).count();
            double intermediate = (double) (total - cells[0] - cells[64]) / total;
            System.out.printf("%s: %d of 65 black-pel counts per 8x8 cell occur, %.2f of cells neither white nor black%n",
                    area == PHOTO ? "photograph" : "gradient", levels, intermediate);
            assertThat(levels).as("distinct black counts per 8x8 cell").isGreaterThanOrEqualTo(20);
            assertThat(intermediate).as("share of cells neither white nor black").isGreaterThan(0.5);
        }
        // The paper around the text is white, not dotted.
        long paperBlack = Pages.black(page, 0, 0, 1728, 250) + Pages.black(page, 0, 2150, 1728, 2292);
        assertThat(paperBlack).as("black pels in the top and bottom margins").isLessThan(1728L * 392 / 1000);
        // And the text is solid: its lines are crisp, with far fewer black pels than a dot screen of grey paper.
        long textBlack = Pages.black(page, 100, 260, 850, 2100);
        assertThat((double) textBlack / (750 * 1840)).isBetween(0.03, 0.25);
    }

    @Test
    void cleanBlackOnWhitePageIsExactlyThresholded() {
        FaxCanvas canvas = new FaxCanvas(FINE);
        Graphics2D g = canvas.graphics(false);
        g.setFont(Fonts.get(Fonts.Family.SANS, false).deriveFont(30f));
        for (int line = 0; line < 30; line++) {
            g.drawString("Invoice 10" + line + "   Total due: 1,234.56 EUR", 150, 200 + line * 60);
        }
        g.fillRect(150, 2100, 1400, 40); // a solid bar, far wider than the adaptive window
        g.dispose();
        BilevelPage threshold = canvas.toPage(Halftone.THRESHOLD, 128);
        canvas.markPicture(new Rectangle(0, 0, 1728, 2292));

        assertThat(canvas.toLegiblePage(128)).isEqualTo(threshold);
    }

    @Test
    void antialiasedTextOnWhiteStaysCloseToAThreshold() {
        FaxCanvas canvas = new FaxCanvas(FINE);
        Graphics2D g = canvas.graphics(true);
        g.setFont(Fonts.get(Fonts.Family.SERIF, false).deriveFont(28f));
        for (int line = 0; line < 30; line++) {
            g.drawString("Dear customer, your order " + line + " has shipped.", 150, 200 + line * 60);
        }
        g.dispose();
        BilevelPage threshold = canvas.toPage(Halftone.THRESHOLD, 128);
        canvas.markPicture(new Rectangle(0, 0, 1728, 2292));
        BilevelPage legible = canvas.toLegiblePage(128);

        long differ = 0;
        for (int y = 0; y < legible.height(); y++) {
            for (int x = 0; x < legible.width(); x++) {
                if (legible.isBlack(x, y) != threshold.isBlack(x, y)) {
                    differ++;
                }
            }
        }
        long black = Pages.black(threshold, 0, 0, 1728, 2292);
        System.out.printf("anti-aliased text: %d of %d black pels differ from a 50%% threshold%n", differ, black);
        // Only edge pels may differ (a slightly bolder stroke); no dots, no lost strokes.
        assertThat(differ).isLessThan(black / 4);
    }

    @Test
    void unmarkedPageIsThresholdedAtTheGivenLevel() {
        FaxCanvas canvas = new FaxCanvas(FINE);
        Graphics2D g = canvas.graphics(false);
        g.setColor(new Color(150, 150, 150));
        g.fillRect(100, 100, 500, 500);
        g.dispose();
        assertThat(Pages.blackFraction(canvas.toLegiblePage(128))).isZero();
        assertThat(canvas.toLegiblePage(160)).isEqualTo(canvas.toPage(Halftone.THRESHOLD, 160));
    }

    @Test
    void touchingAreasAreAnalysedAsOne() {
        var merged = FaxCanvas.merged(java.util.List.of(new Rectangle(0, 0, 100, 50), new Rectangle(0, 50, 100, 50),
                new Rectangle(500, 500, 10, 10)));
        assertThat(merged).containsExactlyInAnyOrder(new Rectangle(0, 0, 100, 100), new Rectangle(500, 500, 10, 10));
    }

    @Test
    void manyAreasAreAnalysedAsTheirBoundingBox() {
        var areas = new java.util.ArrayList<Rectangle>();
        for (int i = 0; i <= FaxCanvas.MAX_SEPARATE_PICTURES; i++) {
            areas.add(new Rectangle(10 * i, 20 * i, 5, 5));
        }
        assertThat(FaxCanvas.merged(areas)).containsExactly(
                new Rectangle(0, 0, 10 * FaxCanvas.MAX_SEPARATE_PICTURES + 5, 20 * FaxCanvas.MAX_SEPARATE_PICTURES + 5));
    }

    @Property(tries = 60)
    void uniformAreasStayUniform(@ForAll boolean black, @ForAll @IntRange(min = 1, max = 300) int w,
            @ForAll @IntRange(min = 1, max = 300) int h, @ForAll("resolutions") Resolution resolution,
            @ForAll @IntRange(min = 0, max = 255) int gray) {
        byte[] px = new byte[w * h];
        Arrays.fill(px, (byte) (black ? 0 : 255));
        int bpr = BilevelPage.bytesPerRow(w);
        byte[] bits = new byte[bpr * h];
        // Whatever was in the output before is overwritten.
        Arrays.fill(bits, (byte) gray);

        ScanBinarizer.binarize(px, w, new Rectangle(0, 0, w, h), Resolution.X_DPI, resolution.yDpi(),
                Halftone.ORDERED, bits, bpr);

        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean set = (bits[y * bpr + (x >>> 3)] & (0x80 >>> (x & 7))) != 0;
                assertThat(set).as("pel %d,%d", x, y).isEqualTo(black);
            }
        }
    }

    @Property(tries = 12)
    void blackAndWhiteInputIsThresholdedAndKeepsItsSize(@ForAll("resolutions") Resolution resolution,
            @ForAll long seed, @ForAll("areas") Rectangle area) {
        FaxCanvas canvas = new FaxCanvas(new FaxPageFormat(resolution, PageSize.A4));
        Graphics2D g = canvas.graphics(false);
        Random r = new Random(seed);
        for (int i = 0; i < 200; i++) {
            g.fillRect(r.nextInt(1728), r.nextInt(canvas.format().height()), 1 + r.nextInt(300), 1 + r.nextInt(300));
        }
        g.dispose();
        BilevelPage threshold = canvas.toPage(Halftone.THRESHOLD, 128);
        canvas.markPicture(area);

        BilevelPage legible = canvas.toLegiblePage(128);

        assertThat(legible.width()).isEqualTo(canvas.format().width());
        assertThat(legible.height()).isEqualTo(canvas.format().height());
        assertThat(legible).isEqualTo(threshold);
    }

    @Provide
    Arbitrary<Resolution> resolutions() {
        return Arbitraries.of(Resolution.values());
    }

    @Provide
    Arbitrary<Rectangle> areas() {
        return net.jqwik.api.Combinators.combine(Arbitraries.integers().between(-100, 1700),
                Arbitraries.integers().between(-100, 2000), Arbitraries.integers().between(1, 2000),
                Arbitraries.integers().between(1, 3000)).as(Rectangle::new);
    }

    private static void preview(String name, BilevelPage p) throws Exception {
        Path previews = Path.of("target", "previews");
        Files.createDirectories(previews);
        Pages.writePng(p, previews.resolve(name + ".png"));
    }
}
