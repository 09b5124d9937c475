package dev.faxlan.documents.convert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.documents.cover.CoverPage;
import dev.faxlan.documents.cover.CoverTemplates;
import dev.faxlan.documents.page.FaxPageFormat;
import dev.faxlan.documents.page.PageSize;
import dev.faxlan.engine.t4.Resolution;
import dev.faxlan.documents.testsupport.Pages;
import dev.faxlan.documents.testsupport.Samples;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t4.DecodeResult;
import dev.faxlan.engine.tiff.TiffEncoding;
import dev.faxlan.engine.tiff.TiffReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentConverterTest {

    @TempDir
    Path dir;

    static final Path PREVIEWS = Path.of("target", "previews");

    private List<BilevelPage> convert(ConvertOptions o, CoverPage cover, Path... files) throws Exception {
        Path out = dir.resolve("out.tif");
        new DocumentConverter(o).convert(List.of(files), cover, out);
        return TiffReader.readAll(Files.readAllBytes(out)).stream().map(DecodeResult::page).toList();
    }

    private static void preview(String name, BilevelPage p) throws Exception {
        Files.createDirectories(PREVIEWS);
        Pages.writePng(p, PREVIEWS.resolve(name + ".png"));
    }

    @Test
    void documentsFollowTheCoverInOrderWithPageCountOnTheCover() throws Exception {
        Path pdf = Samples.pdf(dir.resolve("a.pdf"), 2, PDRectangle.LETTER);
        Path txt = Samples.text(dir.resolve("b.txt"), Samples.sampleText());
        Path png = Samples.image(dir.resolve("c.png"), "png", 1200, 800);
        CoverPage cover = new CoverPage(CoverTemplates.builtIn("modern"), Map.of("to", "Someone"));

        List<BilevelPage> pages = convert(ConvertOptions.defaults(), cover, pdf, txt, png);

        assertThat(pages).hasSize(1 + 2 + 2 + 1);
        assertThat(cover.effectiveFields(6)).containsEntry("pages", "6");
        for (BilevelPage p : pages) {
            assertThat(p.width()).isEqualTo(1728);
            assertThat(p.height()).isEqualTo(2292);
            assertThat(p.yRes()).isEqualTo(196);
        }
        preview("pdf-fine-page1", pages.get(1));
        preview("text-fine-page1", pages.get(3));
        preview("png-landscape-fine", pages.get(5));
    }

    @Test
    void pdfTextIsCrispAndFitsThePage() throws Exception {
        Path pdf = Samples.pdf(dir.resolve("a.pdf"), 1, PDRectangle.A4);
        BilevelPage p = convert(ConvertOptions.of(Resolution.FINE, PageSize.A4), null, pdf).get(0);

        // Nothing at the very edges: the page was scaled to fit, not clipped.
        assertThat(Pages.black(p, 0, 0, 1728, 10)).isZero();
        assertThat(Pages.black(p, 0, 0, 10, p.height())).isZero();
        // Some ink in the text block.
        assertThat(Pages.black(p, 150, 150, 1200, 900)).isPositive();
        // The 0.5 pt rule 60 pt above the bottom edge is one solid line, not dots.
        int row = (int) Math.round((842 - 60) * 196 / 72.0);
        long best = 0;
        for (int y = row - 3; y <= row + 3; y++) {
            best = Math.max(best, Pages.black(p, 240, y, 1480, y + 1));
        }
        assertThat(best).isEqualTo(1480 - 240);
    }

    @Test
    void landscapeImageIsTurnedToFillThePortraitPage() throws Exception {
        Path png = Samples.image(dir.resolve("wide.png"), "png", 1600, 900);
        BilevelPage p = convert(ConvertOptions.of(Resolution.FINE, PageSize.A4), null, png).get(0);

        // Turned, the picture fills nearly the whole page height (its frame is near both ends).
        assertThat(Pages.black(p, 0, 0, 1728, 200)).isPositive();
        assertThat(Pages.black(p, 0, p.height() - 200, 1728, p.height())).isPositive();
    }

    @Test
    void faxTiffChangesResolutionByResamplingRows() throws Exception {
        BilevelPage fine = Samples.bilevel(1728, 800, 204, 196);
        Path tif = Samples.bilevelTiff(dir.resolve("in.tif"), List.of(fine), TiffEncoding.G4);

        BilevelPage std = convert(ConvertOptions.of(Resolution.STANDARD, PageSize.A4), null, tif).get(0);
        BilevelPage same = convert(ConvertOptions.of(Resolution.FINE, PageSize.A4), null, tif).get(0);

        assertThat(std.height()).isEqualTo(400);
        assertThat(std.yRes()).isEqualTo(98);
        assertThat(same).isEqualTo(fine);
    }

    @Test
    void textIsSetWithoutClippingLongLines() throws Exception {
        String longLine = "word ".repeat(100);
        Path txt = Samples.text(dir.resolve("long.txt"), longLine + "\n");
        List<BilevelPage> pages = convert(ConvertOptions.of(Resolution.FINE, PageSize.A4), null, txt);

        assertThat(pages).hasSize(1);
        // Wrapped onto several lines: ink well below the first line.
        assertThat(Pages.black(pages.get(0), 0, 200, 1728, 400)).isPositive();
        // And nothing in the right margin.
        assertThat(Pages.black(pages.get(0), 1728 - 80, 0, 1728, pages.get(0).height())).isZero();
    }

    @Test
    void everyHalftoneWorksOnAPhotograph() throws Exception {
        Path jpg = Samples.image(dir.resolve("photo.jpg"), "jpeg", 900, 1200);
        for (var h : dev.faxlan.documents.render.Halftone.values()) {
            BilevelPage p = convert(ConvertOptions.of(FaxPageFormat.defaults()).withHalftone(h), null, jpg).get(0);
            assertThat(Pages.blackFraction(p)).as(h.toString()).isBetween(0.05, 0.95);
            preview("photo-" + h, p);
        }
    }
}
