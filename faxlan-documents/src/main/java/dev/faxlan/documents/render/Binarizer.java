package dev.faxlan.documents.render;

import dev.faxlan.engine.image.BilevelPage;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * Turns an 8-bit gray raster (0 black, 255 white) into a {@link BilevelPage} (1 black), one row
 * at a time, without a second full-size buffer.
 */
public final class Binarizer {

    /** Clustered-dot screen: thresholds grow from the centre of each 8×8 cell outwards. */
    private static final int[] CLUSTER = {
        24, 10, 12, 26, 35, 47, 49, 37,
        8, 0, 2, 14, 45, 59, 61, 51,
        22, 6, 4, 16, 43, 57, 63, 53,
        30, 20, 18, 28, 33, 41, 55, 39,
        34, 46, 48, 36, 25, 11, 13, 27,
        44, 58, 60, 50, 9, 1, 3, 15,
        42, 56, 62, 52, 23, 7, 5, 17,
        32, 40, 54, 38, 31, 21, 19, 29,
    };

    /** Threshold per screen cell, scaled to 0..255 gray (a pel is black if gray is below it). */
    private static final int[] SCREEN = new int[64];

    static {
        for (int i = 0; i < 64; i++) {
            SCREEN[i] = (CLUSTER[i] * 255 + 127) / 64 + 2;
        }
    }

    private Binarizer() {
    }

    /** The ordered screen's threshold at page pel (x, y): a gray pel below it is black. */
    static int screen(int x, int y) {
        return SCREEN[(y & 7) << 3 | (x & 7)];
    }

    /**
     * Binarizes a {@link BufferedImage#TYPE_BYTE_GRAY} image.
     *
     * @param threshold gray level below which a pel is black for {@link Halftone#THRESHOLD}
     *     (128 is 50%); the other methods use it for pure black and white only
     */
    public static BilevelPage toPage(BufferedImage gray, int xDpi, int yDpi, Halftone halftone, int threshold) {
        if (gray.getType() != BufferedImage.TYPE_BYTE_GRAY) {
            throw new IllegalArgumentException("expected TYPE_BYTE_GRAY, got type " + gray.getType());
        }
        int w = gray.getWidth();
        int h = gray.getHeight();
        byte[] px = ((DataBufferByte) gray.getRaster().getDataBuffer()).getData();
        int stride = w; // TYPE_BYTE_GRAY created by us has no padding; checked below
        if (px.length < (long) w * h) {
            throw new IllegalArgumentException("raster smaller than " + w + "x" + h);
        }
        return toPage(px, stride, w, h, xDpi, yDpi, halftone, threshold);
    }

    /** Binarizes gray pels {@code px[y * stride + x]}. */
    public static BilevelPage toPage(byte[] px, int stride, int w, int h, int xDpi, int yDpi,
            Halftone halftone, int threshold) {
        BilevelPage page = new BilevelPage(w, h, xDpi, yDpi);
        byte[] bits = page.buffer();
        int bpr = page.bytesPerRow();
        switch (halftone) {
            case THRESHOLD -> threshold(px, stride, w, h, bits, bpr, threshold);
            case ORDERED -> ordered(px, stride, w, h, bits, bpr);
            case DIFFUSION -> diffuse(px, stride, w, h, bits, bpr);
        }
        return page;
    }

    /** Eight gray pels as one long, to skip white (and black) runs eight pels at a time. */
    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private static void threshold(byte[] px, int stride, int w, int h, byte[] bits, int bpr, int t) {
        int whole = w >>> 3;
        for (int y = 0; y < h; y++) {
            int s = y * stride;
            int d = y * bpr;
            for (int b = 0; b < whole; b++, s += 8) {
                long eight = (long) LONGS.get(px, s);
                if (eight == -1L) {
                    continue; // white
                }
                if (eight == 0L) {
                    bits[d + b] = (byte) 0xFF;
                    continue;
                }
                int acc = 0;
                for (int k = 0; k < 8; k++) {
                    acc = (acc << 1) | ((px[s + k] & 0xFF) < t ? 1 : 0);
                }
                bits[d + b] = (byte) acc;
            }
            for (int x = whole << 3; x < w; x++, s++) {
                if ((px[s] & 0xFF) < t) {
                    bits[d + (x >>> 3)] |= (byte) (0x80 >>> (x & 7));
                }
            }
        }
    }

    private static void ordered(byte[] px, int stride, int w, int h, byte[] bits, int bpr) {
        int whole = w >>> 3;
        for (int y = 0; y < h; y++) {
            int s = y * stride;
            int d = y * bpr;
            int row = (y & 7) << 3;
            for (int b = 0; b < whole; b++, s += 8) {
                long eight = (long) LONGS.get(px, s);
                if (eight == -1L) {
                    continue; // white paper: the common case
                }
                if (eight == 0L) {
                    bits[d + b] = (byte) 0xFF;
                    continue;
                }
                int acc = 0;
                for (int k = 0; k < 8; k++) {
                    acc = (acc << 1) | ((px[s + k] & 0xFF) < SCREEN[row | k] ? 1 : 0);
                }
                bits[d + b] = (byte) acc;
            }
            for (int x = whole << 3; x < w; x++, s++) {
                if ((px[s] & 0xFF) < SCREEN[row | (x & 7)]) {
                    bits[d + (x >>> 3)] |= (byte) (0x80 >>> (x & 7));
                }
            }
        }
    }

    /** Floyd–Steinberg, serpentine; errors in 1/16 units carried in two row buffers. */
    private static void diffuse(byte[] px, int stride, int w, int h, byte[] bits, int bpr) {
        int[] cur = new int[w + 2];
        int[] next = new int[w + 2];
        for (int y = 0; y < h; y++) {
            int s = y * stride;
            int d = y * bpr;
            boolean ltr = (y & 1) == 0;
            int dir = ltr ? 1 : -1;
            for (int i = 0, x = ltr ? 0 : w - 1; i < w; i++, x += dir) {
                int g = px[s + x] & 0xFF;
                int v = g + (cur[x + 1] >> 4);
                int out;
                if (g == 0 || g == 255) {
                    // Pure black or white (text, rules, paper) is kept as is and absorbs no error.
                    out = g;
                } else {
                    out = v < 128 ? 0 : 255;
                    int err = v - out;
                    next[x + 1] += err * 5;
                    next[x + 1 - dir] += err * 3;
                    cur[x + 1 + dir] += err * 7;
                    next[x + 1 + dir] += err;
                }
                if (out == 0) {
                    bits[d + (x >>> 3)] |= (byte) (0x80 >>> (x & 7));
                }
            }
            int[] t = cur;
            cur = next;
            next = t;
            java.util.Arrays.fill(next, 0);
        }
    }
}
