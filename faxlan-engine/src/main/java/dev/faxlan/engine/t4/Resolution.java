package dev.faxlan.engine.t4;

import java.util.Locale;

/**
 * Vertical fax resolutions of T.4 §2.2 (horizontal is always 8 pels/mm, written as 204 dpi in
 * TIFF Class F); T.30 negotiates them with DIS/DCS bits 15 and 41.
 */
public enum Resolution {
    /** 3.85 lines/mm. */
    STANDARD(98),
    /** 7.7 lines/mm. */
    FINE(196),
    /** 15.4 lines/mm. */
    SUPERFINE(391);

    /** Horizontal resolution of every fax page: 8 pels/mm, 1728 pels over 215 mm. */
    public static final int X_DPI = 204;

    private final int yDpi;

    Resolution(int yDpi) {
        this.yDpi = yDpi;
    }

    /** Lines per inch as TIFF Class F writes it. */
    public int yDpi() {
        return yDpi;
    }

    /** Parses {@code standard}, {@code fine} or {@code superfine}, any case. */
    public static Resolution parse(String s) {
        for (Resolution r : values()) {
            if (r.name().equalsIgnoreCase(s.trim())) {
                return r;
            }
        }
        throw new IllegalArgumentException("resolution '" + s + "' is not standard, fine or superfine");
    }

    /**
     * The resolution a page of {@code dpi} lines per inch is sent at: the finest one it reaches
     * (300 dpi and up superfine, 150 and up fine), so that no line of the page is dropped in sending.
     */
    public static Resolution ofYDpi(int dpi) {
        if (dpi >= 300) return SUPERFINE;
        if (dpi >= 150) return FINE;
        return STANDARD;
    }

    /** The closest resolution to {@code yDpi} lines per inch. */
    public static Resolution nearest(int yDpi) {
        Resolution best = STANDARD;
        for (Resolution r : values()) {
            if (Math.abs(r.yDpi - yDpi) < Math.abs(best.yDpi - yDpi)) {
                best = r;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
