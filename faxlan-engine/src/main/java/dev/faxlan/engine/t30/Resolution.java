package dev.faxlan.engine.t30;

/** Vertical resolutions of a 204 dpi fax page, as negotiated by DIS/DCS bits 15 and 41. */
public enum Resolution {
    STANDARD(98), FINE(196), SUPERFINE(391);

    private final int yDpi;

    Resolution(int yDpi) {
        this.yDpi = yDpi;
    }

    public int yDpi() {
        return yDpi;
    }

    public static Resolution ofYDpi(int dpi) {
        if (dpi >= 300) return SUPERFINE;
        if (dpi >= 150) return FINE;
        return STANDARD;
    }
}
