package dev.faxlan.documents.convert;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextEncodingTest {

    private static final String GERMAN = "Müller, Straße 5, café\r\nZürich\r\n";

    private static byte[] bom(byte[] mark, byte[] body) {
        byte[] b = new byte[mark.length + body.length];
        System.arraycopy(mark, 0, b, 0, mark.length);
        System.arraycopy(body, 0, b, mark.length, body.length);
        return b;
    }

    @Test
    void utf8WithAndWithoutBom() {
        byte[] plain = GERMAN.getBytes(StandardCharsets.UTF_8);
        assertThat(TextEncoding.detect(plain, false)).isEqualTo(StandardCharsets.UTF_8);
        byte[] marked = bom(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, plain);
        assertThat(TextEncoding.detect(marked, false)).isEqualTo(StandardCharsets.UTF_8);
        assertThat(TextEncoding.isText(marked)).isTrue();
    }

    @Test
    void utf16ByItsByteOrderMark() {
        byte[] le = bom(new byte[] {(byte) 0xFF, (byte) 0xFE}, GERMAN.getBytes(StandardCharsets.UTF_16LE));
        byte[] be = bom(new byte[] {(byte) 0xFE, (byte) 0xFF}, GERMAN.getBytes(StandardCharsets.UTF_16BE));
        assertThat(TextEncoding.detect(le, false)).isEqualTo(StandardCharsets.UTF_16LE);
        assertThat(TextEncoding.detect(be, false)).isEqualTo(StandardCharsets.UTF_16BE);
        // Half its bytes are zero, yet it is text.
        assertThat(TextEncoding.isText(le)).isTrue();
        assertThat(TextEncoding.isText(be)).isTrue();
        assertThat(TextEncoding.decode(le, TextEncoding.detect(le, false))).isEqualTo("\uFEFF" + GERMAN);
    }

    @Test
    void utf16WithoutBomByItsZeroBytes() {
        assertThat(TextEncoding.detect(GERMAN.getBytes(StandardCharsets.UTF_16LE), false)).isEqualTo(StandardCharsets.UTF_16LE);
        assertThat(TextEncoding.detect(GERMAN.getBytes(StandardCharsets.UTF_16BE), false)).isEqualTo(StandardCharsets.UTF_16BE);
    }

    @Test
    void latin1WithCrLfIsText() {
        byte[] latin1 = GERMAN.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(TextEncoding.isText(latin1)).isTrue();
        assertThat(TextEncoding.detect(latin1, false)).isEqualTo(StandardCharsets.ISO_8859_1);
        assertThat(TextEncoding.decode(latin1, StandardCharsets.ISO_8859_1)).isEqualTo(GERMAN);
    }

    @Test
    void euroSignPicksIso885915AndWindowsQuotesPickWindows1252() {
        byte[] latin9 = "Preis: 5 € (netto)\n".getBytes(Charset.forName("ISO-8859-15"));
        assertThat(latin9).contains((byte) 0xA4);
        assertThat(TextEncoding.detect(latin9, false)).isEqualTo(TextEncoding.ISO_8859_15);
        assertThat(TextEncoding.decode(latin9, TextEncoding.detect(latin9, false))).isEqualTo("Preis: 5 € (netto)\n");

        byte[] cp1252 = "„Grüße“ – 5 €\r\n".getBytes(TextEncoding.WINDOWS_1252);
        assertThat(TextEncoding.detect(cp1252, false)).isEqualTo(TextEncoding.WINDOWS_1252);
        assertThat(TextEncoding.decode(cp1252, TextEncoding.WINDOWS_1252)).isEqualTo("„Grüße“ – 5 €\r\n");
    }

    @Test
    void aUtf8CharacterCutByTheProbeIsStillUtf8() {
        byte[] b = "ab€".getBytes(StandardCharsets.UTF_8);
        byte[] cut = java.util.Arrays.copyOf(b, b.length - 1);
        assertThat(TextEncoding.detect(cut, true)).isEqualTo(StandardCharsets.UTF_8);
        assertThat(TextEncoding.detect(cut, false)).isNotEqualTo(StandardCharsets.UTF_8);
    }

    @Test
    void binaryControlsAndNulAreNotText() {
        assertThat(TextEncoding.isText(new byte[] {'a', 0, 'b', 'c'})).isFalse();
        assertThat(TextEncoding.isText(new byte[] {1, 2, 3, 4, 5, 6, 'a', 'b'})).isFalse();
        assertThat(TextEncoding.isText("tab\tform feed\fCR\rLF\n".getBytes(StandardCharsets.US_ASCII))).isTrue();
        // A UTF-16 mark does not make binary text.
        assertThat(TextEncoding.isText(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0, 'a', 0})).isFalse();
    }
}
