package dev.faxlan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.sdk.FaxlanException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code faxlan submit} checks in each document before uploading it. */
class SubmitDocumentCheckTest {
    @TempDir
    Path dir;

    @Test
    void aReadableDocumentPasses() throws Exception {
        Path text = Files.writeString(dir.resolve("letter.txt"), "Dear Sir,\nplease find our offer.\n");
        assertThatCode(() -> SubmitCommand.checkDocument(text, null)).doesNotThrowAnyException();
        assertThatCode(() -> SubmitCommand.checkDocument(text, "superfine")).doesNotThrowAnyException();
    }

    @Test
    void postScriptIsLeftToTheServersGhostscript() throws Exception {
        Path ps = Files.writeString(dir.resolve("drawing.ps"), "%!PS-Adobe-3.0\n/Helvetica findfont 12 scalefont setfont\nshowpage\n");
        assertThatCode(() -> SubmitCommand.checkDocument(ps, null)).doesNotThrowAnyException();
    }

    @Test
    void anEmptyFileIsRefusedByNameWithExitOne() throws Exception {
        Path empty = Files.write(dir.resolve("empty.pdf"), new byte[0]);
        assertThatThrownBy(() -> SubmitCommand.checkDocument(empty, null)).isInstanceOfSatisfying(FaxlanException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(1);
            assertThat(e.getMessage()).isEqualTo(empty + ": the file is empty (0 bytes); nothing was sent");
        });
    }

    @Test
    void aDamagedPdfAndAnUnknownFormatAreRefusedByName() throws Exception {
        Path pdf = Files.write(dir.resolve("offer.pdf"), "%PDF-1.7\n1 0 obj\n<< /Type /Catalog".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> SubmitCommand.checkDocument(pdf, null)).isInstanceOfSatisfying(FaxlanException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(1);
            assertThat(e.getMessage()).startsWith("offer.pdf: not a readable PDF").endsWith("; nothing was sent")
                    .doesNotContain("\n");
        });
        Path binary = Files.write(dir.resolve("data.bin"), new byte[] {0, 1, 2, 3, (byte) 0xff, 0, 0, 7});
        assertThatThrownBy(() -> SubmitCommand.checkDocument(binary, null)).isInstanceOfSatisfying(FaxlanException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(1);
            assertThat(e.getMessage()).startsWith(binary + ": unknown format");
        });
    }

    @Test
    void withACharsetTextIsUploadedAsUtf8UnderItsOwnNameAndOtherFilesAsTheyAre() throws Exception {
        Path latin9 = Files.write(dir.resolve("rechnung.txt"), "Summe: 12 \u20ac\r\n".getBytes(java.nio.charset.Charset.forName("ISO-8859-15")));
        Path pdf = Files.write(dir.resolve("offer.pdf"), "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII));
        Path out = Files.createDirectory(dir.resolve("upload"));

        java.util.List<Path> upload = SubmitCommand.inUtf8(java.util.List.of(latin9, pdf), java.nio.charset.Charset.forName("ISO-8859-15"), out);

        assertThat(upload.get(0).getFileName().toString()).isEqualTo("rechnung.txt");
        assertThat(upload.get(0)).startsWith(out);
        assertThat(Files.readString(upload.get(0), StandardCharsets.UTF_8)).isEqualTo("\uFEFFSumme: 12 \u20ac\r\n");
        assertThat(upload.get(1)).isEqualTo(pdf);
    }

    @Test
    void aLatin1TextPassesTheCheck() throws Exception {
        Path latin1 = Files.write(dir.resolve("brief.txt"), "M\u00fcller Stra\u00dfe\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatCode(() -> SubmitCommand.checkDocument(latin1, null)).doesNotThrowAnyException();
    }

    @Test
    void aTextThatGrowsPastTheLimitInUtf8IsRefusedByName() throws Exception {
        byte[] accents = new byte[(int) (dev.faxlan.documents.convert.Documents.MAX_TEXT_BYTES / 2 + 1)];
        java.util.Arrays.fill(accents, (byte) 0xE9); // é: one byte in Latin-1, two in UTF-8
        Path big = Files.write(dir.resolve("big.txt"), accents);
        Path out = Files.createDirectory(dir.resolve("upload"));
        assertThatThrownBy(() -> SubmitCommand.inUtf8(java.util.List.of(big), StandardCharsets.ISO_8859_1, out))
                .isInstanceOfSatisfying(FaxlanException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(1);
                    assertThat(e.getMessage()).startsWith(big + ": ").contains("limit for text").endsWith("nothing was sent");
                });
    }
}
