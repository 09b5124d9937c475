package dev.faxlan.documents.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.documents.DocumentException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FormatDetectorTest {

    private static Optional<DocumentFormat> detect(String head, String name) {
        return FormatDetector.detect(head.getBytes(StandardCharsets.ISO_8859_1), name);
    }

    @Test
    void recognisesByContentNotByName() {
        assertThat(detect("%PDF-1.7\n", "letter.txt")).contains(DocumentFormat.PDF);
        assertThat(detect("\u0089PNG\r\n\u001a\n....", "x.pdf")).contains(DocumentFormat.PNG);
        assertThat(detect("\u00ff\u00d8\u00ff\u00e0", "x")).contains(DocumentFormat.JPEG);
        assertThat(detect("GIF89a....", "x")).contains(DocumentFormat.GIF);
        assertThat(detect("BM" + "\0".repeat(30), "x")).contains(DocumentFormat.BMP);
        assertThat(detect("II*\0\u0008\0\0\0", "x")).contains(DocumentFormat.TIFF);
        assertThat(detect("MM\0*\0\0\0\u0008", "x")).contains(DocumentFormat.TIFF);
        assertThat(detect("%!PS-Adobe-3.0\n", "x")).contains(DocumentFormat.POSTSCRIPT);
        assertThat(detect("{\\rtf1\\ansi", "x")).contains(DocumentFormat.OFFICE);
        assertThat(detect("Hello, world\n", "x.pdf")).contains(DocumentFormat.TEXT);
    }

    @Test
    void pdfMayStartAfterJunk() {
        assertThat(detect("garbage\n%PDF-1.4\n", "x")).contains(DocumentFormat.PDF);
    }

    @Test
    void zipIsAnOfficeDocumentOnlyWithOfficeContentOrName() {
        assertThat(detect("PK\u0003\u0004....[Content_Types].xml", "x")).contains(DocumentFormat.OFFICE);
        assertThat(detect("PK\u0003\u0004....mimetypeapplication/vnd.oasis.opendocument.text", "x"))
                .contains(DocumentFormat.OFFICE);
        assertThat(detect("PK\u0003\u0004........", "letter.docx")).contains(DocumentFormat.OFFICE);
        assertThat(detect("PK\u0003\u0004........", "archive.zip")).isEmpty();
    }

    @Test
    void anArchiveIsRefusedAsSuchWithoutBeingOpened(@TempDir Path dir) throws Exception {
        Path zip = Files.write(dir.resolve("papers.zip"), "PK\u0003\u0004\u0014\0\0\0\u0008\0".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> FormatDetector.detect(zip)).isInstanceOf(DocumentException.class)
                .hasMessageEndingWith(": a ZIP archive: archives are not faxed, send the documents in it instead");
        Path gz = Files.write(dir.resolve("papers.pdf.gz"), new byte[] {0x1F, (byte) 0x8B, 8, 0, 0, 0, 0, 0, 0, 3});
        assertThatThrownBy(() -> FormatDetector.detect(gz)).hasMessageContaining("a gzip archive: archives are not faxed");
        // A document in a zip container is still the office document it is.
        Path docx = Files.write(dir.resolve("letter.docx"), "PK\u0003\u0004....".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(FormatDetector.detect(docx)).isEqualTo(DocumentFormat.OFFICE);
    }

    @Test
    void binaryIsNotText() {
        assertThat(detect("\0\u0001\u0002\u0003", "x.txt")).isEmpty();
        assertThat(detect("ELF\u0001\u0002\u0003\u0004\u0005\u0006\u0007", "x")).isEmpty();
        assertThat(detect("Gr\u00c3\u00bc\u00c3\u009fe", "x")).contains(DocumentFormat.TEXT);
    }

    @Test
    void textIsTextInAnyEncoding() {
        // Not UTF-8 (Latin-1 with CRLF), but text: refused as "unknown format" before.
        assertThat(detect("M\u00fcller Stra\u00dfe\r\ncaf\u00e9\r\n", "brief.txt")).contains(DocumentFormat.TEXT);
        assertThat(FormatDetector.detect(new byte[] {(byte) 0xC3, 0x28, 'a'}, "x")).contains(DocumentFormat.TEXT);
        assertThat(detect("\u00ff\u00feH\0i\0", "x")).contains(DocumentFormat.TEXT);
    }
}
