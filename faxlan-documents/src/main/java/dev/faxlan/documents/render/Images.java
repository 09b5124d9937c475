package dev.faxlan.documents.render;

import dev.faxlan.engine.image.BilevelPage;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.MultiPixelPackedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/** Helpers for drawing raster images onto a {@link FaxCanvas}. */
public final class Images {

    private Images() {
    }

    /** A 1-bit image sharing the pels of {@code page} (1 is black), without copying. */
    public static BufferedImage view(BilevelPage page) {
        IndexColorModel cm = new IndexColorModel(1, 2,
                new byte[] {(byte) 255, 0}, new byte[] {(byte) 255, 0}, new byte[] {(byte) 255, 0});
        DataBufferByte buf = new DataBufferByte(page.buffer(), page.bytesPerRow() * page.height());
        WritableRaster r = Raster.createWritableRaster(
                new MultiPixelPackedSampleModel(java.awt.image.DataBuffer.TYPE_BYTE, page.width(), page.height(), 1,
                        page.bytesPerRow(), 0),
                buf, null);
        return new BufferedImage(cm, r, false, null);
    }

    /**
     * Draws {@code img} with transform {@code toPels} (image pixels to canvas pels), first
     * halving it until it is at most twice its drawn size, so that bilinear filtering does not
     * alias when shrinking a large photograph.
     */
    public static void draw(Graphics2D g, BufferedImage img, AffineTransform toPels) {
        double sx = Math.hypot(toPels.getScaleX(), toPels.getShearY());
        double sy = Math.hypot(toPels.getShearX(), toPels.getScaleY());
        double factor = Math.min(sx, sy);
        BufferedImage src = img;
        AffineTransform t = new AffineTransform(toPels);
        while (factor < 0.5 && src.getWidth() > 2 && src.getHeight() > 2) {
            int w = src.getWidth() / 2;
            int h = src.getHeight() / 2;
            BufferedImage half = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            Graphics2D hg = half.createGraphics();
            // Transparent pels become paper white.
            hg.setBackground(java.awt.Color.WHITE);
            hg.clearRect(0, 0, w, h);
            hg.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            hg.drawImage(src, 0, 0, w, h, null);
            hg.dispose();
            t.scale((double) src.getWidth() / w, (double) src.getHeight() / h);
            src = half;
            factor *= 2;
        }
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, t, null);
    }

    /**
     * Shrinks a bilevel page by an integer factor into gray (box filter: the share of black pels
     * in each {@code factor}×{@code factor} cell), without an intermediate full-size image.
     */
    public static BufferedImage shrink(BilevelPage page, int factor) {
        if (factor < 1) {
            throw new IllegalArgumentException("factor " + factor);
        }
        int w = Math.max(1, page.width() / factor);
        int h = Math.max(1, page.height() / factor);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        byte[] gray = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        int[] counts = new int[w];
        byte[] bits = page.buffer();
        int bpr = page.bytesPerRow();
        int cell = factor * factor;
        for (int y = 0; y < h; y++) {
            java.util.Arrays.fill(counts, 0);
            for (int r = y * factor; r < Math.min(page.height(), (y + 1) * factor); r++) {
                int o = r * bpr;
                for (int x = 0, e = Math.min(page.width(), w * factor); x < e; x++) {
                    if ((bits[o + (x >>> 3)] & (0x80 >>> (x & 7))) != 0) {
                        counts[x / factor]++;
                    }
                }
            }
            for (int x = 0; x < w; x++) {
                gray[y * w + x] = (byte) (255 - counts[x] * 255 / cell);
            }
        }
        return out;
    }
}
