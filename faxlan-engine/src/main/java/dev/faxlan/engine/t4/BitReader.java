package dev.faxlan.engine.t4;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads coded bits through a 64-bit window. Past the end of the input it supplies zero bits and
 * lets {@link #available()} go negative, so decoders need no bounds checks in their inner loops
 * and detect truncation once per code.
 */
final class BitReader {

    private static final VarHandle LONG_BE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final InputStream in;
    private final boolean lsbFirst;
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int lim;
    private boolean eof;
    /**
     * Unread bits, left-aligned; bits below {@code avail} are zero. Package-private so the
     * decoder's inner loops can hold the window in locals (fields would be reloaded and stored
     * for every code) and hand it back around {@link #refill()}.
     */
    long acc;
    int avail;

    BitReader(InputStream in, BitOrder order) {
        this.in = in;
        this.lsbFirst = order == BitOrder.LSB_FIRST;
    }

    /**
     * Makes at least 32 bits visible (every code is at most 13 bits, so callers may peek one
     * code after each call), unless the input ends first.
     */
    void refill() throws IOException {
        if (avail >= 32) {
            return;
        }
        if (lim - pos >= 8) {
            // Take as many whole bytes of the next eight as fit into the window at once.
            long v = (long) LONG_BE.get(buf, pos);
            int take = (64 - avail) >>> 3;
            int filled = avail + (take << 3);
            long bits = v >>> avail;
            if (filled < 64) {
                bits &= -1L << (64 - filled);
            }
            acc |= bits;
            avail = filled;
            pos += take;
            return;
        }
        while (avail <= 56) {
            if (pos >= lim && !fillBuffer()) {
                return;
            }
            acc |= (long) (buf[pos++] & 0xFF) << (56 - avail);
            avail += 8;
        }
    }

    private boolean fillBuffer() throws IOException {
        if (eof) {
            return false;
        }
        int n = in.read(buf, 0, buf.length);
        while (n == 0) {
            n = in.read(buf, 0, buf.length);
        }
        if (n < 0) {
            eof = true;
            lim = 0;
            pos = 0;
            return false;
        }
        if (lsbFirst) {
            byte[] rev = T4Tables.REVERSE;
            for (int i = 0; i < n; i++) {
                buf[i] = rev[buf[i] & 0xFF];
            }
        }
        pos = 0;
        lim = n;
        return true;
    }

    /** Next {@code n} bits (1..32) without consuming them; call {@link #refill()} first. */
    int peek(int n) {
        return (int) (acc >>> (64 - n));
    }

    /** Consumes {@code n} bits, 0..32. */
    void skip(int n) {
        acc <<= n;
        avail -= n;
    }

    /** Consumes any number of bits up to 64. */
    private void skipLong(int n) {
        acc = n >= 64 ? 0 : acc << n;
        avail -= n;
    }

    /** Bits left in the window; negative once the decoder read past the end of input. */
    int available() {
        return avail;
    }

    /** True when no real bit is left. */
    boolean exhausted() throws IOException {
        refill();
        return avail <= 0;
    }

    /** True if the decoder consumed bits that were not in the input. */
    boolean overrun() {
        return avail < 0;
    }

    /** Skips to the next byte boundary of the input. */
    void alignToByte() {
        if (avail > 0) {
            skip(avail & 7);
        }
    }

    /**
     * Consumes zero bits up to and including the next 1 bit, and reports whether at least
     * {@code minZeros} zeros preceded it; false also when the input ends first.
     */
    boolean skipZerosThroughOne(int minZeros) throws IOException {
        int zeros = 0;
        while (true) {
            refill();
            if (avail <= 0) {
                return false;
            }
            int z = Long.numberOfLeadingZeros(acc);
            if (z >= avail) {
                zeros += avail;
                skipLong(avail);
                continue;
            }
            zeros += z;
            skipLong(z + 1);
            return zeros >= minZeros;
        }
    }

    /**
     * Consumes bits up to and including the next EOL (eleven or more zeros then a one).
     *
     * @return false if the input ended before an EOL
     */
    boolean seekEol() throws IOException {
        while (true) {
            int zeros = 0;
            // Count zeros, then the one that ends them.
            while (true) {
                refill();
                if (avail <= 0) {
                    return false;
                }
                int z = Long.numberOfLeadingZeros(acc);
                if (z >= avail) {
                    zeros += avail;
                    skipLong(avail);
                    continue;
                }
                zeros += z;
                skipLong(z + 1);
                break;
            }
            if (zeros >= 11) {
                return true;
            }
        }
    }
}
