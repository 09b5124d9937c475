package dev.faxlan.engine.image;

import java.util.Arrays;
import java.util.Objects;

/**
 * A one-bit-per-pixel page image as fax handles it.
 *
 * <p>Rows are packed MSB first (the leftmost pixel is bit 7 of the first byte), {@code 1} is
 * black, and each row starts on a byte boundary: row {@code y} occupies {@code
 * bytesPerRow()} bytes starting at {@code y * bytesPerRow()} of {@link #buffer()}. Padding bits
 * at the end of a row are kept zero by every method of this class so that two pages with the
 * same pixels are {@link #equals equal}.
 *
 * <p>The pixel store is one contiguous array (not an array per row) so that a fine-resolution
 * A4 page costs one allocation of about 500 KB and rows can be handed to codecs without copying.
 * The class is mutable through {@link #setRow} and {@link #buffer()}; it is not thread-safe.
 */
public final class BilevelPage {

    /** Widest page accepted: A3 at 400 dpi (T.30 allows 4864 pixels). */
    public static final int MAX_WIDTH = 4864;
    /** Tallest page accepted: the largest value the 16-bit TIFF/T.30 world expects. */
    public static final int MAX_HEIGHT = 65535;

    private final int width;
    private final int height;
    private final int xRes;
    private final int yRes;
    private final int bytesPerRow;
    private final byte[] bits;

    /**
     * Creates an all-white page.
     *
     * @param width pixels per row, 1..{@value #MAX_WIDTH}
     * @param height rows, 0..{@value #MAX_HEIGHT}
     * @param xRes horizontal resolution in dots per inch (e.g. 204), positive
     * @param yRes vertical resolution in dots per inch (98, 196 or 391 for fax), positive
     */
    public BilevelPage(int width, int height, int xRes, int yRes) {
        this(width, height, xRes, yRes, null);
    }

    /**
     * Wraps already packed rows without copying.
     *
     * @param bits packed rows, at least {@code height * bytesPerRow(width)} bytes; padding bits at
     *     row ends are cleared by this constructor
     */
    public static BilevelPage wrap(int width, int height, int xRes, int yRes, byte[] bits) {
        Objects.requireNonNull(bits, "bits");
        return new BilevelPage(width, height, xRes, yRes, bits);
    }

    private BilevelPage(int width, int height, int xRes, int yRes, byte[] bits) {
        if (width < 1 || width > MAX_WIDTH) {
            throw new IllegalArgumentException(
                    "page width " + width + " outside 1.." + MAX_WIDTH + " pixels");
        }
        if (height < 0 || height > MAX_HEIGHT) {
            throw new IllegalArgumentException(
                    "page height " + height + " outside 0.." + MAX_HEIGHT + " rows");
        }
        if (xRes <= 0 || yRes <= 0) {
            throw new IllegalArgumentException("resolution " + xRes + "x" + yRes + " dpi must be positive");
        }
        this.width = width;
        this.height = height;
        this.xRes = xRes;
        this.yRes = yRes;
        this.bytesPerRow = bytesPerRow(width);
        int size = bytesPerRow * height;
        if (bits == null) {
            this.bits = new byte[size];
        } else {
            if (bits.length < size) {
                throw new IllegalArgumentException(
                        "bitmap of " + bits.length + " bytes is too small for " + width + "x" + height
                                + " (needs " + size + ")");
            }
            this.bits = bits;
            if ((width & 7) != 0) {
                for (int y = 0; y < height; y++) {
                    clearPadding(y);
                }
            }
        }
    }

    /** Bytes needed for one packed row of {@code width} pixels. */
    public static int bytesPerRow(int width) {
        return (width + 7) >>> 3;
    }

    /** Pixels per row. */
    public int width() {
        return width;
    }

    /** Rows. */
    public int height() {
        return height;
    }

    /** Horizontal resolution in dots per inch. */
    public int xRes() {
        return xRes;
    }

    /** Vertical resolution in dots per inch. */
    public int yRes() {
        return yRes;
    }

    /** Bytes per packed row, {@code ceil(width / 8)}. */
    public int bytesPerRow() {
        return bytesPerRow;
    }

    /** Offset of row {@code y} in {@link #buffer()}. */
    public int rowOffset(int y) {
        Objects.checkIndex(y, height);
        return y * bytesPerRow;
    }

    /**
     * The backing array (shared, not a copy): row {@code y} starts at {@link #rowOffset(int)}.
     * Callers that write into it must keep row padding bits zero.
     */
    public byte[] buffer() {
        return bits;
    }

    /** A copy of row {@code y}. */
    public byte[] row(int y) {
        int off = rowOffset(y);
        return Arrays.copyOfRange(bits, off, off + bytesPerRow);
    }

    /** Copies row {@code y} into {@code dst} at {@code dstOff}. */
    public void copyRow(int y, byte[] dst, int dstOff) {
        System.arraycopy(bits, rowOffset(y), dst, dstOff, bytesPerRow);
    }

    /** Replaces row {@code y} with {@code bytesPerRow()} bytes from {@code src}. */
    public void setRow(int y, byte[] src, int srcOff) {
        System.arraycopy(src, srcOff, bits, rowOffset(y), bytesPerRow);
        clearPadding(y);
    }

    /** True if the pixel is black. */
    public boolean isBlack(int x, int y) {
        Objects.checkIndex(x, width);
        return (bits[rowOffset(y) + (x >>> 3)] & (0x80 >>> (x & 7))) != 0;
    }

    /** Sets one pixel; slow, meant for tests and rendering of small things. */
    public void setPixel(int x, int y, boolean black) {
        Objects.checkIndex(x, width);
        int i = rowOffset(y) + (x >>> 3);
        int mask = 0x80 >>> (x & 7);
        bits[i] = (byte) (black ? bits[i] | mask : bits[i] & ~mask);
    }

    /** A page with the same pixels and the given resolution, sharing nothing. */
    public BilevelPage withResolution(int newXRes, int newYRes) {
        return new BilevelPage(width, height, newXRes, newYRes,
                Arrays.copyOf(bits, bytesPerRow * height));
    }

    private void clearPadding(int y) {
        int rem = width & 7;
        if (rem != 0) {
            int i = y * bytesPerRow + bytesPerRow - 1;
            bits[i] &= (byte) (0xFF00 >>> rem);
        }
    }

    /** Same size, resolution and pixels. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof BilevelPage p)) {
            return false;
        }
        return width == p.width && height == p.height && xRes == p.xRes && yRes == p.yRes
                && Arrays.equals(bits, 0, bytesPerRow * height, p.bits, 0, bytesPerRow * height);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(width, height, xRes, yRes);
        for (int i = 0, n = bytesPerRow * height; i < n; i++) {
            h = 31 * h + bits[i];
        }
        return h;
    }

    /** Index of the first row that differs from {@code other}, or -1; for test messages. */
    public int firstDifferentRow(BilevelPage other) {
        int rows = Math.min(height, other.height);
        if (bytesPerRow == other.bytesPerRow) {
            for (int y = 0; y < rows; y++) {
                int o = y * bytesPerRow;
                if (!Arrays.equals(bits, o, o + bytesPerRow, other.bits, o, o + bytesPerRow)) {
                    return y;
                }
            }
        } else {
            return 0;
        }
        return height == other.height ? -1 : rows;
    }

    @Override
    public String toString() {
        return "BilevelPage[" + width + "x" + height + " @ " + xRes + "x" + yRes + " dpi]";
    }
}
