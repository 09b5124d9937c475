package dev.faxlan.engine.t4;

import java.io.IOException;
import java.io.OutputStream;

/** Packs codes into bytes and hands full buffers to an {@link OutputStream}. */
final class BitWriter {

    private final OutputStream out;
    private final boolean lsbFirst;
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    /** Pending bits, right-aligned; fewer than 32 between calls. */
    private long acc;
    private int pending;
    private long bitCount;

    BitWriter(OutputStream out, BitOrder order) {
        this.out = out;
        this.lsbFirst = order == BitOrder.LSB_FIRST;
    }

    /** Total bits written so far. */
    long bitCount() {
        return bitCount;
    }

    /** Writes the low {@code length} bits of {@code bits}, length at most 32. */
    void put(int bits, int length) throws IOException {
        // Fewer than 32 bits are pending on entry, so the 64-bit window never overflows, and
        // whole 32-bit words leave at once instead of byte by byte.
        acc = (acc << length) | (bits & ((1L << length) - 1));
        pending += length;
        bitCount += length;
        if (pending >= 32) {
            pending -= 32;
            if (pos + 4 > buf.length) {
                drain();
            }
            int v = (int) (acc >>> pending);
            buf[pos] = (byte) (v >>> 24);
            buf[pos + 1] = (byte) (v >>> 16);
            buf[pos + 2] = (byte) (v >>> 8);
            buf[pos + 3] = (byte) v;
            pos += 4;
        }
    }

    /** Writes a code stored as (length << 16) | bits. */
    void putCode(int code) throws IOException {
        put(code & 0xFFFF, code >>> 16);
    }

    void putZeros(long count) throws IOException {
        while (count > 0) {
            int n = (int) Math.min(count, 32);
            put(0, n);
            count -= n;
        }
    }

    /** Pads with zero bits to the next byte boundary. */
    void padToByte() throws IOException {
        int rem = (int) (bitCount & 7);
        if (rem != 0) {
            put(0, 8 - rem);
        }
    }

    /** Writes every complete byte to the stream (pad first to include a partial byte). */
    void flush() throws IOException {
        while (pending >= 8) {
            pending -= 8;
            if (pos == buf.length) {
                drain();
            }
            buf[pos++] = (byte) (acc >>> pending);
        }
        drain();
        out.flush();
    }

    private void drain() throws IOException {
        if (lsbFirst) {
            byte[] rev = T4Tables.REVERSE;
            for (int i = 0; i < pos; i++) {
                buf[i] = rev[buf[i] & 0xFF];
            }
        }
        out.write(buf, 0, pos);
        pos = 0;
    }
}
