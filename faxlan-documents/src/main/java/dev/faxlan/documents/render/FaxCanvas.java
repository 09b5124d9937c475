package dev.faxlan.documents.render;

import dev.faxlan.documents.page.FaxPageFormat;
import dev.faxlan.engine.image.BilevelPage;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.ArrayList;
import java.util.List;

/**
 * A white 8-bit gray page of fax pels to draw on with Java2D, then binarized into a
 * {@link BilevelPage}. Reusable: {@link #graphics} clears it. About 4 MB at A4 fine.
 */
public final class FaxCanvas {

    private final FaxPageFormat format;
    private final BufferedImage image;
    /** Areas of the current page, in pels, that hold pictures (raster images), not text or line art. */
    private final List<Rectangle> pictures = new ArrayList<>();
    /** More picture areas than this on one page are analysed as their bounding box. */
    static final int MAX_SEPARATE_PICTURES = 64;

    public FaxCanvas(FaxPageFormat format) {
        this.format = format;
        this.image = new BufferedImage(format.width(), format.height(), BufferedImage.TYPE_BYTE_GRAY);
    }

    public FaxPageFormat format() {
        return format;
    }

    public BufferedImage image() {
        return image;
    }

    /**
     * Clears the page to white and returns a graphics context in pels (identity transform).
     *
     * @param antialias smooth edges (for text and shapes that are then thresholded at 50%);
     *     off gives the crisp, fast rasterization fax wants for documents
     */
    public Graphics2D graphics(boolean antialias) {
        pictures.clear();
        Graphics2D g = image.createGraphics();
        g.setBackground(Color.WHITE);
        g.clearRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        Object aa = antialias ? RenderingHints.VALUE_ANTIALIAS_ON : RenderingHints.VALUE_ANTIALIAS_OFF;
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, aa);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
                antialias ? RenderingHints.VALUE_TEXT_ANTIALIAS_ON : RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        return g;
    }

    /** Graphics whose unit is the typographic point (1/72 in) on the fax page, origin top left. */
    public Graphics2D pointGraphics(boolean antialias) {
        Graphics2D g = graphics(antialias);
        g.scale(format.xDpi() / 72.0, format.yDpi() / 72.0);
        return g;
    }

    /**
     * Records that {@code pels} (page pel coordinates; clipped to the page) holds a picture: a raster image
     * such as a scan or a photograph, whose gray levels {@link #toLegiblePage} treats as such. What is drawn
     * outside the marked areas (text, rules, shapes) is taken to be solid black and white already.
     */
    public void markPicture(Rectangle pels) {
        Rectangle r = pels.intersection(new Rectangle(0, 0, image.getWidth(), image.getHeight()));
        if (!r.isEmpty()) {
            pictures.add(r);
        }
    }

    /** The picture areas marked on the current page since {@link #graphics} cleared it. */
    public List<Rectangle> pictures() {
        return List.copyOf(pictures);
    }

    /**
     * The page as fax pels, each part by what it is: outside the {@link #markPicture picture areas} a plain
     * threshold at {@code threshold}; inside them, scans and photographs binarized for legibility (paper
     * made white, text thresholded adaptively, real pictures in {@link Halftone#ORDERED ordered} dots).
     */
    public BilevelPage toLegiblePage(int threshold) {
        return toLegiblePage(threshold, Halftone.ORDERED);
    }

    /**
     * As {@link #toLegiblePage(int)}, with the areas of the pictures that really are pictures (not scanned
     * text) halftoned by {@code pictureHalftone}.
     */
    public BilevelPage toLegiblePage(int threshold, Halftone pictureHalftone) {
        BilevelPage page = Binarizer.toPage(image, format.xDpi(), format.yDpi(), Halftone.THRESHOLD, threshold);
        byte[] px = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (Rectangle area : merged(pictures)) {
            ScanBinarizer.binarize(px, image.getWidth(), area, format.xDpi(), format.yDpi(), pictureHalftone,
                    page.buffer(), page.bytesPerRow());
        }
        return page;
    }

    /**
     * Overlapping or touching areas as their bounding boxes, so a picture drawn in strips (as many scanners
     * and PDF producers do) is analysed as one; what else a box takes in is solid black and white, which the
     * scan binarizer leaves as a threshold would.
     */
    static List<Rectangle> merged(List<Rectangle> areas) {
        if (areas.size() > MAX_SEPARATE_PICTURES) {
            // A page tiled from many small images (some scanners' PDFs): one area, and no quadratic merging.
            Rectangle all = new Rectangle(areas.get(0));
            for (Rectangle a : areas) {
                all.add(a);
            }
            return List.of(all);
        }
        List<Rectangle> out = new ArrayList<>();
        for (Rectangle a : areas) {
            out.add(new Rectangle(a));
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = 0; i < out.size() && !changed; i++) {
                for (int j = i + 1; j < out.size(); j++) {
                    Rectangle a = out.get(i);
                    Rectangle b = out.get(j);
                    Rectangle grown = new Rectangle(a.x - 1, a.y - 1, a.width + 2, a.height + 2);
                    if (grown.intersects(b)) {
                        out.set(i, a.union(b));
                        out.remove(j);
                        changed = true;
                        break;
                    }
                }
            }
        }
        return out;
    }

    /** The page as fax pels. */
    public BilevelPage toPage(Halftone halftone) {
        return Binarizer.toPage(image, format.xDpi(), format.yDpi(), halftone, 128);
    }

    /** The page as fax pels with a custom threshold (higher keeps more thin dark detail). */
    public BilevelPage toPage(Halftone halftone, int threshold) {
        return Binarizer.toPage(image, format.xDpi(), format.yDpi(), halftone, threshold);
    }
}
