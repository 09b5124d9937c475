package dev.faxlan.engine.tiff;

import static dev.faxlan.engine.tiff.TiffTags.*;

import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t4.BitOrder;
import dev.faxlan.engine.t4.CodecOptions;
import dev.faxlan.engine.t4.Compression;
import dev.faxlan.engine.t4.DecodeResult;
import dev.faxlan.engine.t4.T4Encoder;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes multi-page TIFF Class F (RFC 2306) files, little-endian, one strip per page.
 *
 * <p>Each page is laid out as its IFD, the IFD's out-of-line values, then the strip. The IFD of
 * a page can only say whether another page follows once that page arrives, so the writer holds
 * one coded page back; memory is one coded page, and the output stream needs no seeking.
 *
 * <p>Tags written: NewSubfileType 2, ImageWidth, ImageLength, BitsPerSample 1, Compression,
 * Photometric 0 (min-is-white), FillOrder, StripOffsets, SamplesPerPixel 1, RowsPerStrip,
 * StripByteCounts, XResolution, YResolution, T4Options or T6Options, ResolutionUnit 2 (inch),
 * PageNumber, Software, and BadFaxLines, CleanFaxData, ConsecutiveBadFaxLines for pages given as
 * a {@link DecodeResult}.
 */
public final class TiffWriter implements Closeable {

    private static final byte[] SOFTWARE_NAME = "faxlan\0".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final TiffWriteOptions options;
    private long position;
    private int pagesStarted;
    private Pending pending;
    private boolean finished;
    /**
     * Uncompressed strips are copies of the page (the caller may change the page once
     * writePage returns); one buffer serves every page, as only one page is held back.
     */
    private byte[] rawStrip = new byte[0];

    /** A page held back until the next one arrives; its strip is {@code strip[0..stripLength)}. */
    private record Pending(BilevelPage page, byte[] strip, int stripLength, int pageIndex, int badLines,
            int maxConsecutive) {
    }

    /** Starts a file: writes the 8-byte header at once. */
    public TiffWriter(OutputStream out, TiffWriteOptions options) throws IOException {
        this.out = Objects.requireNonNull(out, "out");
        this.options = Objects.requireNonNull(options, "options");
        // "II", 42, first IFD right after the header.
        write(new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0});
    }

    /** Writes a list of pages to a byte array. */
    public static byte[] toBytes(List<BilevelPage> pages, TiffWriteOptions options) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TiffWriter w = new TiffWriter(bytes, options.withTotalPages(pages.size()))) {
            for (BilevelPage p : pages) {
                w.writePage(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("ByteArrayOutputStream cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** Adds a clean page. */
    public void writePage(BilevelPage page) throws IOException {
        addPage(page, 0, 0);
    }

    /** Adds a received page with its bad-line counts (BadFaxLines, CleanFaxData tags). */
    public void writePage(DecodeResult received) throws IOException {
        addPage(received.page(), received.badLineCount(), received.maxConsecutiveBadLines());
    }

    private void addPage(BilevelPage page, int badLines, int maxConsecutive) throws IOException {
        if (finished) {
            throw new IllegalStateException("TIFF already finished after " + pagesStarted + " pages");
        }
        if (page.height() < 1) {
            throw new IllegalArgumentException("a TIFF page needs at least one row: " + page);
        }
        if (pagesStarted == 0xFFFF) {
            throw new IllegalStateException("a TIFF holds at most 65535 pages");
        }
        // The held-back page goes out first: its strip may be the buffer this page is copied to.
        if (pending != null) {
            writePending(true);
        }
        byte[] strip = encode(page);
        int length = options.encoding() == TiffEncoding.UNCOMPRESSED
                ? page.bytesPerRow() * page.height() : strip.length;
        pending = new Pending(page, strip, length, pagesStarted++, badLines, maxConsecutive);
    }

    /** Writes the last page and flushes; the stream stays open. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        if (pending != null) {
            writePending(false);
        }
        out.flush();
    }

    /** {@link #finish()} and close the stream. */
    @Override
    public void close() throws IOException {
        try {
            finish();
        } finally {
            out.close();
        }
    }

    private byte[] encode(BilevelPage page) {
        if (options.encoding() == TiffEncoding.UNCOMPRESSED) {
            int length = page.bytesPerRow() * page.height();
            if (rawStrip.length < length) {
                rawStrip = new byte[length];
            }
            byte[] raw = rawStrip;
            System.arraycopy(page.buffer(), 0, raw, 0, length);
            if (options.fillOrder() == BitOrder.LSB_FIRST) {
                for (int i = 0; i < length; i++) {
                    raw[i] = (byte) (Integer.reverse(raw[i] & 0xFF) >>> 24);
                }
            }
            return raw;
        }
        return T4Encoder.encode(page, codecOptions(options, page.yRes()));
    }

    /** Codec options a strip of this file is coded with; RTC is omitted as Class F requires. */
    static CodecOptions codecOptions(TiffWriteOptions options, int yRes) {
        CodecOptions c = switch (options.encoding()) {
            case G3_1D -> CodecOptions.mh().withEndOfPage(false);
            case G3_2D -> CodecOptions.mr(yRes > 150 ? 4 : 2).withEndOfPage(false);
            case G4 -> CodecOptions.mmr();
            case UNCOMPRESSED -> throw new IllegalArgumentException("not a fax coding");
        };
        return c.withBitOrder(options.fillOrder())
                .withFillBits(options.fillBits() && c.compression() != Compression.MMR);
    }

    private void writePending(boolean more) throws IOException {
        Pending p = pending;
        pending = null;
        BilevelPage page = p.page();
        List<int[]> entries = new ArrayList<>();
        // {tag, type, count, value}; out-of-line values are patched below.
        entries.add(new int[] {NEW_SUBFILE_TYPE, TYPE_LONG, 1, 2});
        entries.add(new int[] {IMAGE_WIDTH, TYPE_LONG, 1, page.width()});
        entries.add(new int[] {IMAGE_LENGTH, TYPE_LONG, 1, page.height()});
        entries.add(new int[] {BITS_PER_SAMPLE, TYPE_SHORT, 1, 1});
        entries.add(new int[] {COMPRESSION, TYPE_SHORT, 1, options.encoding().tiffCode()});
        entries.add(new int[] {PHOTOMETRIC, TYPE_SHORT, 1, 0});
        entries.add(new int[] {FILL_ORDER, TYPE_SHORT, 1, options.fillOrder() == BitOrder.MSB_FIRST ? 1 : 2});
        entries.add(new int[] {STRIP_OFFSETS, TYPE_LONG, 1, 0});
        entries.add(new int[] {SAMPLES_PER_PIXEL, TYPE_SHORT, 1, 1});
        entries.add(new int[] {ROWS_PER_STRIP, TYPE_LONG, 1, page.height()});
        entries.add(new int[] {STRIP_BYTE_COUNTS, TYPE_LONG, 1, p.stripLength()});
        entries.add(new int[] {X_RESOLUTION, TYPE_RATIONAL, 1, 0});
        entries.add(new int[] {Y_RESOLUTION, TYPE_RATIONAL, 1, 0});
        switch (options.encoding()) {
            case G3_1D, G3_2D -> {
                int t4 = (options.encoding() == TiffEncoding.G3_2D ? T4_2D : 0)
                        | (options.fillBits() ? T4_FILL_BITS : 0);
                entries.add(new int[] {T4_OPTIONS, TYPE_LONG, 1, t4});
            }
            case G4 -> entries.add(new int[] {T6_OPTIONS, TYPE_LONG, 1, 0});
            case UNCOMPRESSED -> {
                // no options tag
            }
        }
        entries.add(new int[] {RESOLUTION_UNIT, TYPE_SHORT, 1, 2});
        entries.add(new int[] {PAGE_NUMBER, TYPE_SHORT, 2, p.pageIndex() | (options.totalPages() << 16)});
        entries.add(new int[] {SOFTWARE, TYPE_ASCII, SOFTWARE_NAME.length, 0});
        // libtiff knows the fax tags only for fax compressions and warns about them otherwise.
        if (options.encoding() != TiffEncoding.UNCOMPRESSED) {
            if (p.badLines() > 0) {
                entries.add(new int[] {BAD_FAX_LINES, TYPE_LONG, 1, p.badLines()});
            }
            entries.add(new int[] {CLEAN_FAX_DATA, TYPE_SHORT, 1, p.badLines() > 0 ? 1 : 0});
            if (p.badLines() > 0) {
                entries.add(new int[] {CONSECUTIVE_BAD_FAX_LINES, TYPE_LONG, 1, p.maxConsecutive()});
            }
        }

        long ifdStart = position;
        int ifdSize = 2 + entries.size() * 12 + 4;
        long extraStart = ifdStart + ifdSize;
        long xResAt = extraStart;
        long yResAt = xResAt + 8;
        long softwareAt = yResAt + 8;
        long stripAt = softwareAt + SOFTWARE_NAME.length;
        stripAt += stripAt & 1;
        long end = stripAt + p.stripLength();
        end += end & 1;
        if (end > 0xFFFF_FFFFL) {
            throw new IOException("TIFF would exceed 4 GiB at page " + (p.pageIndex() + 1));
        }

        ByteBuffer b = ByteBuffer.allocate((int) (stripAt - ifdStart)).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) entries.size());
        for (int[] e : entries) {
            b.putShort((short) e[0]).putShort((short) e[1]).putInt(e[2]);
            int value = switch (e[0]) {
                case STRIP_OFFSETS -> (int) stripAt;
                case X_RESOLUTION -> (int) xResAt;
                case Y_RESOLUTION -> (int) yResAt;
                case SOFTWARE -> (int) softwareAt;
                default -> e[3];
            };
            if (e[1] == TYPE_SHORT && e[2] == 1) {
                b.putShort((short) value).putShort((short) 0);
            } else if (e[1] == TYPE_SHORT) {
                b.putShort((short) (value & 0xFFFF)).putShort((short) (value >>> 16));
            } else {
                b.putInt(value);
            }
        }
        b.putInt(more ? (int) end : 0);
        b.putInt(page.xRes()).putInt(1);
        b.putInt(page.yRes()).putInt(1);
        b.put(SOFTWARE_NAME);
        write(b.array());
        write(p.strip(), p.stripLength());
        if ((p.stripLength() & 1) != 0) {
            write(new byte[1]);
        }
    }

    private void write(byte[] bytes) throws IOException {
        write(bytes, bytes.length);
    }

    private void write(byte[] bytes, int length) throws IOException {
        out.write(bytes, 0, length);
        position += length;
    }
}
