package dev.faxlan.documents.cover;

import dev.faxlan.documents.page.FaxPageFormat;
import dev.faxlan.engine.image.BilevelPage;
import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A cover page to put in front of a fax: a template and its field values. {@code pages} (the
 * total including the cover) and {@code date} (today, ISO 8601) are filled in when not given.
 *
 * @param template layout
 * @param fields values for {@code ${name}} placeholders; see docs/cover-pages.md for the usual names
 * @param clock source of today's date
 */
public record CoverPage(CoverTemplate template, Map<String, String> fields, Clock clock) {

    public CoverPage {
        Objects.requireNonNull(template, "template");
        fields = Map.copyOf(fields);
        Objects.requireNonNull(clock, "clock");
    }

    public CoverPage(CoverTemplate template, Map<String, String> fields) {
        this(template, fields, Clock.systemDefaultZone());
    }

    /** Field values as the template sees them for a fax of {@code totalPages} pages. */
    public Map<String, String> effectiveFields(int totalPages) {
        Map<String, String> f = new LinkedHashMap<>(fields);
        f.putIfAbsent("pages", Integer.toString(totalPages));
        f.putIfAbsent("date", LocalDate.now(clock).toString());
        return f;
    }

    /** The cover as the first page of a fax of {@code totalPages} pages (cover included). */
    public BilevelPage render(FaxPageFormat format, int totalPages) {
        return CoverRenderer.render(template, effectiveFields(totalPages), format);
    }
}
