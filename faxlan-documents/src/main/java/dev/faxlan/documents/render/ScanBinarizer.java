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
 *       paper level is its 90th-percentile gray (text covers far less than a tenth of a tile). Tiles further
 *       than a tenth from a smooth surface fitted to the paper, darker than the paper near them or far darker
 *       than the page's (inside pictures, under bold type), and pure white tiles (the canvas around an image)
 *       are filled in from their neighbours, and the grid is smoothed. Every pel is divided by this
 *       background, interpolated bilinearly, so grey paper and a lighting gradient become white.
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
    /** A document's paper is most of its grey tiles (text covers little of each); a photograph's bright parts are few. */
    private static final int MIN_PAPER_PERCENT = 30;
    /** A tile is paper if it is within 1/10 of the smooth surface fitted to the paper... */
    private static final int PAPER_SHARE_TENTHS = 9;
    /** ...and at least 7/10 as bright as the page's paper (uneven light on a flatbed or a phone stays within). */
    private static final int FAR_FROM_PAPER_TENTHS = 7;
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
    /** The tile column of each pel column. */
    private final int[] tileOf;
    /** Horizontal interpolation between tile centres: left tile and the right tile's weight (0..256). */
    private final int[] leftTile;
    private final int[] rightWeight;
    /** The gain of each pel of the row being normalised (16.16). */
    private final int[] rowGainPerPel;
    /** Smoothed paper level per tile, times 256 for interpolation. */
    private int[] background;
    /** The background is white everywhere (a photograph, a clean image): normalising leaves every pel as it is. */
    private boolean unchanged;

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
        this.tileOf = new int[w];
        this.rowGainPerPel = new int[w];
        this.leftTile = new int[w];
        this.rightWeight = new int[w];
        for (int x = 0; x < w; x++) {
            tileOf[x] = x / tileW;
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
        s.unchanged = Arrays.stream(s.background).allMatch(b -> b == 255 * 256);
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
                    hist[(tileOf[x] << 8) | (px[s + x] & 0xFF)]++;
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
        // Light falls off smoothly across a page, a picture's shading does not: the paper is what lies close to
        // a smooth surface (a quadratic in x and y) fitted to the tiles, refitted to the tiles near it until
        // darker tiles (text under bold type, pictures) and brighter ones (white highlights) drop out.
        boolean[] known = new boolean[n];
        for (int i = 0; i < n; i++) {
            known[i] = grey[i] >= MIN_PAPER;
        }
        for (int round = 0; round < 4; round++) {
            double[] surface = fitSurface(grey, known);
            if (surface == null) {
                Arrays.fill(known, false);
                break;
            }
            for (int i = 0; i < n; i++) {
                known[i] = grey[i] >= MIN_PAPER && grey[i] * 10 >= surface[i] * PAPER_SHARE_TENTHS
                        && grey[i] * 10 <= surface[i] * (20 - PAPER_SHARE_TENTHS);
            }
        }
        // A smooth surface also fits a photograph's gradient; but light changes by less than a tenth over three
        // inches, and a photograph's shading usually by more: paper is as bright as the paper near it...
        int[] paper = new int[n];
        for (int i = 0; i < n; i++) {
            paper[i] = known[i] ? grey[i] : 0;
        }
        int[] nearby = maxFilter(paper, 3 * TILE_INCH_DENOMINATOR);
        for (int i = 0; i < n; i++) {
            known[i] &= grey[i] * 10 >= nearby[i] * PAPER_SHARE_TENTHS;
        }
        // ...and not far darker than the page's paper.
        int[] sorted = grey.clone();
        Arrays.sort(sorted);
        int pagePaper = sorted[(int) (n * 0.9)];
        double[] bg = new double[n];
        int unknown = 0;
        for (int i = 0; i < n; i++) {
            known[i] &= grey[i] * 10 >= pagePaper * FAR_FROM_PAPER_TENTHS;
            if (known[i]) {
                bg[i] = level[i];
            } else {
                unknown++;
            }
        }
        int greyTiles = 0;
        for (int i = 0; i < n; i++) {
            if (grey[i] > 0) {
                greyTiles++;
            }
        }
        if (unknown == n || (n - unknown) * 100 < greyTiles * MIN_PAPER_PERCENT) {
            // No grey paper anywhere (white, a dark picture, all black), or paper only in a small part of the
            // grey: a photograph, whose brightest shades are not paper: leave the gray levels as they are.
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

    /** The largest value within {@code radius} tiles (a square window), separably. */
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

    /**
     * Least-squares fit of {@code a + bx + cy + dx² + exy + fy²} to the {@code use}d tiles (coordinates scaled to
     * -1..1); its value at every tile, or null if fewer than 12 tiles are used.
     */
    private double[] fitSurface(int[] v, boolean[] use) {
        double[][] m = new double[6][7];
        double[] f = new double[6];
        int used = 0;
        for (int ty = 0; ty < tilesY; ty++) {
            for (int tx = 0; tx < tilesX; tx++) {
                int i = ty * tilesX + tx;
                if (!use[i]) {
                    continue;
                }
                used++;
                basis(tx, ty, f);
                for (int r = 0; r < 6; r++) {
                    for (int c = 0; c < 6; c++) {
                        m[r][c] += f[r] * f[c];
                    }
                    m[r][6] += f[r] * v[i];
                }
            }
        }
        if (used < 12) {
            return null;
        }
        // Gaussian elimination with partial pivoting; a tiny ridge keeps a degenerate layout (one row of tiles)
        // solvable.
        for (int r = 0; r < 6; r++) {
            m[r][r] += 1e-6 * used;
        }
        for (int col = 0; col < 6; col++) {
            int pivot = col;
            for (int r = col + 1; r < 6; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            double[] t = m[col];
            m[col] = m[pivot];
            m[pivot] = t;
            for (int r = 0; r < 6; r++) {
                if (r != col) {
                    double k = m[r][col] / m[col][col];
                    for (int c = col; c < 7; c++) {
                        m[r][c] -= k * m[col][c];
                    }
                }
            }
        }
        double[] out = new double[v.length];
        for (int ty = 0; ty < tilesY; ty++) {
            for (int tx = 0; tx < tilesX; tx++) {
                basis(tx, ty, f);
                double s = 0;
                for (int r = 0; r < 6; r++) {
                    s += f[r] * m[r][6] / m[r][r];
                }
                out[ty * tilesX + tx] = s;
            }
        }
        return out;
    }

    private void basis(int tx, int ty, double[] f) {
        double x = tilesX > 1 ? 2.0 * tx / (tilesX - 1) - 1 : 0;
        double y = tilesY > 1 ? 2.0 * ty / (tilesY - 1) - 1 : 0;
        f[0] = 1;
        f[1] = x;
        f[2] = y;
        f[3] = x * x;
        f[4] = x * y;
        f[5] = y * y;
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
    private void normalise(int y, int[] rowGain, byte[] out, int off) {
        if (unchanged) {
            // A gain of exactly 1 (255 / 255 in 16.16) everywhere.
            System.arraycopy(px, (y0 + y) * stride + x0, out, off, w);
            return;
        }
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
            // The gain 255 / background in 16.16 fixed point; interpolating gains between tile centres instead
            // of backgrounds saves a division per pel and differs by well under a gray level.
            long bg = Math.max(256, (a * (256 - wy) + b * wy) >> 8); // gray * 256
            rowGain[tx] = (int) Math.min(Integer.MAX_VALUE, (255L << 24) / bg);
        }
        // Along the row the gain is linear between tile centres: one addition per pel.
        int[] gain = rowGainPerPel;
        int x = 0;
        for (; x < w && rightWeight[x] == 0 && leftTile[x] == 0; x++) {
            gain[x] = rowGain[0];
        }
        for (int tx = 0; tx < tilesX - 1 && x < w; tx++) {
            long g = ((long) rowGain[tx] * (256 - rightWeight[x])) + (long) rowGain[tx + 1] * rightWeight[x]; // << 8
            long step = (((long) rowGain[tx + 1] - rowGain[tx]) << 8) / tileW;
            for (; x < w && leftTile[x] == tx && !(tx == tilesX - 1); x++, g += step) {
                gain[x] = (int) (g >> 8);
            }
        }
        for (; x < w; x++) {
            gain[x] = rowGain[tilesX - 1];
        }
        int s = (y0 + y) * stride + x0;
        for (x = 0; x < w; x++) {
            int v = ((px[s + x] & 0xFF) * gain[x]) >>> 16;
            out[off + x] = (byte) Math.min(255, v);
        }
    }

    // --- 2. pictures ----------------------------------------------------------------------------------------

    /** Tiles that belong to pictures (mid-tones over a large connected area). */
    private boolean[] findPictures() {
        int n = tilesX * tilesY;
        int[] mid = new int[n];
        int[] rowGain = new int[tilesX];
        byte[] row = new byte[w];
        for (int y = 0; y < h; y++) {
            byte[] src = row;
            int off = 0;
            if (unchanged) {
                src = px; // no copy needed
                off = (y0 + y) * stride + x0;
            } else {
                normalise(y, rowGain, row, 0);
            }
            int base = (y / tileH) * tilesX;
            for (int tx = 0, x = 0; tx < tilesX; tx++) {
                int count = 0;
                for (int e = Math.min(w, x + tileW); x < e; x++) {
                    int v = src[off + x] & 0xFF;
                    count += v >= MID_LOW && v <= MID_HIGH ? 1 : 0;
                }
                mid[base + tx] += count;
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
        int[] rowGain = new int[tilesX];
        Diffusion diffusion = halftone == Halftone.DIFFUSION ? new Diffusion(w) : null;
        boolean allPicture = true;
        for (boolean p : picture) {
            allPicture &= p;
        }
        if (allPicture) {
            // A photograph: no pel needs Sauvola's window, so no column sums and no ring of rows.
            byte[] row = new byte[w];
            for (int y = 0; y < h; y++) {
                normalise(y, rowGain, row, 0);
                int d = (y0 + y) * bpr;
                if (diffusion != null) {
                    diffusion.startRow(y);
                    diffusion.row(row, 0, picture, (y / tileH) * tilesX, bits, d);
                } else {
                    halftone(row, 0, 0, w, y0 + y, halftone, bits, d);
                }
            }
            return;
        }

        for (int y = 0; y < Math.min(ry, h); y++) {
            normalise(y, rowGain, ring, (y % ringRows) * w);
            addRow(ring, (y % ringRows) * w, colSum, colSq, 1);
        }
        for (int y = 0; y < h; y++) {
            int in = y + ry;
            if (in < h) {
                normalise(in, rowGain, ring, (in % ringRows) * w);
                addRow(ring, (in % ringRows) * w, colSum, colSq, 1);
            }
            int out = y - ry - 1;
            if (out >= 0) {
                addRow(ring, (out % ringRows) * w, colSum, colSq, -1);
            }
            int windowRows = Math.min(h - 1, y + ry) - Math.max(0, y - ry) + 1;
            boolean summed = false; // the row's prefix sums, made when a pel first needs them
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
                if (picture[tileRow + tileOf[x]]) {
                    continue; // halftoned below
                } else if (v < INK) {
                    black = true;
                } else if (v > PAPER) {
                    black = false;
                } else {
                    if (!summed) {
                        for (int k = 0; k < w; k++) {
                            sum[k + 1] = sum[k] + colSum[k];
                            sq[k + 1] = sq[k] + colSq[k];
                        }
                        summed = true;
                    }
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
                // Runs of picture tiles along the row, each halftoned a byte of pels at a time.
                for (int tx = 0; tx < tilesX; tx++) {
                    if (!picture[tileRow + tx]) {
                        continue;
                    }
                    int first = tx;
                    while (tx + 1 < tilesX && picture[tileRow + tx + 1]) {
                        tx++;
                    }
                    halftone(ring, row, first * tileW, Math.min(w, (tx + 1) * tileW), pageY, halftone, bits, d);
                }
            }
        }
    }

    /**
     * Halftones the pels {@code from..to} (area columns) of a row held at {@code src[off + x]} into page row
     * {@code pageY} ({@code d} its offset in {@code bits}): the ordered screen, or a plain threshold at half gray.
     * Pels are gathered into bytes, so each byte of the page is written once.
     */
    private void halftone(byte[] src, int off, int from, int to, int pageY, Halftone halftone, byte[] bits, int d) {
        boolean ordered = halftone == Halftone.ORDERED;
        int end = x0 + to;
        int s = off + from;
        for (int p = x0 + from; p < end; ) {
            int stop = Math.min(end, (p | 7) + 1); // the end of this byte of pels, or of the run
            int acc = 0;
            int mask = 0;
            for (; p < stop; p++, s++) {
                int bit = 0x80 >>> (p & 7);
                mask |= bit;
                int t = ordered ? Binarizer.screen(p, pageY) : 128;
                acc |= (src[s] & 0xFF) < t ? bit : 0;
            }
            int i = d + ((stop - 1) >>> 3);
            bits[i] = (byte) ((bits[i] & ~mask) | acc);
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
                if (!picture[tileRow + tileOf[x]]) {
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
