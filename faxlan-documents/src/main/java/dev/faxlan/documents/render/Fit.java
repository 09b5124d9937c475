package dev.faxlan.documents.render;

import dev.faxlan.documents.page.FaxPageFormat;
import java.awt.geom.AffineTransform;

/**
 * Where content of a given physical size goes on a fax page: scaled to fit (never clipped),
 * centred, and turned a quarter counter-clockwise when it is landscape and turning makes it
 * noticeably larger, as fax drivers do.
 *
 * @param rotated true if the content is turned (its top edge runs along the left of the page)
 * @param scale content inches per source inch
 * @param toPels maps source inches (origin top left, y down) to fax pels, including the
 *     non-square pel shape (204 dpi across, 98/196/391 down)
 */
public record Fit(boolean rotated, double scale, AffineTransform toPels) {

    /** Turning is worth it only if the content grows by more than this factor. */
    private static final double ROTATE_GAIN = 1.15;

    /**
     * @param widthIn content width in inches (any positive unit works if all three agree)
     * @param heightIn content height
     * @param marginIn blank border kept on every side of the page
     * @param allowRotate whether landscape content may be turned
     */
    public static Fit of(double widthIn, double heightIn, FaxPageFormat format, double marginIn, boolean allowRotate) {
        if (!(widthIn > 0) || !(heightIn > 0)) {
            throw new IllegalArgumentException("content size " + widthIn + "x" + heightIn + " must be positive");
        }
        double pageW = format.widthInches() - 2 * marginIn;
        double pageH = format.heightInches() - 2 * marginIn;
        double upright = Math.min(pageW / widthIn, pageH / heightIn);
        double turned = Math.min(pageW / heightIn, pageH / widthIn);
        boolean rotate = allowRotate && widthIn > heightIn && turned > upright * ROTATE_GAIN;
        double k = rotate ? turned : upright;
        double shownW = (rotate ? heightIn : widthIn) * k;
        double shownH = (rotate ? widthIn : heightIn) * k;
        double ox = marginIn + (pageW - shownW) / 2;
        double oy = marginIn + (pageH - shownH) / 2;
        AffineTransform t = AffineTransform.getScaleInstance(format.xDpi(), format.yDpi());
        t.translate(ox, oy);
        t.scale(k, k);
        if (rotate) {
            // (x, y) -> (y, width - x): the top edge goes to the left, read by turning the page clockwise.
            t.concatenate(new AffineTransform(0, -1, 1, 0, 0, widthIn));
        }
        return new Fit(rotate, k, t);
    }

    /** The same placement for content measured in units of {@code 1/unitsPerInch} inch. */
    public AffineTransform toPels(double unitsPerInch) {
        AffineTransform t = new AffineTransform(toPels);
        t.scale(1 / unitsPerInch, 1 / unitsPerInch);
        return t;
    }
}
