package dev.faxlan.documents.render;

import java.awt.Rectangle;
import java.util.Arrays;

/**
 * Binarizes a scan or photograph of a document for legibility, the way a person would copy it: the paper
 * and its uneven lighting become white, text and line art become solid black, and only areas that really
 * are pictures are halftoned.
 *
 * <ol>
 *   <li><b>Paper.</b> The page is cut into tiles of {@value #TILE_INCH_DENOMINATOR}ths of an inch; a tile's
 *       paper level is its 90th-percentile gray (text covers far less than a tenth of a tile). Tiles much
 *       darker than the brightest paper nearby (inside pictures, under bold type) and pure white tiles (the
 *       canvas around an image) are filled in from their neighbours, and the grid is smoothed. Every pel is divided by this background, interpolated
 *       bilinearly, so grey paper and a lighting gradient become white.
 *   <li><b>Pictures.</b> A tile whose normalised pels are mostly mid-tones is picture-like; an opening drops
 *       isolated tiles (blurred text edges), a closing fills holes, and only connected areas of at least half
 *       a square inch are kept as pictures.
 *   <li><b>Pels.</b> Pictures are halftoned; everything else gets Sauvola's adaptive threshold, its local
 *       mean and deviation taken from running column sums (an integral over a band of rows), so the cost is
 *       a few operations per pel and the memory a few rows.
 * </ol>
 *
 * Memory: a tile grid and a ring of normalised rows, never a second page.
 */
final class ScanBinarizer {

    /** Tiles are 1/12 inch: about 2 mm, a little more than the x-height of 10-point type. */
    static final int TILE_INCH_DENOMINATOR = 12;
    /** A tile darker than this (38% gray) is never paper, so an all-dark image is not "normalised" to white. */
    private static final int MIN_PAPER = 96;
    /** A tile at least this bright is white already, not grey paper. */
    private static final int WHITE = 254;
    /** A tile is paper if it is at least 9/10 as bright as the brightest paper within an inch. */
    private static final int PAPER_SHARE_TENTHS = 9;
    /** Normalised mid-tones: neither ink nor paper. */
    private static final int MID_LOW = 48;
    private static final int MID_HIGH = 224;
    /** Sauvola's window radius, inches (a window about as tall as a line of 10-point text). */
    private static final double SAUVOLA_RADIUS_INCH = 0.07;
    /** Sauvola's k: how far below the local mean a pel must be, scaled by the local contrast. */
    private static final double SAUVOLA_K = 0.2;
    /** Normalised gray below which a pel is ink whatever its surroundings (inside large solid areas). */
    private static final int INK = 64;
    /** Normalised gray above which a pel is paper whatever its surroundings (paper noise, JPEG ringing). */
    private static final int PAPER = 176;

    private final byte[] px;
    private final int stride;
    private final int x0;
    private final int y0;
    private final int w;
    private final int h;
    private final int tileW;
    private final int tileH;
    private final int tilesX;
    private final int tilesY;
    /** Horizontal interpolation between tile centres: left tile and the right tile's weight (0..256). */
    private final int[] leftTile;
    private final int[] rightWeight;
    /** Smoothed paper level per tile, times 256 for interpolation. */
    private int[] background;

    private ScanBinarizer(byte[] px, int stride, Rectangle area, int xDpi, int yDpi) {
        this.px = px;
        this.stride = stride;
        this.x0 = area.x;
        this.y0 = area.y;
        this.w = area.width;
        this.h = area.height;
        this.tileW = Math.max(4, Math.round((float) xDpi / TILE_INCH_DENOMINATOR));
        this.tileH = Math.max(2, Math.round((float) yDpi / TILE_INCH_DENOMINATOR));
        this.tilesX = (w + tileW - 1) / tileW;
        this.tilesY = (h + tileH - 1) / tileH;
        this.leftTile = new int[w];
        this.rightWeight = new int[w];
        for (int x = 0; x < w; x++) {
            // Position in tile-centre units; clamped at the edges.
            double t = (x + 0.5) / tileW - 0.5;
            int left = (int) Math.floor(t);
            if (left < 0) {
                leftTile[x] = 0;
                rightWeight[x] = 0;
            } else if (left >= tilesX - 1) {
                leftTile[x] = tilesX - 1;
                rightWeight[x] = 0;
            } else {
                leftTile[x] = left;
                rightWeight[x] = (int) Math.round((t - left) * 256);
            }
        }
    }

    /**
     * Binarizes {@code area} of the gray pels {@code px[y * stride + x]} (0 black, 255 white) into {@code bits}
     * (1 black, MSB first, {@code bpr} bytes per row), setting and clearing every pel of the area.
     *
     * @param pictures how areas found to be pictures are halftoned
     */
    static void binarize(byte[] px, int stride, Rectangle area, int xDpi, int yDpi, Halftone pictures,
            byte[] bits, int bpr) {
        if (area.isEmpty()) {
            return;
        }
        ScanBinarizer s = new ScanBinarizer(px, stride, area, xDpi, yDpi);
        s.background = s.estimateBackground(s.paperLevels());
        boolean[] picture = s.findPictures();
        s.write(picture, pictures, xDpi, yDpi, bits, bpr);
    }

    // --- 1. paper -------------------------------------------------------------------------------------------

    /** The 90th-percentile gray of each tile. */
    private int[] paperLevels() {
        int[] level = new int[tilesX * tilesY];
        int[] hist = new int[tilesX * 256];
        for (int ty = 0; ty < tilesY; ty++) {
            Arrays.fill(hist, 0);
            int rows = Math.min(tileH, h - ty * tileH);
            for (int r = 0; r < rows; r++) {
                int s = (y0 + ty * tileH + r) * stride + x0;
                for (int x = 0; x < w; x++) {
                    hist[(x / tileW << 8) | (px[s + x] & 0xFF)]++;
                }
            }
            for (int tx = 0; tx < tilesX; tx++) {
                int cols = Math.min(tileW, w - tx * tileW);
                int darker = rows * cols / 10;
                int g = 255;
                for (int seen = 0, o = tx << 8; g > 0; g--) {
                    seen += hist[o | g];
                    if (seen > darker) {
                        break;
                    }
                }
                level[ty * tilesX + tx] = g;
            }
        }
        return level;
    }

    /** Paper level per tile (times 256): tiles that are not paper are filled in from their neighbours. */
    private int[] estimateBackground(int[] level) {
        int n = level.length;
        // Pure white tiles are the canvas around a drawn image (or paper the scanner saturated): they need no
        // correction and must not set the standard for the grey paper next to them.
        int[] grey = new int[n];
        for (int i = 0; i < n; i++) {
            grey[i] = level[i] >= WHITE ? 0 : level[i];
        }
        int[] nearby = maxFilter(grey, TILE_INCH_DENOMINATOR); // within an inch
        double[] bg = new double[n];
        boolean[] known = new boolean[n];
        int unknown = 0;
        for (int i = 0; i < n; i++) {
            known[i] = grey[i] >= MIN_PAPER && grey[i] * 10 >= nearby[i] * PAPER_SHARE_TENTHS;
            if (known[i]) {
                bg[i] = level[i];
            } else {
                unknown++;
            }
        }
        if (unknown == n) {
            // No grey paper anywhere (white, a dark picture, all black): leave the gray levels as they are.
            Arrays.fill(bg, 255);
            unknown = 0;
        }
        // Grow the known paper into the holes, a ring of tiles at a time, each the mean of its known neighbours.
        boolean[] next = new boolean[n];
        while (unknown > 0) {
            System.arraycopy(known, 0, next, 0, n);
            for (int ty = 0; ty < tilesY; ty++) {
                for (int tx = 0; tx < tilesX; tx++) {
                    int i = ty * tilesX + tx;
                    if (known[i]) {
                        continue;
                    }
                    double sum = 0;
                    int count = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int ny = ty + dy;
                            int nx = tx + dx;
                            if (ny >= 0 && ny < tilesY && nx >= 0 && nx < tilesX && known[ny * tilesX + nx]) {
                                sum += bg[ny * tilesX + nx];
                                count++;
                            }
                        }
                    }
                    if (count > 0) {
                        bg[i] = sum / count;
                        next[i] = true;
                        unknown--;
                    }
                }
            }
            System.arraycopy(next, 0, known, 0, n);
        }
        // Lighting changes slowly: two 3x3 box passes take out the tile-to-tile noise of the percentiles.
        bg = boxSmooth(boxSmooth(bg));
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = (int) Math.round(Math.max(1, bg[i]) * 256);
        }
        return out;
    }

    private int[] maxFilter(int[] v, int radius) {
        int[] across = new int[v.length];
        for (int ty = 0; ty < tilesY; ty++) {
            for (int tx = 0; tx < tilesX; tx++) {
                int m = 0;
                for (int k = Math.max(0, tx - radius), e = Math.min(tilesX - 1, tx + radius); k <= e; k++) {
                    m = Math.max(m, v[ty * tilesX + k]);
                }
                across[ty * tilesX + tx] = m;
            }
        }
        int[] out = new int[v.length];
        for (int tx = 0; tx < tilesX; tx++) {
            for (int ty = 0; ty < tilesY; ty++) {
                int m = 0;
                for (int k = Math.max(0, ty - radius), e = Math.min(tilesY - 1, ty + radius); k <= e; k++) {
                    m = Math.max(m, across[k * tilesX + tx]);
                }
                out[ty * tilesX + tx] = m;
            }
        }
        return out;
    }

    private double[] boxSmooth(double[] v) {
        double[] out = new double[v.length];
        for (int ty = 0; ty < tilesY; ty++) {
            for (int tx = 0; tx < tilesX; tx++) {
                double sum = 0;
                int count = 0;
                for (int ny = Math.max(0, ty - 1); ny <= Math.min(tilesY - 1, ty + 1); ny++) {
                    for (int nx = Math.max(0, tx - 1); nx <= Math.min(tilesX - 1, tx + 1); nx++) {
                        sum += v[ny * tilesX + nx];
                        count++;
                    }
                }
                out[ty * tilesX + tx] = sum / count;
            }
        }
        return out;
    }

    /** Row {@code y} of the area (0-based) divided by the background: paper 255, ink as dark as it was. */
    private void normalise(int y, int[] rowBackground, byte[] out, int off) {
        double t = (y + 0.5) / tileH - 0.5;
        int top = (int) Math.floor(t);
        int wy;
        if (top < 0) {
            top = 0;
            wy = 0;
        } else if (top >= tilesY - 1) {
            top = tilesY - 1;
            wy = 0;
        } else {
            wy = (int) Math.round((t - top) * 256);
        }
        int bottom = Math.min(tilesY - 1, top + 1);
        for (int tx = 0; tx < tilesX; tx++) {
            long a = background[top * tilesX + tx];
            long b = background[bottom * tilesX + tx];
            rowBackground[tx] = (int) ((a * (256 - wy) + b * wy) >> 8);
        }
        int s = (y0 + y) * stride + x0;
        for (int x = 0; x < w; x++) {
            int l = leftTile[x];
            int r = Math.min(tilesX - 1, l + 1);
            int wx = rightWeight[x];
            long bg = ((long) rowBackground[l] * (256 - wx) + (long) rowBackground[r] * wx) >> 8; // gray * 256
            int g = px[s + x] & 0xFF;
            int v = (int) (((long) g * 255 * 256) / Math.max(1, bg));
            out[off + x] = (byte) Math.min(255, v);
        }
    }

    // --- 2. pictures ----------------------------------------------------------------------------------------

    /** Tiles that belong to pictures (mid-tones over a large connected area). */
    private boolean[] findPictures() {
        int n = tilesX * tilesY;
        int[] mid = new int[n];
        int[] rowBackground = new int[tilesX];
        byte[] row = new byte[w];
        for (int y = 0; y < h; y++) {
            normalise(y, rowBackground, row, 0);
            int base = (y / tileH) * tilesX;
            for (int x = 0; x < w; x++) {
                int v = row[x] & 0xFF;
                if (v >= MID_LOW && v <= MID_HIGH) {
                    mid[base + x / tileW]++;
                }
            }
        }
        boolean[] tile = new boolean[n];
        for (int ty = 0; ty < tilesY; ty++) {
            int rows = Math.min(tileH, h - ty * tileH);
            for (int tx = 0; tx < tilesX; tx++) {
                int cols = Math.min(tileW, w - tx * tileW);
                tile[ty * tilesX + tx] = mid[ty * tilesX + tx] * 2 >= rows * cols;
            }
        }
        // Opening: blurred text edges make scattered mid-tone tiles in lines; pictures are thicker.
        tile = dilate(erode(tile, 1), 1);
        // Closing: highlights and shadows inside a picture stay part of it.
        tile = erode(dilate(tile, 2), 2);
        keepLarge(tile, (TILE_INCH_DENOMINATOR * TILE_INCH_DENOMINATOR) / 2);
        return tile;
    }

    private boolean[] erode(boolean[] in, int r) {
        return morph(in, r, true);
    }

    private boolean[] dilate(boolean[] in, int r) {
        return morph(in, r, false);
    }

    /** Square structuring element of radius {@code r}; outside the grid counts as not picture for dilation
     *  and as picture for erosion, so pictures touching the image edge keep their edge. */
    private boolean[] morph(boolean[] in, int r, boolean erode) {
        boolean[] out = new boolean[in.length];
        for (int ty = 0; ty < tilesY; ty++) {
            for (int tx = 0; tx < tilesX; tx++) {
                boolean v = erode;
                for (int ny = Math.max(0, ty - r); ny <= Math.min(tilesY - 1, ty + r) && v == erode; ny++) {
                    for (int nx = Math.max(0, tx - r); nx <= Math.min(tilesX - 1, tx + r); nx++) {
                        if (in[ny * tilesX + nx] != erode) {
                            v = !erode;
                            break;
                        }
                    }
                }
                out[ty * tilesX + tx] = v;
            }
        }
        return out;
    }

    /** Clears the connected (8-neighbour) groups of set tiles smaller than {@code minTiles}. */
    private void keepLarge(boolean[] tile, int minTiles) {
        int n = tile.length;
        boolean[] seen = new boolean[n];
        int[] queue = new int[n];
        for (int start = 0; start < n; start++) {
            if (!tile[start] || seen[start]) {
                continue;
            }
            int head = 0;
            int tail = 0;
            queue[tail++] = start;
            seen[start] = true;
            while (head < tail) {
                int i = queue[head++];
                int ty = i / tilesX;
                int tx = i % tilesX;
                for (int ny = Math.max(0, ty - 1); ny <= Math.min(tilesY - 1, ty + 1); ny++) {
                    for (int nx = Math.max(0, tx - 1); nx <= Math.min(tilesX - 1, tx + 1); nx++) {
                        int j = ny * tilesX + nx;
                        if (tile[j] && !seen[j]) {
                            seen[j] = true;
                            queue[tail++] = j;
                        }
                    }
                }
            }
            if (tail < minTiles) {
                for (int k = 0; k < tail; k++) {
                    tile[queue[k]] = false;
                }
            }
        }
    }

    // --- 3. pels --------------------------------------------------------------------------------------------

    private void write(boolean[] picture, Halftone halftone, int xDpi, int yDpi, byte[] bits, int bpr) {
        int rx = Math.max(2, (int) Math.round(SAUVOLA_RADIUS_INCH * xDpi));
        int ry = Math.max(1, (int) Math.round(SAUVOLA_RADIUS_INCH * yDpi));
        int ringRows = 2 * ry + 2;
        byte[] ring = new byte[ringRows * w];
        int[] colSum = new int[w];
        int[] colSq = new int[w];
        long[] sum = new long[w + 1];
        long[] sq = new long[w + 1];
        int[] rowBackground = new int[tilesX];
        Diffusion diffusion = halftone == Halftone.DIFFUSION ? new Diffusion(w) : null;

        for (int y = 0; y < Math.min(ry, h); y++) {
            normalise(y, rowBackground, ring, (y % ringRows) * w);
            addRow(ring, (y % ringRows) * w, colSum, colSq, 1);
        }
        for (int y = 0; y < h; y++) {
            int in = y + ry;
            if (in < h) {
                normalise(in, rowBackground, ring, (in % ringRows) * w);
                addRow(ring, (in % ringRows) * w, colSum, colSq, 1);
            }
            int out = y - ry - 1;
            if (out >= 0) {
                addRow(ring, (out % ringRows) * w, colSum, colSq, -1);
            }
            int windowRows = Math.min(h - 1, y + ry) - Math.max(0, y - ry) + 1;
            for (int x = 0; x < w; x++) {
                sum[x + 1] = sum[x] + colSum[x];
                sq[x + 1] = sq[x] + colSq[x];
            }
            int row = (y % ringRows) * w;
            int pageY = y0 + y;
            int d = pageY * bpr;
            int tileRow = (y / tileH) * tilesX;
            if (diffusion != null) {
                diffusion.startRow(y);
            }
            for (int x = 0; x < w; x++) {
                int v = ring[row + x] & 0xFF;
                boolean black;
                if (picture[tileRow + x / tileW]) {
                    continue; // halftoned below
                } else if (v < INK) {
                    black = true;
                } else if (v > PAPER) {
                    black = false;
                } else {
                    int a = Math.max(0, x - rx);
                    int b = Math.min(w - 1, x + rx);
                    double count = (double) (b - a + 1) * windowRows;
                    double mean = (sum[b + 1] - sum[a]) / count;
                    double var = Math.max(0, (sq[b + 1] - sq[a]) / count - mean * mean);
                    double t = mean * (1 + SAUVOLA_K * (Math.sqrt(var) / 128 - 1));
                    black = v < t;
                }
                set(bits, d, x0 + x, black);
            }
            // Pictures.
            if (diffusion != null) {
                diffusion.row(ring, row, picture, tileRow, bits, d);
            } else {
                for (int x = 0; x < w; x++) {
                    if (picture[tileRow + x / tileW]) {
                        int v = ring[row + x] & 0xFF;
                        boolean black = halftone == Halftone.ORDERED
                                ? v < Binarizer.screen(x0 + x, pageY)
                                : v < 128;
                        set(bits, d, x0 + x, black);
                    }
                }
            }
        }
    }

    private void addRow(byte[] ring, int off, int[] colSum, int[] colSq, int sign) {
        for (int x = 0; x < w; x++) {
            int v = ring[off + x] & 0xFF;
            colSum[x] += sign * v;
            colSq[x] += sign * v * v;
        }
    }

    private static void set(byte[] bits, int rowOffset, int x, boolean black) {
        int i = rowOffset + (x >>> 3);
        int mask = 0x80 >>> (x & 7);
        bits[i] = (byte) (black ? bits[i] | mask : bits[i] & ~mask);
    }

    /** Floyd–Steinberg over picture pels only, serpentine; error does not leak into text or paper. */
    private final class Diffusion {
        private int[] cur;
        private int[] next;
        private boolean leftToRight;

        Diffusion(int width) {
            cur = new int[width + 2];
            next = new int[width + 2];
        }

        void startRow(int y) {
            leftToRight = (y & 1) == 0;
        }

        void row(byte[] ring, int row, boolean[] picture, int tileRow, byte[] bits, int d) {
            int dir = leftToRight ? 1 : -1;
            for (int i = 0, x = leftToRight ? 0 : w - 1; i < w; i++, x += dir) {
                if (!picture[tileRow + x / tileW]) {
                    continue;
                }
                int v = (ring[row + x] & 0xFF) + (cur[x + 1] >> 4);
                int out = v < 128 ? 0 : 255;
                int err = v - out;
                next[x + 1] += err * 5;
                next[x + 1 - dir] += err * 3;
                cur[x + 1 + dir] += err * 7;
                next[x + 1 + dir] += err;
                set(bits, d, x0 + x, out == 0);
            }
            int[] t = cur;
            cur = next;
            next = t;
            Arrays.fill(next, 0);
        }
    }
}
