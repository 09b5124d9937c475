package dev.faxlan.documents.page;

import java.util.Locale;

/** Paper sizes a fax page is laid out for; the scan width is 1728 pels (215 mm) for both. */
public enum PageSize {
    /** ISO 216 A4, 210 × 297 mm. */
    A4(210.0 / 25.4, 297.0 / 25.4),
    /** US Letter, 8.5 × 11 in. */
    LETTER(8.5, 11.0);

    private final double widthInches;
    private final double heightInches;

    PageSize(double widthInches, double heightInches) {
        this.widthInches = widthInches;
        this.heightInches = heightInches;
    }

    public double widthInches() {
        return widthInches;
    }

    public double heightInches() {
        return heightInches;
    }

    /** Parses {@code a4} or {@code letter}, any case. */
    public static PageSize parse(String s) {
        for (PageSize p : values()) {
            if (p.name().equalsIgnoreCase(s.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("page size '" + s + "' is not a4 or letter");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
