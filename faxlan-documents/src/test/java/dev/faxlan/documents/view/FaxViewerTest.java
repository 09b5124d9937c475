package dev.faxlan.documents.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.faxlan.documents.testsupport.Samples;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.tiff.TiffEncoding;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaxViewerTest {

    @TempDir
    Path dir;

    @Test
    void pdfHasOnePageperFaxPageWithTheRightAspectAndTheSamePels() throws Exception {
        BilevelPage standard = Samples.bilevel(1728, 1143, 204, 98);
        BilevelPage fine = Samples.bilevel(1728, 2292, 204, 196);
        Path tif = Samples.bilevelTiff(dir.resolve("in.tif"), List.of(standard, fine), TiffEncoding.G3_1D);
        Path pdf = dir.resolve("out.pdf");

        assertThat(FaxViewer.toPdf(tif, pdf)).isEqualTo(2);

        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            assertThat(doc.getNumberOfPages()).isEqualTo(2);
            for (PDPage p : doc.getPages()) {
                // A4: 1728/204 in x 11.67 in, whatever the line density.
                assertThat(p.getMediaBox().getWidth()).isCloseTo(1728 * 72f / 204, within(0.01f));
                assertThat(p.getMediaBox().getHeight()).isCloseTo(840f, within(2f));
            }
            // Rendered back at 204 dpi (square), rows map back by 204/196: the pels are the same
            // but for rounding at the edges of strokes.
            BufferedImage img = new PDFRenderer(doc).renderImage(1, 204 / 72f, ImageType.BINARY);
            int differing = 0;
            for (int y = 0; y < fine.height(); y += 7) {
                int ry = Math.min(img.getHeight() - 1, (int) ((y + 0.5) * 204 / 196));
                for (int x = 0; x < Math.min(img.getWidth(), 1728); x++) {
                    boolean black = (img.getRGB(x, ry) & 0xFFFFFF) == 0;
                    if (black != fine.isBlack(x, y)) {
                        differing++;
                    }
                }
            }
            assertThat(differing).isLessThan(1728 * (fine.height() / 7) / 100);
        }
        // G4 inside: about as small as the TIFF.
        assertThat(Files.size(pdf)).isLessThan(Files.size(tif) + 20_000);
    }

    @Test
    void pngPagesHaveSquarePels() throws Exception {
        BilevelPage standard = Samples.bilevel(1728, 1143, 204, 98);
        BilevelPage superfine = Samples.bilevel(1728, 4572, 204, 391);
        Path tif = Samples.bilevelTiff(dir.resolve("in.tif"), List.of(standard, superfine), TiffEncoding.G4);

        List<Path> files = FaxViewer.toPng(tif, dir.resolve("fax.png"), 0);

        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("fax-1.png", "fax-2.png");
        BufferedImage one = ImageIO.read(files.get(0).toFile());
        BufferedImage two = ImageIO.read(files.get(1).toFile());
        assertThat(one.getWidth()).isEqualTo(1728);
        assertThat(one.getHeight()).isEqualTo(2286);
        assertThat(two.getHeight()).isEqualTo(2286);
        // Row 0 of the standard page is repeated into rows 0 and 1.
        for (int x = 0; x < 1728; x++) {
            boolean black = (one.getRGB(x, 301) & 0xFFFFFF) == 0;
            assertThat(black).isEqualTo(standard.isBlack(x, 150));
        }

        List<Path> chosen = FaxViewer.toPng(tif, dir.resolve("second.png"), 2);
        assertThat(chosen).containsExactly(dir.resolve("second.png"));
    }
}
