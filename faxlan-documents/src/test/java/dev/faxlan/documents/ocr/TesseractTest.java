package dev.faxlan.documents.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.view.FaxViewer;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.tiff.TiffEncoding;
import dev.faxlan.documents.testsupport.Samples;
import dev.faxlan.testkit.ExternalTool;
import dev.faxlan.testkit.Ocr;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TesseractTest {
    @TempDir
    Path dir;

    /** A fine-resolution fax page with lines of large text, drawn at 204 × 196 dpi. */
    static BilevelPage page(String... lines) {
        int w = 1728, h = 2200;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 64));
        for (int i = 0; i < lines.length; i++) g.drawString(lines[i], 120, 250 + i * 140);
        g.dispose();
        BilevelPage p = new BilevelPage(w, h, 204, 196);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) if ((img.getRGB(x, y) & 0xFFFFFF) == 0) p.setPixel(x, y, true);
        return p;
    }

    @Test
    void readsTheWordsOfAFaxPageWithTheirBoxes() throws Exception {
        Ocr.require();
        Tesseract t = Tesseract.find().orElseThrow();
        PageText text = t.read(page("Invoice number 4711", "Delivery to Bristol harbour"), Duration.ofMinutes(2));

        assertThat(text.searchWords()).contains("invoice", "number", "4711", "delivery", "bristol", "harbour");
        assertThat(text.text()).contains("\n"); // two lines stay two lines
        PageText.Word invoice = text.words().stream().filter(w -> w.text().equalsIgnoreCase("Invoice")).findFirst().orElseThrow();
        // Drawn at x = 120 and baseline 250 on a fine page, whose pels are already square.
        assertThat(invoice.left()).isBetween(100, 160);
        assertThat(invoice.top() + invoice.height()).isBetween(230, 280);
        assertThat(text.width()).isEqualTo(1728);
    }

    @Test
    void aSearchablePdfCarriesTheWordsAsText() throws Exception {
        Ocr.require();
        Path pdftotext = ExternalTool.require("pdftotext", "Debian package poppler-utils");
        BilevelPage p1 = page("Quarterly report", "Shipment arrived");
        BilevelPage p2 = page("Second page mentions zebra crossing");
        Tesseract t = Tesseract.find().orElseThrow();
        List<PageText> text = List.of(t.read(p1, Duration.ofMinutes(2)), t.read(p2, Duration.ofMinutes(2)));
        Path tif = Samples.bilevelTiff(dir.resolve("fax.tif"), List.of(p1, p2), TiffEncoding.G4);
        Path pdf = dir.resolve("fax.pdf");

        assertThat(FaxViewer.toPdf(tif, pdf, text)).isEqualTo(2);

        String page2 = run(pdftotext.toString(), "-f", "2", "-l", "2", pdf.toString(), "-");
        assertThat(PageText.searchWords(page2)).contains("zebra", "crossing").doesNotContain("quarterly");
        String all = run(pdftotext.toString(), pdf.toString(), "-");
        assertThat(PageText.searchWords(all)).contains("quarterly", "report", "shipment", "arrived", "zebra");
        // Without text the same fax has no text layer.
        Path plain = dir.resolve("plain.pdf");
        FaxViewer.toPdf(tif, plain);
        assertThat(run(pdftotext.toString(), plain.toString(), "-").strip()).isEmpty();
    }

    @Test
    void aPageThatTakesTooLongIsStopped() throws Exception {
        Ocr.require();
        Tesseract t = Tesseract.find().orElseThrow();
        // No page of text is read in a millisecond: the process is killed and the page reported.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.read(page("Too slow"), Duration.ofMillis(1)))
                .isInstanceOf(DocumentException.class).hasMessageContaining("did not finish");
    }

    @Test
    void tsvRowsBecomeWordsOnTheirLines() {
        String tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
                + "4\t1\t1\t1\t1\t0\t10\t10\t300\t40\t-1\t\n"
                + "5\t1\t1\t1\t1\t1\t10\t10\t100\t40\t95.1\tHello\n"
                + "5\t1\t1\t1\t1\t2\t120\t10\t100\t40\t94.0\tworld\n"
                + "5\t1\t1\t1\t2\t1\t10\t60\t100\t40\t91.0\tagain\n"
                + "5\t1\t1\t1\t2\t2\t10\t60\t100\tx\t91.0\tbroken\n";
        List<PageText.Word> words = Tesseract.parseTsv(tsv);
        assertThat(words).extracting(PageText.Word::text).containsExactly("Hello", "world", "again");
        assertThat(new PageText(200, 100, 204, 196, words).text()).isEqualTo("Hello world\nagain");
        assertThat(PageText.searchWords("Order-No. 4711, ÄRZTE")).containsExactly("order", "no", "4711", "ärzte");
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
