package dev.faxlan.engine.t4;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

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
     * Finds the changing elements of a packed row.
     *
     * @return how many there are; {@code ce[n..n+2]} are set to {@code width}
     */
    static int changes(byte[] row, int off, int width, int[] ce) {
        int n = 0;
        int x = 0;
        int color = 0;
        int bytes = (width + 7) >>> 3;
        while (true) {
            x = nextChange(row, off, bytes, width, x, color);
            if (x >= width) {
                break;
            }
            ce[n++] = x;
            color ^= 1;
        }
        ce[n] = width;
        ce[n + 1] = width;
        ce[n + 2] = width;
        return n;
    }

    /** First position at or after {@code x} whose pixel is not {@code color}, or width. */
    private static int nextChange(byte[] row, int off, int bytes, int width, int x, int color) {
        int flip = color == 0 ? 0 : 0xFF;
        int i = x >>> 3;
        if (i >= bytes) {
            return width;
        }
        // Finish the partly consumed byte first.
        int b = ((row[off + i] & 0xFF) ^ flip) & (0xFF >>> (x & 7));
        if (b != 0) {
            return Math.min(width, (i << 3) + Integer.numberOfLeadingZeros(b) - 24);
        }
        i++;
        // Whole 64-pixel words of one colour are the common case (white margins, black bars).
        long skip = color == 0 ? 0L : -1L;
        while (i + 8 <= bytes) {
            long v = (long) LONG_BE.get(row, off + i);
            if (v != skip) {
                return Math.min(width, (i << 3) + Long.numberOfLeadingZeros(v ^ skip));
            }
            i += 8;
        }
        while (i < bytes) {
            b = (row[off + i] & 0xFF) ^ flip;
            if (b != 0) {
                return Math.min(width, (i << 3) + Integer.numberOfLeadingZeros(b) - 24);
            }
            i++;
        }
        return width;
    }

    /** Writes the packed row described by {@code n} changing elements; clears it first. */
    static void fill(int[] ce, int n, byte[] row, int off, int width) {
        int bytes = (width + 7) >>> 3;
        Arrays.fill(row, off, off + bytes, (byte) 0);
        for (int j = 0; j < n; j += 2) {
            int from = ce[j];
            int to = j + 1 < n ? ce[j + 1] : width;
            setBlack(row, off, from, to);
        }
    }

    /** Sets pixels {@code from} (inclusive) to {@code to} (exclusive) black. */
    static void setBlack(byte[] row, int off, int from, int to) {
        if (from >= to) {
            return;
        }
        int first = from >>> 3;
        int last = (to - 1) >>> 3;
        int headMask = 0xFF >>> (from & 7);
        int tailMask = (0xFF00 >>> (((to - 1) & 7) + 1)) & 0xFF;
        if (first == last) {
            row[off + first] |= (byte) (headMask & tailMask);
            return;
        }
        row[off + first] |= (byte) headMask;
        if (last > first + 1) {
            Arrays.fill(row, off + first + 1, off + last, (byte) 0xFF);
        }
        row[off + last] |= (byte) tailMask;
    }
}
