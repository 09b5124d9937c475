package dev.faxlan.engine.t4;

import java.util.Objects;

/**
 * How a page is coded.
 *
 * @param compression coding scheme
 * @param k for {@link Compression#MR}: one 1-D line followed by {@code k - 1} 2-D lines (T.4
 *     uses 2 at standard and 4 at fine resolution); ignored otherwise
 * @param bitOrder order of bits within bytes; {@link BitOrder#LSB_FIRST} as on the fax line
 * @param fillBits T.4 only: insert zero bits before each EOL so that the EOL ends on a byte
 *     boundary (TIFF T4Options bit 2)
 * @param minBitsPerLine T.4 only: zero fill before each EOL so that every coded line, counted
 *     from the start of its EOL to the start of the next (EOL, tag bit, data and fill, as T.4
 *     §4.1.3 counts it), is at least this long; derived from the T.30 minimum scan-line time
 *     times the bit rate. 0 for none.
 * @param endOfPage write the end-of-page signal: RTC (six EOLs) for MH/MR, EOFB for MMR.
 *     TIFF Class F strips omit RTC but keep EOFB, as libtiff does.
 */
public record CodecOptions(
        Compression compression, int k, BitOrder bitOrder, boolean fillBits, int minBitsPerLine,
        boolean endOfPage) {

    /** Upper bound for minBitsPerLine: 40 ms at 14400 bit/s is 576 bits; this is generous. */
    public static final int MAX_MIN_BITS_PER_LINE = 1 << 16;

    public CodecOptions {
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(bitOrder, "bitOrder");
        if (k < 1) {
            throw new IllegalArgumentException("MR K parameter " + k + " must be at least 1");
        }
        if (minBitsPerLine < 0 || minBitsPerLine > MAX_MIN_BITS_PER_LINE) {
            throw new IllegalArgumentException("minBitsPerLine " + minBitsPerLine
                    + " outside 0.." + MAX_MIN_BITS_PER_LINE);
        }
    }

    /** MH, MSB first, no fill, RTC at the end. */
    public static CodecOptions mh() {
        return new CodecOptions(Compression.MH, 1, BitOrder.MSB_FIRST, false, 0, true);
    }

    /** MR with the given K, MSB first, no fill, RTC at the end. */
    public static CodecOptions mr(int k) {
        return new CodecOptions(Compression.MR, k, BitOrder.MSB_FIRST, false, 0, true);
    }

    /** MMR, MSB first, EOFB at the end. */
    public static CodecOptions mmr() {
        return new CodecOptions(Compression.MMR, 1, BitOrder.MSB_FIRST, false, 0, true);
    }

    /** TIFF Compression 2 (byte-aligned MH rows without EOL). */
    public static CodecOptions rle() {
        return new CodecOptions(Compression.RLE, 1, BitOrder.MSB_FIRST, false, 0, false);
    }

    public CodecOptions withBitOrder(BitOrder order) {
        return new CodecOptions(compression, k, order, fillBits, minBitsPerLine, endOfPage);
    }

    public CodecOptions withFillBits(boolean fill) {
        return new CodecOptions(compression, k, bitOrder, fill, minBitsPerLine, endOfPage);
    }

    public CodecOptions withMinBitsPerLine(int bits) {
        return new CodecOptions(compression, k, bitOrder, fillBits, bits, endOfPage);
    }

    public CodecOptions withEndOfPage(boolean end) {
        return new CodecOptions(compression, k, bitOrder, fillBits, minBitsPerLine, end);
    }

    /** True for the schemes that put an EOL before every line (MH and MR). */
    boolean usesEol() {
        return compression == Compression.MH || compression == Compression.MR;
    }
}
