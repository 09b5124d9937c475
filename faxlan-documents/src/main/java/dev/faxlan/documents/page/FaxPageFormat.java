package dev.faxlan.documents.page;

import dev.faxlan.engine.t4.Resolution;
import java.util.Objects;

/**
 * The raster of one outgoing fax page: 1728 pels per row at 204 dpi, and as many rows as the
 * paper is long at the chosen vertical resolution (A4 fine: 2292 rows).
 *
 * @param resolution vertical resolution
 * @param pageSize paper the rows are counted for
 */
public record FaxPageFormat(Resolution resolution, PageSize pageSize) {

    /** Pels per row of an ISO A4 fax page (T.4 §2.2). */
    public static final int WIDTH = 1728;

    /**
     * The longest page we send, in millimetres: ISO B4 (364 mm), the longest recording length T.30
     * names short of "unlimited", so US Legal (356 mm) fits and any fax machine with B4 paper prints it.
     */
    public static final double MAX_LENGTH_MM = 364;

    public FaxPageFormat {
        Objects.requireNonNull(resolution, "resolution");
        Objects.requireNonNull(pageSize, "pageSize");
    }

    /** Fine resolution on A4, what most fax machines print. */
    public static FaxPageFormat defaults() {
        return new FaxPageFormat(Resolution.FINE, PageSize.A4);
    }

    public int width() {
        return WIDTH;
    }

    /** Rows of a full page. */
    public int height() {
        return (int) Math.round(pageSize.heightInches() * resolution.yDpi());
    }

    /** Rows of the longest page we send at this resolution ({@link #MAX_LENGTH_MM}; fine: 2809). */
    public int maxHeight() {
        return maxHeight(resolution);
    }

    /** Rows of the longest page we send at {@code r}. */
    public static int maxHeight(Resolution r) {
        return (int) Math.round(MAX_LENGTH_MM / 25.4 * r.yDpi());
    }

    public int xDpi() {
        return Resolution.X_DPI;
    }

    public int yDpi() {
        return resolution.yDpi();
    }

    /** Width of the scanned area in inches (8.47 in, 215 mm). */
    public double widthInches() {
        return (double) WIDTH / Resolution.X_DPI;
    }

    /** Length of the page in inches. */
    public double heightInches() {
        return (double) height() / yDpi();
    }

    @Override
    public String toString() {
        return pageSize + " " + resolution + " (" + WIDTH + "x" + height() + " at " + xDpi() + "x" + yDpi() + " dpi)";
    }
}
