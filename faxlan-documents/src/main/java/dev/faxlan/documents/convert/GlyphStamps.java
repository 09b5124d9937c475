package dev.faxlan.documents.convert;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.pdfbox.pdmodel.font.PDVectorFont;

/**
 * Glyphs rasterized once and then stamped onto the fax page, as a printer's glyph cache does: a page of text
 * draws the same few dozen glyphs thousands of times, and filling each glyph's outline anew (Java2D's scan
 * conversion of its curves) was most of the time a PDF page took to render.
 *
 * <p>A stamp is the glyph as Java2D fills it without anti-aliasing at one of {@value #PHASES}×{@value #PHASES}
 * positions within a pel, kept as runs of pels per row; a glyph is stamped at the position nearest its own, so
 * it lands within 1/{@value #PHASES_TWICE} pel of where its outline would have put it. One cache serves the pages
 * of one document on one thread (fonts are the document's objects); it is emptied when it holds
 * {@value #MAX_RUN_INTS} numbers, so its memory stays bounded whatever the document.
 */
final class GlyphStamps {

    /** Positions per pel, across and down, that a glyph is rasterized at. */
    static final int PHASES = 4;
    private static final int PHASES_TWICE = 2 * PHASES;
    /** Glyphs larger than this (pels, either way) are not stamped: headings are few, and drawn as outlines. */
    static final int MAX_SIZE = 160;
    /** The cache is emptied when its stamps hold this many numbers (4 bytes each). */
    private static final int MAX_RUN_INTS = 1 << 20;

    /** A glyph of a font at one size, slant and rotation (the linear part of its pel transform) and phase. */
    private record Key(Object font, int code, double m00, double m10, double m01, double m11, int phaseX, int phaseY) {
    }

    /**
     * Black runs of a rasterized glyph, {@code width}×{@code height} pels whose top left is {@code left, top}
     * pels from the glyph's origin pel: {@code runs[row]} holds pairs (first pel from {@code left}, length);
     * null runs: too large to stamp.
     */
    private record Stamp(int left, int top, int width, int height, int[][] runs) {
    }

    private static final java.awt.Stroke WIDE = new java.awt.BasicStroke(2f);
    private final Map<Key, Stamp> stamps = new HashMap<>();
    private final BufferedImage scratch = new BufferedImage(MAX_SIZE + 4, MAX_SIZE + 4, BufferedImage.TYPE_BYTE_GRAY);
    private final byte[] scratchPx = ((DataBufferByte) scratch.getRaster().getDataBuffer()).getData();
    private int heldInts;

    /**
     * Stamps the glyph {@code code} of {@code font} (its normalized outline, as PDFBox draws it), placed by {@code toPels}
     * (glyph space to canvas pels), onto {@code px} (8-bit gray, {@code stride} pels a row) in gray
     * {@code value}, if all of it lies inside {@code clip} (pels). Returns false, having drawn nothing, when it
     * does not or the glyph is too large: the caller draws it as an outline.
     *
     * @param hints how the canvas fills shapes (anti-aliasing off, stroke control), for the rasterizing
     */
    boolean stamp(PDVectorFont font, int code, AffineTransform toPels, RenderingHints hints, byte value,
            Rectangle clip, byte[] px, int stride) {
        double ox = Math.floor(toPels.getTranslateX() * PHASES + 0.5);
        double oy = Math.floor(toPels.getTranslateY() * PHASES + 0.5);
        if (Math.abs(ox) > 1e8 || Math.abs(oy) > 1e8) {
            return false; // far off the page (and beyond int arithmetic)
        }
        int phaseX = (int) Math.floorMod((long) ox, PHASES);
        int phaseY = (int) Math.floorMod((long) oy, PHASES);
        int originX = (int) Math.floorDiv((long) ox, PHASES);
        int originY = (int) Math.floorDiv((long) oy, PHASES);
        Key key = new Key(font, code, toPels.getScaleX(), toPels.getShearY(), toPels.getShearX(), toPels.getScaleY(),
                phaseX, phaseY);
        Stamp s = stamps.get(key);
        if (s == null) {
            Shape outline;
            try {
                outline = font.getNormalizedPath(code);
            } catch (IOException | RuntimeException e) {
                return false; // PDFBox's own drawing reports it
            }
            if (outline == null) {
                return false;
            }
            s = rasterize(outline, toPels, phaseX, phaseY, hints);
            if (heldInts > MAX_RUN_INTS) {
                stamps.clear();
                heldInts = 0;
            }
            stamps.put(key, s);
            heldInts += 8;
            for (int[] r : s.runs()) {
                heldInts += r.length + 4;
            }
        }
        if (s.runs() == null) {
            return false; // too large to stamp
        }
        int x0 = originX + s.left();
        int y0 = originY + s.top();
        if (s.width() > 0 && !clip.contains(x0, y0, s.width(), s.height())) {
            return false;
        }
        int[][] runs = s.runs();
        for (int r = 0; r < runs.length; r++) {
            int[] row = runs[r];
            int base = (y0 + r) * stride + x0;
            for (int k = 0; k < row.length; k += 2) {
                int from = base + row[k];
                Arrays.fill(px, from, from + row[k + 1], value);
            }
        }
        return true;
    }

    /** The glyph filled black on white in the scratch raster at a phase, as runs; no runs if it does not fit. */
    private Stamp rasterize(Shape outline, AffineTransform toPels, int phaseX, int phaseY, RenderingHints hints) {
        // The glyph's extent around its origin, to place it in the scratch raster with a pel of margin.
        AffineTransform linear = new AffineTransform(toPels.getScaleX(), toPels.getShearY(), toPels.getShearX(),
                toPels.getScaleY(), (double) phaseX / PHASES, (double) phaseY / PHASES);
        Rectangle2D extent = linear.createTransformedShape(outline).getBounds2D();
        if (extent.isEmpty()) {
            return new Stamp(0, 0, 0, 0, new int[0][]);
        }
        int left = (int) Math.floor(extent.getMinX()) - 1;
        int top = (int) Math.floor(extent.getMinY()) - 1;
        int width = (int) Math.ceil(extent.getMaxX()) + 2 - left;
        int height = (int) Math.ceil(extent.getMaxY()) + 2 - top;
        if (width > scratch.getWidth() || height > scratch.getHeight() || width <= 0 || height <= 0) {
            return new Stamp(0, 0, 0, 0, null);
        }
        int stride = scratch.getWidth();
        for (int y = 0; y < height; y++) {
            Arrays.fill(scratchPx, y * stride, y * stride + width, (byte) 0xFF);
        }
        Graphics2D g = scratch.createGraphics();
        try {
            g.setRenderingHints(hints);
            // Java2D fills with one of two scan converters, chosen by how wide the last stroke set is in pels; a
            // page's graphics has a stroke of a point or more, and so gets the span iterator that honours the
            // stroke-control hint. The glyph is transformed here, so the stroke below is as wide in pels.
            g.setStroke(WIDE);
            g.setColor(Color.BLACK);
            // Whole pels of offset only, so the glyph meets the pel grid exactly as it would on the page.
            g.translate(-left, -top);
            g.fill(linear.createTransformedShape(outline));
        } finally {
            g.dispose();
        }
        int[][] runs = new int[height][];
        int[] row = new int[width + 1];
        for (int y = 0; y < height; y++) {
            int n = 0;
            int o = y * stride;
            for (int x = 0; x < width; ) {
                if (scratchPx[o + x] != 0) {
                    x++;
                    continue;
                }
                int start = x;
                while (x < width && scratchPx[o + x] == 0) {
                    x++;
                }
                row[n++] = start;
                row[n++] = x - start;
            }
            runs[y] = Arrays.copyOf(row, n);
        }
        return new Stamp(left, top, width, height, runs);
    }
}
