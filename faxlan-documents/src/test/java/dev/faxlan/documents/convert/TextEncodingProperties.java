package dev.faxlan.documents.convert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.documents.page.FaxPageFormat;
import dev.faxlan.documents.page.PageSize;
import dev.faxlan.engine.t4.Resolution;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class TextEncodingProperties {

    /**
     * Latin-1's letters: ASCII and U+00C0-U+00FF but × and ÷. The letters ª, µ and º (0xAA, 0xB5,
     * 0xBA) are left out: after À-ß they form valid UTF-8 ("Ãª" is the bytes of "ê"), which no
     * detector can tell from Latin-1.
     */
    @Provide
    Arbitrary<List<String>> latin1Lines() {
        Arbitrary<Character> letter = Arbitraries.oneOf(
                Arbitraries.chars().range('a', 'z'),
                Arbitraries.chars().range('A', 'Z'),
                Arbitraries.chars().range('\u00C0', '\u00FF').filter(c -> c != '\u00D7' && c != '\u00F7'),
                Arbitraries.just(' '));
        return letter.list().ofMaxSize(120).map(cs -> {
            StringBuilder sb = new StringBuilder();
            cs.forEach(sb::append);
            return sb.toString();
        }).list().ofMinSize(1).ofMaxSize(80);
    }

    @Property(tries = 40)
    void latin1WithCrLfGivesTheSamePagesAsUtf8WithLf(@ForAll("latin1Lines") List<String> lines) throws Exception {
        Path latin1 = Files.createTempFile("latin1-", ".txt");
        Path utf8 = Files.createTempFile("utf8-", ".txt");
        try {
            Files.write(latin1, (String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            Files.write(utf8, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
            ConvertOptions standard = ConvertOptions.of(new FaxPageFormat(Resolution.STANDARD, PageSize.A4));
            assertThat(TextSourceEncodingTest.pages(latin1, standard)).isEqualTo(TextSourceEncodingTest.pages(utf8, standard));
        } finally {
            Files.deleteIfExists(latin1);
            Files.deleteIfExists(utf8);
        }
    }
}
