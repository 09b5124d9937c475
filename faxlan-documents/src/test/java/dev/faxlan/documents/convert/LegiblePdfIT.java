package dev.faxlan.documents.convert;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faxlan.documents.render.Images;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.testkit.ExternalTool;
import dev.faxlan.testkit.Ocr;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vector and text PDFs as tesseract reads them off the fax page: every word, white header text included. */
class LegiblePdfIT {

    @TempDir
    Path dir;

    @BeforeAll
    static void tesseract() {
        Ocr.require();
    }

    @Test
    void anInvoiceWithShadedRowsAndAWhiteOnDarkHeaderIsReadable() throws IOException {
        String read = read("invoice", LegiblePdfs.invoice(dir.resolve("invoice.pdf"), 0.88f, 0.5f),
                LegiblePdfs.invoiceText());
        assertHeaderRead(LegiblePdfs.HEADER, read);
    }

    @Test
    void aPlainMemoIsReadable() throws IOException {
        read("memo", LegiblePdfs.memo(dir.resolve("memo.pdf")), LegiblePdfs.memoText());
    }

    @Test
    void theTextBesideAPhotographIsReadable() throws IOException {
        read("photo page", LegiblePdfs.photo(dir.resolve("photo.pdf")), LegiblePdfs.captionText());
    }

    @Test
    void aLibreOfficeInvoiceIsReadable() throws IOException, InterruptedException {
        Path soffice = ExternalTool.require("soffice", "Debian package libreoffice-writer");
        Path fodt = dir.resolve("invoice.fodt");
        Files.writeString(fodt, OfficeInvoice.FODT, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(soffice.toString(), "--headless", "--norestore",
                "-env:UserInstallation=" + dir.resolve("profile").toUri(), "--convert-to", "pdf",
                "--outdir", dir.toString(), fodt.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("soffice.log").toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "LibreOffice did not finish within 5 minutes");
        Path pdf = dir.resolve("invoice.pdf");
        assertTrue(Files.isRegularFile(pdf), "LibreOffice made no PDF: " + Files.readString(dir.resolve("soffice.log")));
        String read = read("LibreOffice invoice", pdf, OfficeInvoice.TEXT);
        assertHeaderRead(OfficeInvoice.HEADER, read);
    }

    /** Renders page 1, reads it with tesseract, prints and checks the word recall; gives what was read. */
    private static String read(String what, Path pdf, String expected) throws IOException {
        BilevelPage page = LegiblePageDrawerTest.render(pdf);
        String read = Ocr.read(Images.view(page), page.xRes());
        double recall = Ocr.recall(expected, read);
        System.out.printf("%s: tesseract word recall %.2f%n", what, recall);
        assertTrue(recall >= 0.95, what + ": word recall " + recall + " below 0.95; tesseract read:\n" + read);
        return read;
    }

    private static void assertHeaderRead(String header, String read) {
        List<String> words = Ocr.words(read);
        for (String w : Ocr.words(header)) {
            assertTrue(words.contains(w), "header word '" + w + "' not read; tesseract read:\n" + read);
        }
    }
}
