package dev.faxlan.engine.t4;

import dev.faxlan.engine.image.BilevelPage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * Streaming T.4/T.6 encoder: push packed rows in with {@link #writeRow}, coded bytes come out
 * of the sink in chunks, {@link #finish()} ends the page. One encoder codes one page.
 *
 * <p>Layout of MH and MR pages, as on a fax line: {@code EOL line1 [fill] EOL line2 ... [fill]
 * RTC}, where for MR every EOL carries a tag bit (1 = next line 1-D). RLE rows carry no EOL
 * and start on byte boundaries; MMR rows have no EOL and the page ends with EOFB.
 *
 * <p>The encoder finds runs a word at a time and keeps two changing-element arrays; it
 * allocates nothing per row. Not thread-safe.
 */
public final class T4Encoder {

    private final BitWriter out;
    private final int width;
    private final int bytesPerRow;
    private final CodecOptions options;
    private int[] cur;
    private int[] ref;
    private int refCount;
    private int rows;
    private long lineStart = -1;
    private boolean finished;

    /**
     * @param sink receives the coded bytes; it is flushed by {@link #finish()} but not closed
     * @param width pixels per row, 1..{@value BilevelPage#MAX_WIDTH}
     */
    public T4Encoder(OutputStream sink, int width, CodecOptions options) {
        Objects.requireNonNull(sink, "sink");
        this.options = Objects.requireNonNull(options, "options");
        if (width < 1 || width > BilevelPage.MAX_WIDTH) {
            throw new IllegalArgumentException(
                    "width " + width + " outside 1.." + BilevelPage.MAX_WIDTH + " pixels");
        }
        this.out = new BitWriter(sink, options.bitOrder());
        this.width = width;
        this.bytesPerRow = BilevelPage.bytesPerRow(width);
        this.cur = new int[Runs.arraySize(width)];
        this.ref = new int[Runs.arraySize(width)];
        // T.6 and T.4 2-D start from an imaginary all-white reference line.
        ref[0] = width;
        ref[1] = width;
        ref[2] = width;
    }

    /** Codes a whole page into a new array. */
    public static byte[] encode(BilevelPage page, CodecOptions options) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(page.height() * 16 + 64);
        T4Encoder enc = new T4Encoder(bytes, page.width(), options);
        try {
            byte[] buf = page.buffer();
            for (int y = 0; y < page.height(); y++) {
                enc.writeRow(buf, page.rowOffset(y));
            }
            enc.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("ByteArrayOutputStream cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** Rows coded so far. */
    public int rows() {
        return rows;
    }

    /** Bits produced so far, fill included. */
    public long bitCount() {
        return out.bitCount();
    }

    /**
     * Codes one row of {@code ceil(width / 8)} bytes starting at {@code off}, MSB first, 1 =
     * black. Bits past the width are ignored.
     */
    public void writeRow(byte[] row, int off) throws IOException {
        if (finished) {
            throw new IllegalStateException("page already finished after " + rows + " rows");
        }
        Objects.checkFromIndexSize(off, bytesPerRow, row.length);
        int n = Runs.changes(row, off, width, cur);
        switch (options.compression()) {
            case MH -> {
                beginLine(-1);
                code1d(n);
            }
            case MR -> {
                boolean oneD = rows % options.k() == 0;
                beginLine(oneD ? 1 : 0);
                if (oneD) {
                    code1d(n);
                } else {
                    code2d(n);
                }
            }
            case MMR -> code2d(n);
            case RLE -> {
                code1d(n);
                out.padToByte();
            }
            default -> throw new AssertionError(options.compression());
        }
        int[] t = ref;
        ref = cur;
        cur = t;
        refCount = n;
        rows++;
    }

    /**
     * Ends the page: fill for the last line, RTC or EOFB if {@link CodecOptions#endOfPage()},
     * zero padding to a whole byte, and a flush of the sink.
     */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        if (options.endOfPage()) {
            switch (options.compression()) {
                case MH, MR -> {
                    int tag = options.compression() == Compression.MR ? 1 : -1;
                    beginLine(tag);
                    for (int i = 1; i < 6; i++) {
                        putEol(tag);
                    }
                }
                case MMR -> {
                    putEol(-1);
                    putEol(-1);
                }
                case RLE -> {
                    // no end-of-page signal exists
                }
                default -> throw new AssertionError(options.compression());
            }
        } else if (options.usesEol() && rows > 0) {
            padLine();
        }
        out.padToByte();
        out.flush();
    }

    /** Fill for the previous line, then the EOL (and tag bit unless {@code tag < 0}). */
    private void beginLine(int tag) throws IOException {
        padLine();
        if (options.fillBits()) {
            // EOL must end on a byte boundary (TIFF T4Options bit 2).
            int rem = (int) ((out.bitCount() + 12) & 7);
            if (rem != 0) {
                out.put(0, 8 - rem);
            }
        }
        lineStart = out.bitCount();
        putEol(tag);
    }

    /** Zero fill so the line begun at lineStart takes at least minBitsPerLine bits. */
    private void padLine() throws IOException {
        if (lineStart >= 0 && options.minBitsPerLine() > 0) {
            long used = out.bitCount() - lineStart;
            if (used < options.minBitsPerLine()) {
                out.putZeros(options.minBitsPerLine() - used);
            }
        }
    }

    private void putEol(int tag) throws IOException {
        if (tag < 0) {
            out.put(0x001, 12);
        } else {
            out.put(0x002 | tag, 13);
        }
    }

    private void code1d(int n) throws IOException {
        int a0 = 0;
        for (int i = 0; i <= n; i++) {
            int a1 = i < n ? cur[i] : width;
            putRun(a1 - a0, i & 1);
            a0 = a1;
            if (a0 >= width) {
                break;
            }
        }
    }

    private void putRun(int run, int color) throws IOException {
        int[] table = T4Tables.ENCODE[color];
        while (run > T4Tables.MAX_MAKEUP + 63) {
            out.putCode(table[103]);
            run -= T4Tables.MAX_MAKEUP;
        }
        if (run >= 64) {
            out.putCode(table[63 + (run >>> 6)]);
            run &= 63;
        }
        out.putCode(table[run]);
    }

    /** T.4 §4.2.1.3 coding procedure against {@code ref}. */
    private void code2d(int n) throws IOException {
        int[] c = cur;
        int[] r = ref;
        int a0 = -1;
        int color = 0;
        int i = 0; // index of a1 in c
        int j = 0; // lower bound of b1's index in r
        while (a0 < width) {
            int a1 = c[i];
            // b1: first changing element on the reference line right of a0 and of the colour
            // opposite to a0's, i.e. at an index of parity == color.
            while (j < refCount && r[j] <= a0) {
                j++;
            }
            // j stays the smallest index right of a0: after a left vertical move the next b1
            // may be the element just skipped for having the wrong colour.
            int jb = (j & 1) == color ? j : j + 1;
            int b1 = r[jb];
            int b2 = r[jb + 1];
            if (b2 < a1) {
                out.putCode(T4Tables.CODE_PASS);
                a0 = b2;
            } else {
                int d = a1 - b1;
                if (d >= -3 && d <= 3) {
                    out.putCode(T4Tables.CODE_VERTICAL[d + 3]);
                    a0 = a1;
                    color ^= 1;
                    i++;
                } else {
                    int a2 = c[i + 1];
                    out.putCode(T4Tables.CODE_HORIZONTAL);
                    putRun(a1 - Math.max(a0, 0), color);
                    putRun(a2 - a1, color ^ 1);
                    a0 = a2;
                    i += 2;
                }
            }
            if (i > n) {
                i = n;
            }
        }
    }
}
