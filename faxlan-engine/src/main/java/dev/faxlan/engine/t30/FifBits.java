package dev.faxlan.engine.t30;

import java.util.Arrays;

/**
 * The bit field of DIS, DTC and DCS, numbered as T.30 Table 2 (bit 1 first on the line, i.e. the most
 * significant bit of the first octet as T.38 carries it). Every eighth bit from 24 on is the
 * extension bit: {@link #toBytes} sets them so the field is as long as its highest set bit needs.
 */
final class FifBits {
    private byte[] bits;

    FifBits(int octets) {
        bits = new byte[Math.max(3, octets)];
    }

    /** Reads a received field; octets after the first one without its extension bit are ignored. */
    FifBits(byte[] fif) {
        bits = fif.clone();
        bits = Arrays.copyOf(bits, octets());
    }

    boolean get(int bit) {
        int i = (bit - 1) / 8;
        return i < bits.length && (bits[i] & (0x80 >>> ((bit - 1) % 8))) != 0;
    }

    void set(int bit, boolean on) {
        int i = (bit - 1) / 8;
        if (i >= bits.length) {
            if (!on) return;
            bits = Arrays.copyOf(bits, i + 1);
        }
        if (on) bits[i] |= (byte) (0x80 >>> ((bit - 1) % 8));
        else bits[i] &= (byte) ~(0x80 >>> ((bit - 1) % 8));
    }

    /** Bits {@code first..first+n-1} as a number, {@code first} most significant. */
    int field(int first, int n) {
        int v = 0;
        for (int b = first; b < first + n; b++) v = (v << 1) | (get(b) ? 1 : 0);
        return v;
    }

    void setField(int first, int n, int value) {
        for (int i = 0; i < n; i++) set(first + i, ((value >>> (n - 1 - i)) & 1) != 0);
    }

    /** Octets through the last one with a set bit (at least 3), extension bits set between them. */
    byte[] toBytes() {
        int last = 2;
        for (int i = bits.length - 1; i >= 3; i--) {
            if ((bits[i] & 0xfe) != 0) {
                last = i;
                break;
            }
        }
        byte[] out = Arrays.copyOf(bits, last + 1);
        for (int i = 2; i < out.length; i++) {
            if (i < last) out[i] |= 1;
            else out[i] &= (byte) ~1;
        }
        return out;
    }

    /** Octets really present: a sender may stop early; bits past the last octet read as 0. */
    int octets() {
        int n = 0;
        while (n < bits.length) {
            n++;
            if (n >= 3 && (bits[n - 1] & 1) == 0) break;
        }
        return n;
    }
}
