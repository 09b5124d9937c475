package dev.faxlan.engine.t4;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Conversions between packed rows and changing elements: the ascending pixel positions where
 * the colour changes, starting from white. Both codecs work on changing elements because T.4
 * and T.6 describe a line by them; an array of them ends with three copies of the width as
 * sentinels so the 2-D coder can look two past the end without checks.
 */
final class Runs {

    private Runs() {
    }

    private static final VarHandle LONG_BE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** Size of a changing-element array for rows of {@code width} pixels. */
    static int arraySize(int width) {
        return width + 4;
    }

    /**
     * Finds the changing elements of a packed row, 64 pixels at a time: a word XORed with itself
     * shifted right by one pixel (the previous word's last pixel shifted in) has a 1 exactly where
     * the colour changes, and each 1 is one changing element. A halftone's short runs cost a few
     * operations each, a white word one comparison. Bits past the width are ignored.
     *
     * @return how many there are; {@code ce[n..n+2]} are set to {@code width}
     */
    static int changes(byte[] row, int off, int width, int[] ce) {
        int n = 0;
        long last = 0; // the previous pixel, in the top bit: white before the row
        int whole = width >>> 6;
        int at = off;
        for (int k = 0, base = 0; k < whole; k++, at += 8, base += 64) {
            long v = (long) LONG_BE.get(row, at);
            long t = v ^ ((v >>> 1) | last);
            last = v << 63;
            while (t != 0) {
                int z = Long.numberOfLeadingZeros(t);
                ce[n++] = base + z;
                t &= ~(Long.MIN_VALUE >>> z);
            }
        }
        int rest = width & 63;
        if (rest != 0) {
            // The last, partial word: its bytes gathered MSB first, the pixels past the width masked off.
            long v = 0;
            int bytes = (rest + 7) >>> 3;
            for (int i = 0; i < bytes; i++) {
                v |= (long) (row[at + i] & 0xFF) << (56 - 8 * i);
            }
            long t = (v ^ ((v >>> 1) | last)) & (-1L << (64 - rest));
            int base = whole << 6;
            while (t != 0) {
                int z = Long.numberOfLeadingZeros(t);
                ce[n++] = base + z;
                t &= ~(Long.MIN_VALUE >>> z);
            }
        }
        ce[n] = width;
        ce[n + 1] = width;
        ce[n + 2] = width;
        return n;
    }

    /**
     * Writes the packed row described by {@code n} changing elements, every byte of it. Pixels
     * are gathered into 64-bit words and each word is stored once: a row of short runs (a
     * halftone) costs a few shifts per run instead of a read-modify-write per byte.
     */
    static void fill(int[] ce, int n, byte[] row, int off, int width) {
        int bytes = (width + 7) >>> 3;
        int at = off;
        int end = off + bytes;
        long word = 0;
        // First pixel of the word being gathered.
        int base = 0;
        for (int j = 0; j < n; j += 2) {
            int from = ce[j];
            int to = j + 1 < n ? ce[j + 1] : width;
            if (from >= to) {
                continue;
            }
            // Store the words this black run starts beyond (they are done).
            while (from - base >= 64) {
                at = store(row, at, end, word);
                word = 0;
                base += 64;
            }
            // Runs that reach past this word fill it to its end, then whole black words.
            while (to - base > 64) {
                word |= -1L >>> (from - base);
                at = store(row, at, end, word);
                word = 0;
                base += 64;
                from = base;
            }
            word |= (-1L >>> (from - base)) & (-1L << (64 - (to - base)));
        }
        while (at < end) {
            at = store(row, at, end, word);
            word = 0;
        }
    }

    /** Stores a word's bytes at {@code at}, as many as fit before {@code end}; returns the next position. */
    private static int store(byte[] row, int at, int end, long word) {
        if (end - at >= 8) {
            LONG_BE.set(row, at, word);
            return at + 8;
        }
        for (int shift = 56; at < end; shift -= 8) {
            row[at++] = (byte) (word >>> shift);
        }
        return at;
    }
}
