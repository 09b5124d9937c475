package dev.faxlan.engine.tiff;

import static dev.faxlan.engine.tiff.TiffTags.*;

import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t4.BitOrder;
import dev.faxlan.engine.t4.CodecOptions;
import dev.faxlan.engine.t4.DecodeResult;
import dev.faxlan.engine.t4.T4Decoder;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads bilevel TIFF files as libtiff writes them: any number of pages (IFD chain), strips,
 * both byte orders, both fill orders, min-is-white and min-is-black, and Compression 1 (none),
 * 2 (CCITT RLE), 3 (T.4, 1-D or 2-D, with or without fill bits), 4 (T.6) and 32773 (PackBits).
 *
 * <p>{@link #open(Path)} parses every IFD up front (so a broken chain is reported before any
 * page is used) and decodes a page only when {@link #readPage} asks for it, streaming its
 * strips from the file. Damaged fax data gives a page with counted bad lines, as from {@link
 * T4Decoder}; anything else wrong gives a {@link TiffFormatException}, never another exception.
 *
 * <p>Limits, so hostile files cannot exhaust memory or time: at most {@value #MAX_PAGES} pages,
 * {@value #MAX_ENTRIES} entries per IFD, width {@value BilevelPage#MAX_WIDTH}, height {@value
 * BilevelPage#MAX_HEIGHT}; a page costs at most one bitmap (under 40 MB at the limits) plus a
 * fixed buffer. BigTIFF and tiled TIFF are rejected.
 */
public final class TiffReader implements Closeable {

    /** Most pages (IFDs) a file may chain. */
    public static final int MAX_PAGES = 10_000;
    /** Most entries one IFD may have. */
    public static final int MAX_ENTRIES = 1_000;

    private final RandomAccessSource src;
    private final long size;
    private final ByteOrder order;
    private final List<Ifd> pages = new ArrayList<>();
    private long stripValues;

    /** Strip offsets plus byte counts over all pages: 16 MB as longs. */
    private static final long MAX_STRIP_VALUES = 1 << 20;

    /** One parsed IFD. */
    private record Ifd(TiffPageInfo info, long[] offsets, long[] counts) {
    }

    private TiffReader(RandomAccessSource src) throws IOException {
        this.src = src;
        this.size = src.size();
        if (size < 8) {
            throw new TiffFormatException("not a TIFF: " + size + " bytes is shorter than the 8-byte header");
        }
        byte[] h = new byte[8];
        src.readFully(0, h, 0, 8);
        if (h[0] == 'I' && h[1] == 'I') {
            order = ByteOrder.LITTLE_ENDIAN;
        } else if (h[0] == 'M' && h[1] == 'M') {
            order = ByteOrder.BIG_ENDIAN;
        } else {
            throw new TiffFormatException(String.format(
                    "not a TIFF: starts with %02x %02x, expected II or MM", h[0] & 0xFF, h[1] & 0xFF));
        }
        ByteBuffer b = ByteBuffer.wrap(h).order(order);
        int magic = b.getShort(2) & 0xFFFF;
        if (magic == 43) {
            throw new TiffFormatException("BigTIFF is not supported");
        }
        if (magic != 42) {
            throw new TiffFormatException("not a TIFF: version " + magic + ", expected 42");
        }
        long next = b.getInt(4) & 0xFFFF_FFFFL;
        Set<Long> seen = new HashSet<>();
        while (next != 0) {
            if (!seen.add(next)) {
                throw new TiffFormatException("IFD chain loops back to offset " + next
                        + " after " + pages.size() + " pages");
            }
            if (pages.size() == MAX_PAGES) {
                throw new TiffFormatException("more than " + MAX_PAGES + " pages");
            }
            next = parseIfd(next);
        }
        if (pages.isEmpty()) {
            throw new TiffFormatException("TIFF has no pages (first IFD offset is 0)");
        }
    }

    /** Opens a file; the caller must close the reader. */
    public static TiffReader open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new TiffReader(RandomAccessSource.of(ch));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Reads from an array (not copied; do not change it while reading). */
    public static TiffReader of(byte[] data) throws TiffFormatException {
        try {
            return new TiffReader(RandomAccessSource.of(data));
        } catch (TiffFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new AssertionError("array reads cannot fail", e);
        }
    }

    /** Reads and decodes every page of a file held in memory. */
    public static List<DecodeResult> readAll(byte[] data) throws TiffFormatException {
        try (TiffReader r = of(data)) {
            List<DecodeResult> out = new ArrayList<>();
            for (int i = 0; i < r.pageCount(); i++) {
                out.add(r.readPage(i));
            }
            return out;
        } catch (TiffFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new AssertionError("array reads cannot fail", e);
        }
    }

    /** Pages in the file (IFDs in the chain). */
    public int pageCount() {
        return pages.size();
    }

    /** Tags of page {@code index} (0-based). */
    public TiffPageInfo pageInfo(int index) {
        return pages.get(index).info();
    }

    @Override
    public void close() throws IOException {
        src.close();
    }

    private long parseIfd(long at) throws IOException {
        if (at < 8 || at + 2 > size) {
            throw new TiffFormatException("IFD offset " + at + " outside the file of " + size + " bytes");
        }
        int n = u16(read(at, 2), 0);
        if (n == 0 || n > MAX_ENTRIES) {
            throw new TiffFormatException("IFD at " + at + " has " + n + " entries (allowed 1.." + MAX_ENTRIES + ")");
        }
        long end = at + 2 + 12L * n + 4;
        if (end > size) {
            throw new TiffFormatException("IFD at " + at + " with " + n + " entries runs past the end of the file");
        }
        ByteBuffer ifd = ByteBuffer.wrap(read(at + 2, 12 * n + 4)).order(order);
        Map<Integer, long[]> tags = new HashMap<>();
        for (int i = 0; i < n; i++) {
            int p = 12 * i;
            int tag = ifd.getShort(p) & 0xFFFF;
            int type = ifd.getShort(p + 2) & 0xFFFF;
            long count = ifd.getInt(p + 4) & 0xFFFF_FFFFL;
            if (!isInteresting(tag)) {
                continue;
            }
            tags.put(tag, values(tag, type, count, ifd, p + 8));
        }
        long next = ifd.getInt(12 * n) & 0xFFFF_FFFFL;
        pages.add(validate(tags, pages.size()));
        return next;
    }

    private static boolean isInteresting(int tag) {
        return switch (tag) {
            case IMAGE_WIDTH, IMAGE_LENGTH, BITS_PER_SAMPLE, COMPRESSION, PHOTOMETRIC, FILL_ORDER,
                    STRIP_OFFSETS, SAMPLES_PER_PIXEL, ROWS_PER_STRIP, STRIP_BYTE_COUNTS,
                    X_RESOLUTION, Y_RESOLUTION, T4_OPTIONS, RESOLUTION_UNIT, TILE_WIDTH,
                    BAD_FAX_LINES -> true;
            default -> false;
        };
    }

    /** Values of an integer or rational field; a rational becomes {numerator, denominator}. */
    private long[] values(int tag, int type, long count, ByteBuffer ifd, int valuePos) throws IOException {
        int unit = switch (type) {
            case TYPE_BYTE -> 1;
            case TYPE_SHORT -> 2;
            case TYPE_LONG -> 4;
            case TYPE_RATIONAL -> 8;
            default -> throw new TiffFormatException("tag " + tag + " has field type " + type
                    + ", expected an integer or rational type");
        };
        // Strip arrays hold at most one entry per row; other tags one or two values.
        boolean strip = tag == STRIP_OFFSETS || tag == STRIP_BYTE_COUNTS;
        long limit = strip ? BilevelPage.MAX_HEIGHT : 16;
        if (count == 0 || count > limit) {
            throw new TiffFormatException("tag " + tag + " has " + count + " values (allowed 1.." + limit + ")");
        }
        if (strip) {
            // IFDs may share one huge strip array; bound what all pages together may hold.
            stripValues += count;
            if (stripValues > MAX_STRIP_VALUES) {
                throw new TiffFormatException("more than " + MAX_STRIP_VALUES
                        + " strip offsets and byte counts in the file");
            }
        }
        int bytes = (int) (count * unit);
        ByteBuffer data;
        if (bytes <= 4) {
            data = ifd.duplicate().order(order).position(valuePos).slice().order(order);
        } else {
            long off = ifd.getInt(valuePos) & 0xFFFF_FFFFL;
            if (off + bytes > size) {
                throw new TiffFormatException("values of tag " + tag + " at offset " + off
                        + " run past the end of the file (" + size + " bytes)");
            }
            data = ByteBuffer.wrap(read(off, bytes)).order(order);
        }
        int m = type == TYPE_RATIONAL ? 2 * (int) count : (int) count;
        long[] v = new long[m];
        for (int i = 0; i < m; i++) {
            v[i] = switch (type) {
                case TYPE_BYTE -> data.get(i) & 0xFF;
                case TYPE_SHORT -> data.getShort(2 * i) & 0xFFFF;
                default -> data.getInt(4 * i) & 0xFFFF_FFFFL;
            };
        }
        return v;
    }

    private Ifd validate(Map<Integer, long[]> t, int index) throws TiffFormatException {
        String where = "page " + (index + 1) + ": ";
        if (t.containsKey(TILE_WIDTH)) {
            throw new TiffFormatException(where + "tiled TIFF is not supported");
        }
        long width = required(t, IMAGE_WIDTH, where);
        long height = required(t, IMAGE_LENGTH, where);
        if (width < 1 || width > BilevelPage.MAX_WIDTH) {
            throw new TiffFormatException(where + "width " + width + " outside 1.." + BilevelPage.MAX_WIDTH);
        }
        if (height < 1 || height > BilevelPage.MAX_HEIGHT) {
            throw new TiffFormatException(where + "height " + height + " outside 1.." + BilevelPage.MAX_HEIGHT);
        }
        long bps = first(t, BITS_PER_SAMPLE, 1);
        long spp = first(t, SAMPLES_PER_PIXEL, 1);
        if (bps != 1 || spp != 1) {
            throw new TiffFormatException(where + "not a bilevel image: BitsPerSample " + bps
                    + ", SamplesPerPixel " + spp);
        }
        long compression = first(t, COMPRESSION, COMPRESSION_NONE);
        if (compression != COMPRESSION_NONE && compression != COMPRESSION_CCITT_RLE
                && compression != COMPRESSION_CCITT_T4 && compression != COMPRESSION_CCITT_T6
                && compression != COMPRESSION_PACKBITS) {
            throw new TiffFormatException(where + "compression " + compression
                    + " not supported (1, 2, 3, 4 and 32773 are)");
        }
        long photometric = first(t, PHOTOMETRIC, 0);
        if (photometric > 1) {
            throw new TiffFormatException(where + "photometric interpretation " + photometric
                    + " is not bilevel (0 or 1)");
        }
        long fillOrder = first(t, FILL_ORDER, 1);
        if (fillOrder != 1 && fillOrder != 2) {
            throw new TiffFormatException(where + "fill order " + fillOrder + " invalid (1 or 2)");
        }
        long rps = Math.min(first(t, ROWS_PER_STRIP, height), height);
        if (rps < 1) {
            throw new TiffFormatException(where + "RowsPerStrip 0");
        }
        int strips = (int) ((height + rps - 1) / rps);
        long[] offsets = t.get(STRIP_OFFSETS);
        long[] counts = t.get(STRIP_BYTE_COUNTS);
        if (offsets == null || counts == null) {
            throw new TiffFormatException(where + "StripOffsets or StripByteCounts missing");
        }
        if (offsets.length < strips || counts.length < strips) {
            throw new TiffFormatException(where + height + " rows at " + rps + " per strip need "
                    + strips + " strips, but there are " + offsets.length + " offsets and "
                    + counts.length + " byte counts");
        }
        for (int s = 0; s < strips; s++) {
            if (offsets[s] + counts[s] > size) {
                throw new TiffFormatException(where + "strip " + s + " (" + counts[s] + " bytes at "
                        + offsets[s] + ") runs past the end of the file (" + size + " bytes)");
            }
        }
        long unit = first(t, RESOLUTION_UNIT, 2);
        int xRes = resolution(t.get(X_RESOLUTION), unit, where + "XResolution");
        int yRes = resolution(t.get(Y_RESOLUTION), unit, where + "YResolution");
        long t4 = first(t, T4_OPTIONS, 0);
        long bad = first(t, BAD_FAX_LINES, -1);
        TiffPageInfo info = new TiffPageInfo((int) width, (int) height, xRes, yRes, (int) compression,
                (int) photometric, (int) fillOrder, t4, (int) rps, strips, bad);
        return new Ifd(info, offsets, counts);
    }

    private static long required(Map<Integer, long[]> t, int tag, String where) throws TiffFormatException {
        long[] v = t.get(tag);
        if (v == null) {
            throw new TiffFormatException(where + "required tag " + tag + " missing");
        }
        return v[0];
    }

    private static long first(Map<Integer, long[]> t, int tag, long dflt) {
        long[] v = t.get(tag);
        return v == null ? dflt : v[0];
    }

    /** Resolution in dpi; TIFF's default when absent is 72 per inch. */
    private static int resolution(long[] v, long unit, String what) throws TiffFormatException {
        if (v == null) {
            return 72;
        }
        if (v.length < 2 || v[1] == 0) {
            throw new TiffFormatException(what + " is not a valid rational");
        }
        double dpi = (double) v[0] / v[1] * (unit == 3 ? 2.54 : 1.0);
        long r = Math.round(dpi);
        if (r < 1 || r > 100_000) {
            throw new TiffFormatException(what + " " + v[0] + "/" + v[1] + " gives " + dpi + " dpi, outside 1..100000");
        }
        return (int) r;
    }

    /**
     * Decodes page {@code index} (0-based) into a min-is-white page; damaged fax data is repaired
     * and counted (see {@link T4Decoder}).
     *
     * @throws TiffFormatException if the page's strips cannot be read
     */
    public DecodeResult readPage(int index) throws IOException {
        Ifd ifd = pages.get(index);
        TiffPageInfo info = ifd.info();
        BilevelPage page = new BilevelPage(info.width(), info.height(), info.xRes(), info.yRes());
        byte[] bits = page.buffer();
        int bpr = page.bytesPerRow();
        int bad = 0;
        int maxConsecutive = 0;
        int consecutive = 0;
        BitOrder bitOrder = info.fillOrder() == 2 ? BitOrder.LSB_FIRST : BitOrder.MSB_FIRST;
        for (int s = 0; s < info.stripCount(); s++) {
            int y0 = s * info.rowsPerStrip();
            int rows = Math.min(info.rowsPerStrip(), info.height() - y0);
            long off = ifd.offsets()[s];
            long len = ifd.counts()[s];
            String where = "page " + (index + 1) + " strip " + s + ": ";
            switch (info.compression()) {
                case COMPRESSION_NONE, COMPRESSION_PACKBITS -> {
                    InputStream in = src.stream(off, len);
                    int got = info.compression() == COMPRESSION_NONE
                            ? readFully(in, bits, y0 * bpr, rows * bpr)
                            : unpackBits(in, bits, y0 * bpr, rows * bpr);
                    if (got < rows * bpr) {
                        throw new TiffFormatException(where + "has " + got + " bytes of pixels, needs "
                                + rows * bpr);
                    }
                    if (bitOrder == BitOrder.LSB_FIRST) {
                        for (int i = y0 * bpr, e = (y0 + rows) * bpr; i < e; i++) {
                            bits[i] = (byte) (Integer.reverse(bits[i] & 0xFF) >>> 24);
                        }
                    }
                }
                default -> {
                    CodecOptions opts = switch (info.compression()) {
                        case COMPRESSION_CCITT_RLE -> CodecOptions.rle();
                        case COMPRESSION_CCITT_T4 -> (info.t4Options() & T4_2D) != 0
                                ? CodecOptions.mr(4) : CodecOptions.mh();
                        default -> CodecOptions.mmr();
                    };
                    T4Decoder dec = new T4Decoder(src.stream(off, len), info.width(),
                            opts.withBitOrder(bitOrder), rows);
                    for (int y = y0; y < y0 + rows; y++) {
                        if (!dec.readRow(bits, y * bpr)) {
                            throw new AssertionError("decoder with a row count returned fewer rows");
                        }
                        if (dec.lastRowBad()) {
                            bad++;
                            consecutive++;
                            maxConsecutive = Math.max(maxConsecutive, consecutive);
                        } else {
                            consecutive = 0;
                        }
                    }
                }
            }
        }
        if (info.photometric() == 1) {
            // Min-is-black: 1 is white; our pages use 1 for black.
            for (int y = 0; y < info.height(); y++) {
                int o = y * bpr;
                for (int i = o; i < o + bpr; i++) {
                    bits[i] = (byte) ~bits[i];
                }
            }
            page = BilevelPage.wrap(info.width(), info.height(), info.xRes(), info.yRes(), bits);
        }
        return new DecodeResult(page, bad, maxConsecutive);
    }

    private static int readFully(InputStream in, byte[] dst, int off, int len) throws IOException {
        int total = 0;
        while (total < len) {
            int r = in.read(dst, off + total, len - total);
            if (r < 0) {
                break;
            }
            total += r;
        }
        return total;
    }

    /** PackBits (TIFF 6.0 section 9) into dst; returns bytes produced. */
    private static int unpackBits(InputStream in, byte[] dst, int off, int len) throws IOException {
        int out = 0;
        while (out < len) {
            int n = in.read();
            if (n < 0) {
                break;
            }
            n = (byte) n;
            if (n >= 0) {
                int k = Math.min(n + 1, len - out);
                int r = readFully(in, dst, off + out, k);
                out += r;
                if (r < k) {
                    break;
                }
                if (k < n + 1) {
                    break;
                }
            } else if (n != -128) {
                int v = in.read();
                if (v < 0) {
                    break;
                }
                int k = Math.min(1 - n, len - out);
                java.util.Arrays.fill(dst, off + out, off + out + k, (byte) v);
                out += k;
            }
        }
        return out;
    }

    private byte[] read(long pos, int len) throws IOException {
        byte[] b = new byte[len];
        src.readFully(pos, b, 0, len);
        return b;
    }

    private int u16(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(order).getShort(at) & 0xFFFF;
    }
}
