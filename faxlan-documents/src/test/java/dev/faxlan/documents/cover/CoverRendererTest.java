package dev.faxlan.documents.cover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.documents.page.FaxPageFormat;
import dev.faxlan.documents.page.PageSize;
import dev.faxlan.engine.t4.Resolution;
import dev.faxlan.documents.testsupport.Pages;
import dev.faxlan.engine.image.BilevelPage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CoverRendererTest {

    static final Map<String, String> SAMPLE = Map.ofEntries(
            Map.entry("to", "Dr. Maria Schneider"),
            Map.entry("to_company", "Klinikum Nord, Radiology"),
            Map.entry("to_fax", "+49 40 1234 5679"),
            Map.entry("from", "James Whitfield"),
            Map.entry("from_company", "Whitfield & Partners LLP"),
            Map.entry("from_fax", "+44 20 7946 0958"),
            Map.entry("from_phone", "+44 20 7946 0000"),
            Map.entry("subject", "Signed lease agreement, unit 4B"),
            Map.entry("comment", "Maria,\n\nplease find the signed lease agreement attached, with the annex on parking "
                    + "spaces. Could you countersign pages 3 and 7 and fax them back by Friday?\n\nKind regards,\nJames"),
            Map.entry("urgent", "yes"),
            Map.entry("reply", "yes"));

    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-14T10:00:00Z"), ZoneOffset.UTC);

    /** Renders each built-in template; the PNGs under target/cover-previews are for looking at. */
    @ParameterizedTest
    @CsvSource({"classic, FINE, A4", "modern, FINE, A4", "classic, STANDARD, LETTER", "modern, SUPERFINE, LETTER"})
    void builtInTemplatesRender(String name, Resolution res, PageSize size) throws Exception {
        FaxPageFormat format = new FaxPageFormat(res, size);
        CoverPage cover = new CoverPage(CoverTemplates.builtIn(name), SAMPLE, CLOCK);

        BilevelPage page = cover.render(format, 4);

        assertThat(page.width()).isEqualTo(1728);
        assertThat(page.height()).isEqualTo(format.height());
        double ink = Pages.blackFraction(page);
        assertThat(ink).as("share of black pels").isBetween(0.01, 0.25);
        Path dir = Path.of("target", "cover-previews");
        Files.createDirectories(dir);
        Pages.writePng(page, dir.resolve(name + "-" + res + "-" + size + ".png"));
    }

    @ParameterizedTest
    @CsvSource({"classic", "modern"})
    void emptyFieldsStillGiveAUsableForm(String name) throws Exception {
        CoverPage cover = new CoverPage(CoverTemplates.builtIn(name), Map.of(), CLOCK);

        BilevelPage page = cover.render(FaxPageFormat.defaults(), 1);

        assertThat(Pages.blackFraction(page)).isGreaterThan(0.005);
        Path dir = Path.of("target", "cover-previews");
        Files.createDirectories(dir);
        Pages.writePng(page, dir.resolve(name + "-empty.png"));
    }
}
