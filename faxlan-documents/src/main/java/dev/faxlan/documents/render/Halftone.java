package dev.faxlan.documents.render;

import java.util.Locale;

/** How shades of gray become black and white fax pels. */
public enum Halftone {
    /** Below 50% gray is white, above is black: crisp text and line art, photos lose shades. */
    THRESHOLD,
    /**
     * Floyd–Steinberg error diffusion, serpentine: the most detail in photographs; pure black
     * and white areas (text) stay exactly as thresholded. Codes larger than ordered dots.
     */
    DIFFUSION,
    /**
     * Clustered-dot ordered dither (an 8×8 screen, about 25 lines per inch at 204 dpi), as
     * printers and Ghostscript do: grays become dots that T.4/T.6 codes compactly.
     */
    ORDERED;

    public static Halftone parse(String s) {
        for (Halftone h : values()) {
            if (h.name().equalsIgnoreCase(s.trim())) {
                return h;
            }
        }
        throw new IllegalArgumentException("halftone '" + s + "' is not threshold, diffusion or ordered");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
