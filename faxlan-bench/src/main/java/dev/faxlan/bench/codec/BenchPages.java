package dev.faxlan.bench.codec;

import dev.faxlan.engine.image.BilevelPage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The benchmark corpus: 100 A4 pages at fine resolution (1728 x 2287, 204 x 196 dpi), 50
 * text-like and 50 halftone, generated deterministically so every run and every peer tool
 * codes the same pixels.
 */
public final class BenchPages {

    public static final int WIDTH = 1728;
    /** 297 mm at 7.7 lines/mm. */
    public static final int HEIGHT = 2287;

    private BenchPages() {
    }

    public static List<BilevelPage> all() {
        List<BilevelPage> pages = new ArrayList<>(100);
        for (int i = 0; i < 50; i++) {
            pages.add(text(i));
        }
        for (int i = 0; i < 50; i++) {
            pages.add(halftone(i));
        }
        return pages;
    }

    /** Lines of "words" made of glyph-like strokes: stems, bars and dots, like 10-12 pt type. */
    public static BilevelPage text(int seed) {
        Random rnd = new Random(1000 + seed);
        BilevelPage page = new BilevelPage(WIDTH, HEIGHT, 204, 196);
        byte[] bits = page.buffer();
        int bpr = page.bytesPerRow();
        int lineHeight = 36 + rnd.nextInt(8);
        int glyphHeight = lineHeight * 2 / 3;
        for (int top = 120; top + lineHeight < HEIGHT - 120; top += lineHeight) {
            if (rnd.nextInt(12) == 0) {
                continue; // paragraph break
            }
            int right = rnd.nextInt(5) == 0 ? 200 + rnd.nextInt(1200) : WIDTH - 100;
            int x = 100;
            while (x < right) {
                int letters = 1 + rnd.nextInt(9);
                for (int l = 0; l < letters && x < right; l++) {
                    int w = 10 + rnd.nextInt(8);
                    glyph(bits, bpr, x, top, w, glyphHeight, rnd);
                    x += w + 3;
                }
                x += 14;
            }
        }
        return page;
    }

    private static void glyph(byte[] bits, int bpr, int x, int top, int w, int h, Random rnd) {
        int stroke = 3;
        int shape = rnd.nextInt(6);
        boolean tall = rnd.nextInt(4) == 0;
        int y0 = tall ? top : top + h / 3;
        int y1 = top + h;
        // Left stem for most letters, right stem for some, bars at top/middle/bottom.
        if (shape != 5) {
            rect(bits, bpr, x, y0, x + stroke, y1);
        }
        if (shape == 1 || shape == 2 || shape == 4) {
            rect(bits, bpr, x + w - stroke, y0, x + w, y1);
        }
        if (shape == 0 || shape == 2 || shape == 3) {
            rect(bits, bpr, x, y0, x + w, y0 + stroke);
        }
        if (shape == 3 || shape == 4 || shape == 5) {
            rect(bits, bpr, x, (y0 + y1) / 2, x + w, (y0 + y1) / 2 + stroke);
        }
        if (shape == 0 || shape == 5) {
            rect(bits, bpr, x, y1 - stroke, x + w, y1);
        }
        if (shape == 5) {
            rect(bits, bpr, x + w / 2 - 1, y0, x + w / 2 + 2, y1);
        }
    }

    private static void rect(byte[] bits, int bpr, int x0, int y0, int x1, int y1) {
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                bits[y * bpr + (x >>> 3)] |= (byte) (0x80 >>> (x & 7));
            }
        }
    }

    private static final int[] BAYER8 = bayer8();

    private static int[] bayer8() {
        int[] m = new int[64];
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                int v = 0;
                int xc = x ^ y;
                int yc = y;
                for (int bit = 2; bit >= 0; bit--) {
                    v = (v << 2) | (((xc >> bit) & 1) << 1 | ((yc >> bit) & 1));
                }
                m[y * 8 + x] = v;
            }
        }
        return m;
    }

    /** An 8x8 ordered dither of a gradient with smooth waves and grain, like a scanned photo. */
    public static BilevelPage halftone(int seed) {
        Random rnd = new Random(2000 + seed);
        BilevelPage page = new BilevelPage(WIDTH, HEIGHT, 204, 196);
        byte[] bits = page.buffer();
        int bpr = page.bytesPerRow();
        double fx = 0.002 + rnd.nextDouble() * 0.01;
        double fy = 0.002 + rnd.nextDouble() * 0.01;
        double phase = rnd.nextDouble() * 6.28;
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                double g = 0.5 * y / HEIGHT + 0.25 * x / WIDTH
                        + 0.25 * Math.sin(x * fx + phase) * Math.cos(y * fy);
                int level = (int) (g * 64) + rnd.nextInt(9) - 4;
                if (level > BAYER8[(y & 7) * 8 + (x & 7)]) {
                    bits[y * bpr + (x >>> 3)] |= (byte) (0x80 >>> (x & 7));
                }
            }
        }
        return page;
    }
}
