package dev.faxlan.engine.testsupport;

import dev.faxlan.engine.image.BilevelPage;
import java.util.Random;

/** Deterministic bilevel pages for codec and TIFF tests. */
public final class TestPages {

    private TestPages() {
    }

    /** Page styles that stress different code paths. */
    public enum Style {
        /** Independent pixels: short runs, many horizontal codes. */
        NOISE,
        /** Long runs of random length: make-up codes, including runs past 2560. */
        RUNS,
        /** Rows that differ slightly from the row above: vertical and pass modes. */
        DRIFT,
        /** Mostly white with a few rectangles, like text. */
        BLOCKS
    }

    public static BilevelPage random(long seed, int width, int height, Style style) {
        Random rnd = new Random(seed);
        BilevelPage page = new BilevelPage(width, height, 204, 196);
        byte[] row = new byte[page.bytesPerRow()];
        boolean[] px = new boolean[width];
        for (int y = 0; y < height; y++) {
            switch (style) {
                case NOISE -> {
                    int density = rnd.nextInt(100);
                    for (int x = 0; x < width; x++) {
                        px[x] = rnd.nextInt(100) < density;
                    }
                }
                case RUNS -> {
                    int x = 0;
                    boolean black = rnd.nextBoolean();
                    while (x < width) {
                        int len = 1 + (rnd.nextInt(4) == 0 ? rnd.nextInt(3000) : rnd.nextInt(70));
                        for (int i = x; i < Math.min(width, x + len); i++) {
                            px[i] = black;
                        }
                        x += len;
                        black = !black;
                    }
                }
                case DRIFT -> {
                    if (y == 0 || rnd.nextInt(20) == 0) {
                        for (int x = 0; x < width; x++) {
                            px[x] = (x / (1 + rnd.nextInt(40))) % 2 == 0 && rnd.nextInt(8) != 0;
                        }
                    } else {
                        for (int k = rnd.nextInt(6); k > 0; k--) {
                            int x = rnd.nextInt(width);
                            int len = 1 + rnd.nextInt(5);
                            for (int i = x; i < Math.min(width, x + len); i++) {
                                px[i] = !px[i];
                            }
                        }
                    }
                }
                case BLOCKS -> {
                    for (int x = 0; x < width; x++) {
                        px[x] = false;
                    }
                    if (y % 24 < 16) {
                        int x = rnd.nextInt(40);
                        while (x < width) {
                            int len = 2 + rnd.nextInt(10);
                            for (int i = x; i < Math.min(width, x + len); i++) {
                                px[i] = ((y / 3 + i / 3) % 3) != 0;
                            }
                            x += len + 2 + rnd.nextInt(20);
                        }
                    }
                }
                default -> throw new AssertionError(style);
            }
            java.util.Arrays.fill(row, (byte) 0);
            for (int x = 0; x < width; x++) {
                if (px[x]) {
                    row[x >>> 3] |= (byte) (0x80 >>> (x & 7));
                }
            }
            page.setRow(y, row, 0);
        }
        return page;
    }
}
