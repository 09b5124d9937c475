package dev.faxlan.documents.convert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.documents.page.FaxPageFormat;
import dev.faxlan.documents.page.PageSize;
import dev.faxlan.documents.render.Images;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t4.Resolution;
import dev.faxlan.testkit.Ocr;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Text files in other encodings than UTF-8 give the same pages as the same text in UTF-8. */
class TextSourceEncodingTest {

    static final String TEXT = "Herrn Jürgen Müller\nGartenstraße 12\n\nSehr geehrter Herr Müller,\n"
            + "wir bestätigen Ihre Bestellung über fünf Stück à 12 Euro.\nMit freundlichen Grüßen\n";

    @TempDir
    Path dir;

    static List<BilevelPage> pages(Path file, ConvertOptions options) throws Exception {
        try (TextSource text = TextSource.open(file, String.valueOf(file.getFileName()), options)) {
            List<BilevelPage> pages = new ArrayList<>();
            for (int i = 0; i < text.pageCount(); i++) {
                pages.add(text.page(i));
            }
            return pages;
        }
    }

    private List<BilevelPage> pages(String name, byte[] content) throws Exception {
        return pages(Files.write(dir.resolve(name), content), ConvertOptions.defaults());
    }

    private List<BilevelPage> reference() throws Exception {
        return pages("reference.txt", TEXT.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] withMark(int[] mark, byte[] body) {
        byte[] b = new byte[mark.length + body.length];
        for (int i = 0; i < mark.length; i++) {
            b[i] = (byte) mark[i];
        }
        System.arraycopy(body, 0, b, mark.length, body.length);
        return b;
    }

    @Test
    void utf8WithBomIsTheSameAsWithout() throws Exception {
        assertThat(pages("bom.txt", withMark(new int[] {0xEF, 0xBB, 0xBF}, TEXT.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(reference());
    }

    @Test
    void utf16WithBomIsTheSameAsUtf8() throws Exception {
        List<BilevelPage> reference = reference();
        assertThat(pages("le.txt", withMark(new int[] {0xFF, 0xFE}, TEXT.getBytes(StandardCharsets.UTF_16LE)))).isEqualTo(reference);
        assertThat(pages("be.txt", withMark(new int[] {0xFE, 0xFF}, TEXT.getBytes(StandardCharsets.UTF_16BE)))).isEqualTo(reference);
    }

    @Test
    void latin1WithCrLfIsDetectedAndConverted() throws Exception {
        Path file = Files.write(dir.resolve("latin1.txt"), TEXT.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        assertThat(Documents.formatOf(file)).isEqualTo(DocumentFormat.TEXT);
        assertThat(pages(file, ConvertOptions.defaults())).isEqualTo(reference());
    }

    @Test
    void crOnlyLineEndsAreLineBreaks() throws Exception {
        assertThat(pages("mac.txt", TEXT.replace("\n", "\r").getBytes(StandardCharsets.ISO_8859_1))).isEqualTo(reference());
    }

    @Test
    void iso885915EuroSign() throws Exception {
        String euro = "Summe: 120 € netto, 142,80 € brutto\n";
        Path file = Files.write(dir.resolve("euro.txt"), euro.getBytes(Charset.forName("ISO-8859-15")));
        assertThat(pages(file, ConvertOptions.defaults())).isEqualTo(pages("euro-utf8.txt", euro.getBytes(StandardCharsets.UTF_8)));
        // Read as ISO-8859-1 the same byte is a currency sign: a different page.
        assertThat(pages(file, ConvertOptions.defaults().withTextCharset(StandardCharsets.ISO_8859_1)))
                .isNotEqualTo(pages("euro-utf8.txt", euro.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theCharsetOverrideWinsOverDetection() throws Exception {
        // Russian in windows-1251 looks like Western accented letters to the detector.
        String russian = "Привет из Москвы\n";
        Path file = Files.write(dir.resolve("ru.txt"), russian.getBytes(Charset.forName("windows-1251")));
        List<BilevelPage> wanted = pages("ru-utf8.txt", russian.getBytes(StandardCharsets.UTF_8));
        assertThat(pages(file, ConvertOptions.defaults())).isNotEqualTo(wanted);
        assertThat(pages(file, ConvertOptions.defaults().withTextCharset(ConvertOptions.charset("windows-1251")))).isEqualTo(wanted);
    }

    @Test
    void anUnknownCharsetNameIsOneClearError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConvertOptions.charset("latin-42"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown character set 'latin-42' (try UTF-8, windows-1252, ISO-8859-15, UTF-16LE)");
    }

    @Test
    void latin1AccentsAreReadBackByOcr() throws Exception {
        Ocr.require();
        // Tesseract's English model reads acute accents reliably but ü as "ii" and ß as "B": the
        // umlauts are checked against a rendered reference above (latin1WithCrLfIsDetectedAndConverted).
        String words = "Müller Straße café Zürich\nrésumé fiancée café";
        Path file = Files.write(dir.resolve("ocr.txt"), words.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        ConvertOptions fine = ConvertOptions.of(new FaxPageFormat(Resolution.FINE, PageSize.A4));
        BilevelPage page = pages(file, fine).get(0);
        // Fine is 204 x 196 dpi: near enough square for the reader at 204.
        String read = Ocr.read(Images.view(page), 204);
        assertThat(Ocr.words(read)).as("read: %s", read).contains("café", "résumé", "fiancée");
        assertThat(Ocr.recall("café résumé fiancée café", read)).isEqualTo(1.0);
    }
}
