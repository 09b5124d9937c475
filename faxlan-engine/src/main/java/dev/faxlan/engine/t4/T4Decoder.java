package dev.faxlan.engine.t4;

import dev.faxlan.engine.image.BilevelPage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Streaming T.4/T.6 decoder: pull rows out with {@link #readRow} while the coded bytes are
 * read from an {@link InputStream} in chunks. One decoder decodes one page.
 *
 * <p><b>Page start.</b> With the row count unknown (a page from the fax line), MH and MR
 * decoding skips everything before the first EOL, as T.4 receivers do; with a known row count
 * (a TIFF strip) the first row may start without an EOL.
 *
 * <p><b>Damaged data.</b> Decoding never fails on bad codes; it repairs the page the way fax
 * machines do and counts what it repaired:
 * <ul>
 *   <li>MH and MR: a line with an invalid code, a wrong length, or data where its EOL should be
 *       is replaced by a copy of the previous row (white for the first row) and counted bad;
 *       decoding resumes at the next EOL. After a bad line, 2-D lines are decoded against the
 *       copy until the next 1-D line.</li>
 *   <li>MMR and RLE have no EOL to resynchronise on: the damaged row is replaced by the
 *       previous row and counted bad, and the page ends there. If the row count was given,
 *       the rows still missing are white and counted bad.</li>
 *   <li>Input that ends early (no RTC/EOFB) ends the page; with a given row count the missing
 *       rows are white and counted bad, as libtiff does for a short strip.</li>
 * </ul>
 * The only decoding error is a page longer than the row limit ({@link FaxCodecException}).
 *
 * <p><b>Limits.</b> Memory is the two changing-element arrays of the width plus the 16 KB read
 * buffer; every loop consumes input or output, so the decoder ends on any input.
 */
public final class T4Decoder {

    /** Default row limit when the page height is not known in advance. */
    public static final int DEFAULT_MAX_ROWS = BilevelPage.MAX_HEIGHT;

    private static final int ROW_OK = 0;
    private static final int ROW_BAD = 1;
    private static final int NO_ROW = 2;

    private final BitReader in;
    private final int width;
    private final int bytesPerRow;
    private final Compression compression;
    private final int expectedRows;
    private final int maxRows;
    private int[] cur;
    private int[] ref;
    private int refCount;
    /** Changing elements in cur after the last successful line. */
    private int curCount;
    private int rows;
    private int badLines;
    private int consecutiveBad;
    private int maxConsecutiveBad;
    private boolean lastRowBad;
    private boolean ended;
    private boolean eolPending;

    /**
     * @param source coded data; read in chunks as rows are pulled, never closed here
     * @param width pixels per row, 1..{@value BilevelPage#MAX_WIDTH}
     * @param options compression and bit order; the encoder-side fields are ignored (fill, K
     *     and minimum line length are all recognised without being told)
     * @param expectedRows rows the page has (TIFF ImageLength or RowsPerStrip), or 0 when
     *     unknown, as on a fax line: then the page ends at RTC, EOFB or the end of input
     * @param maxRows limit for a page of unknown length, at most {@value BilevelPage#MAX_HEIGHT}
     */
    public T4Decoder(InputStream source, int width, CodecOptions options, int expectedRows, int maxRows) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(options, "options");
        if (width < 1 || width > BilevelPage.MAX_WIDTH) {
            throw new IllegalArgumentException(
                    "width " + width + " outside 1.." + BilevelPage.MAX_WIDTH + " pixels");
        }
        if (maxRows < 1 || maxRows > BilevelPage.MAX_HEIGHT) {
            throw new IllegalArgumentException(
                    "maxRows " + maxRows + " outside 1.." + BilevelPage.MAX_HEIGHT);
        }
        if (expectedRows < 0 || expectedRows > maxRows) {
            throw new IllegalArgumentException(
                    "expectedRows " + expectedRows + " outside 0.." + maxRows);
        }
        this.in = new BitReader(source, options.bitOrder());
        this.width = width;
        this.bytesPerRow = BilevelPage.bytesPerRow(width);
        this.compression = options.compression();
        this.expectedRows = expectedRows;
        this.maxRows = maxRows;
        this.cur = new int[Runs.arraySize(width)];
        this.ref = new int[Runs.arraySize(width)];
        Arrays.fill(ref, 0, 3, width);
    }

    /** Decoder with the {@linkplain #DEFAULT_MAX_ROWS default row limit}. */
    public T4Decoder(InputStream source, int width, CodecOptions options, int expectedRows) {
        this(source, width, options, expectedRows, DEFAULT_MAX_ROWS);
    }

    /**
     * Decodes a whole page held in memory.
     *
     * @param expectedRows page height if known, else 0
     * @throws FaxCodecException if the page is longer than {@value #DEFAULT_MAX_ROWS} rows
     */
    public static DecodeResult decode(byte[] data, int width, int xRes, int yRes,
            CodecOptions options, int expectedRows) throws FaxCodecException {
        T4Decoder dec = new T4Decoder(new ByteArrayInputStream(data), width, options, expectedRows);
        int bpr = BilevelPage.bytesPerRow(width);
        // Without a known height, start at an A4 fine page and grow.
        int capacity = expectedRows > 0 ? expectedRows : 2300;
        byte[] bits = new byte[capacity * bpr];
        try {
            while (true) {
                if (dec.rows() == capacity) {
                    capacity = Math.min(BilevelPage.MAX_HEIGHT + 1, capacity * 2);
                    bits = Arrays.copyOf(bits, capacity * bpr);
                }
                if (!dec.readRow(bits, dec.rows() * bpr)) {
                    break;
                }
            }
        } catch (FaxCodecException e) {
            throw e;
        } catch (IOException e) {
            throw new AssertionError("ByteArrayInputStream cannot fail", e);
        }
        BilevelPage page = BilevelPage.wrap(width, dec.rows(), xRes, yRes, bits);
        return new DecodeResult(page, dec.badLineCount(), dec.maxConsecutiveBadLines());
    }

    /**
     * Decodes the next row into {@code dst} at {@code off} ({@code ceil(width / 8)} bytes, MSB
     * first, 1 = black).
     *
     * @return false at the end of the page (nothing written)
     * @throws FaxCodecException if the page runs past the row limit
     * @throws IOException if reading the source fails
     */
    public boolean readRow(byte[] dst, int off) throws IOException {
        Objects.checkFromIndexSize(off, bytesPerRow, dst.length);
        if (expectedRows > 0 && rows >= expectedRows) {
            return false;
        }
        int status = ended ? NO_ROW : switch (compression) {
            case MH, MR -> decodeT4Row();
            case MMR -> decodeMmrRow();
            case RLE -> decodeRleRow();
        };
        if (status == NO_ROW) {
            ended = true;
            if (expectedRows == 0) {
                return false;
            }
            // The data stopped short of the stated height: white, and counted.
            Arrays.fill(dst, off, off + bytesPerRow, (byte) 0);
            countRow(true);
            return true;
        }
        if (rows >= maxRows) {
            ended = true;
            throw new FaxCodecException("fax page longer than the limit of " + maxRows
                    + " rows at width " + width + " (" + compression + "): not a fax page, or "
                    + "its end-of-page signal was lost");
        }
        if (status == ROW_OK) {
            Runs.fill(cur, curCount, dst, off, width);
            int[] t = ref;
            ref = cur;
            cur = t;
            refCount = curCount;
            countRow(false);
        } else {
            // Repeat the previous row; it stays the reference line.
            Runs.fill(ref, refCount, dst, off, width);
            countRow(true);
        }
        return true;
    }

    private void countRow(boolean bad) {
        rows++;
        lastRowBad = bad;
        if (bad) {
            badLines++;
            consecutiveBad++;
            maxConsecutiveBad = Math.max(maxConsecutiveBad, consecutiveBad);
        } else {
            consecutiveBad = 0;
        }
    }

    /** Rows returned so far. */
    public int rows() {
        return rows;
    }

    /** Rows returned so far that were replaced because their data was damaged or missing. */
    public int badLineCount() {
        return badLines;
    }

    /** Longest run of consecutive bad rows so far. */
    public int maxConsecutiveBadLines() {
        return maxConsecutiveBad;
    }

    /** True if the row returned last was a replacement for a damaged one. */
    public boolean lastRowBad() {
        return lastRowBad;
    }

    private int decodeT4Row() throws IOException {
        if (rows == 0 && expectedRows == 0 && !eolPending) {
            // On a fax line a page starts with EOL (T.4 section 4.1.2); bits before it are
            // left over from training or line noise, and receivers skip them.
            eolPending = in.seekEol();
            if (!eolPending) {
                return NO_ROW;
            }
        }
        boolean eol = eolPending;
        eolPending = false;
        if (!eol) {
            in.refill();
            if (in.available() <= 0) {
                return NO_ROW;
            }
            if (in.peek(11) == 0) {
                // No code starts with eleven zeros: this is fill and an EOL, or trailing zeros.
                if (!in.skipZerosThroughOne(11)) {
                    return NO_ROW;
                }
                eol = true;
            }
        }
        boolean twoD = false;
        if (eol) {
            in.refill();
            if (compression == Compression.MR) {
                twoD = in.peek(1) == 0;
                in.skip(1);
            }
            // An EOL straight after an EOL is RTC (or the rest of the input is padding).
            if (in.available() <= 0 || in.peek(11) == 0) {
                return NO_ROW;
            }
        }
        int n = twoD ? decode2d() : decode1d();
        boolean ok = n >= 0 && !in.overrun();
        if (ok && eol) {
            // A line that was announced by an EOL must be followed by fill/EOL or the end.
            in.refill();
            ok = in.available() <= 0 || in.peek(11) == 0 || in.available() < 11
                    && in.peek(in.available()) == 0;
        }
        if (ok) {
            curCount = n;
            return ROW_OK;
        }
        eolPending = in.seekEol();
        if (!eolPending) {
            ended = true;
        }
        return ROW_BAD;
    }

    private int decodeMmrRow() throws IOException {
        in.refill();
        int avail = in.available();
        if (avail <= 0 || in.peek(12) == 1 || avail < 8 && in.peek(avail) == 0) {
            // EOFB, or the zero padding of the last byte.
            return NO_ROW;
        }
        int n = decode2d();
        if (n < 0 || in.overrun()) {
            ended = true;
            return ROW_BAD;
        }
        curCount = n;
        return ROW_OK;
    }

    private int decodeRleRow() throws IOException {
        in.refill();
        if (in.available() <= 0) {
            return NO_ROW;
        }
        int n = decode1d();
        in.alignToByte();
        if (n < 0 || in.overrun()) {
            ended = true;
            return ROW_BAD;
        }
        curCount = n;
        return ROW_OK;
    }

    /** Appends a changing element; one at the same place as the last cancels it. */
    private static int push(int[] c, int n, int x) {
        if (n > 0 && c[n - 1] == x) {
            return n - 1;
        }
        c[n] = x;
        return n + 1;
    }

    /*
     * The two line decoders below keep the bit window (BitReader.acc/avail) in locals and give
     * it back to the reader only around a refill and on return: the JIT cannot keep fields in
     * registers across a loop, and the window is on the path of every code. A refill leaves at
     * least 32 bits, enough for two codes of at most 13 bits; past the end of input the window
     * reads as zeros, which are no code, so every loop ends.
     */

    /** Decodes a 1-D line into cur; returns the number of changing elements or -1. */
    private int decode1d() throws IOException {
        BitReader b = in;
        long acc = b.acc;
        int avail = b.avail;
        int[] c = cur;
        int w = width;
        char[] table = T4Tables.DECODE_RUN[0];
        char[] other = T4Tables.DECODE_RUN[1];
        int a0 = 0;
        int n = 0;
        while (true) {
            if (avail < 32) {
                b.acc = acc;
                b.avail = avail;
                b.refill();
                acc = b.acc;
                avail = b.avail;
            }
            int e = table[(int) (acc >>> (64 - T4Tables.RUN_BITS))];
            if (e == T4Tables.INVALID) {
                n = -1;
                break;
            }
            int len = e >>> 12;
            acc <<= len;
            avail -= len;
            int run = e & 0xFFF;
            a0 += run;
            if (a0 > w) {
                n = -1;
                break;
            }
            if (run < 64) {
                // A terminating code ends the run; make-up codes are followed by more of it.
                if (a0 == w) {
                    break;
                }
                n = push(c, n, a0);
                char[] t = table;
                table = other;
                other = t;
            }
        }
        b.acc = acc;
        b.avail = avail;
        if (n < 0) {
            return -1;
        }
        c[n] = w;
        c[n + 1] = w;
        c[n + 2] = w;
        return n;
    }

    /** Decodes a 2-D line against ref into cur (T.4 §4.2.1.3); returns count or -1. */
    private int decode2d() throws IOException {
        BitReader b = in;
        long acc = b.acc;
        int avail = b.avail;
        int[] c = cur;
        // Reference changing elements end with three copies of the width, and a0 < width inside
        // the loop, so the search for b1 and the look at b2 need no bounds checks.
        int[] r = ref;
        int w = width;
        int a0 = -1;
        int color = 0;
        int n = 0;
        // Last element pushed onto cur, -1 for none: a push at the same place cancels it.
        int last = -1;
        // b1 is r[jb]: the first changing element right of a0 whose index has a0's colour's
        // parity (even elements start black runs, so they are opposite to white a0). Stepping
        // by two keeps the parity; the start only moves back by one when the colour changes.
        int jb = 0;
        line:
        while (a0 < w) {
            while (r[jb] <= a0) {
                jb += 2;
            }
            int b1 = r[jb];
            if (avail < 32) {
                b.acc = acc;
                b.avail = avail;
                b.refill();
                acc = b.acc;
                avail = b.avail;
            }
            int e = T4Tables.DECODE_MODE[(int) (acc >>> (64 - T4Tables.MODE_BITS))];
            if (e == 0) {
                n = -1;
                break;
            }
            int len = e >>> 8;
            acc <<= len;
            avail -= len;
            int mode = e & 0xFF;
            if (mode == T4Tables.MODE_PASS) {
                a0 = r[jb + 1];
            } else if (mode == T4Tables.MODE_HORIZONTAL) {
                // Two runs, of a0's colour and then the other; each is make-up codes and a
                // terminating code.
                int a = Math.max(a0, 0);
                char[] table = T4Tables.DECODE_RUN[color];
                for (int k = 0; k < 2; k++) {
                    while (true) {
                        if (avail < 32) {
                            b.acc = acc;
                            b.avail = avail;
                            b.refill();
                            acc = b.acc;
                            avail = b.avail;
                        }
                        int rc = table[(int) (acc >>> (64 - T4Tables.RUN_BITS))];
                        if (rc == T4Tables.INVALID) {
                            n = -1;
                            break line;
                        }
                        int rl = rc >>> 12;
                        acc <<= rl;
                        avail -= rl;
                        int run = rc & 0xFFF;
                        a += run;
                        if (a > w) {
                            n = -1;
                            break line;
                        }
                        if (run < 64) {
                            break;
                        }
                    }
                    if (a < w) {
                        if (a == last) {
                            n--;
                            last = n > 0 ? c[n - 1] : -1;
                        } else {
                            c[n++] = a;
                            last = a;
                        }
                    }
                    table = T4Tables.DECODE_RUN[color ^ 1];
                }
                a0 = a;
            } else if (mode == T4Tables.MODE_EXTENSION) {
                // Uncompressed mode and other extensions are not negotiated by faxlan.
                n = -1;
                break;
            } else {
                int a1 = b1 + mode - T4Tables.MODE_V0;
                if (a1 < Math.max(a0, 0) || a1 > w) {
                    n = -1;
                    break;
                }
                if (a1 < w) {
                    if (a1 == last) {
                        n--;
                        last = n > 0 ? c[n - 1] : -1;
                    } else {
                        c[n++] = a1;
                        last = a1;
                    }
                }
                a0 = a1;
                color ^= 1;
                jb = jb > 0 ? jb - 1 : 1;
            }
        }
        b.acc = acc;
        b.avail = avail;
        if (n < 0) {
            return -1;
        }
        c[n] = w;
        c[n + 1] = w;
        c[n + 2] = w;
        return n;
    }
}
