package dev.faxlan.modem.g711;

/**
 * ITU-T G.711 companding, µ-law and A-law, between 16-bit linear samples and 8-bit codes.
 *
 * <p>Table-driven: the 256 decoded values, and one code per step of the input that can change the
 * code (magnitude / 4 for µ-law, linear / 8 for A-law). The tables are built once from the segment
 * rules of G.711, giving the same codes as spandsp's {@code g711.h} for every 16-bit sample: µ-law
 * encodes sign and magnitude, A-law a negative sample as the ones' complement of its magnitude;
 * overloads saturate; A-law codes have the even bits inverted.
 */
public enum G711 {
    ULAW {
        @Override
        public byte encode(int linear) {
            // Sign and magnitude: a negative sample's code is its magnitude's with the sign bit clear.
            int x = clamp(linear);
            return x >= 0 ? ULAW_ENCODE[x >> 2] : (byte) (ULAW_ENCODE[Math.min(-x, Short.MAX_VALUE) >> 2] ^ 0x80);
        }

        @Override
        public short decode(byte code) {
            return ULAW_DECODE[code & 0xFF];
        }
    },
    ALAW {
        @Override
        public byte encode(int linear) {
            return ALAW_ENCODE[(clamp(linear) >> 3) & 0x1FFF];
        }

        @Override
        public short decode(byte code) {
            return ALAW_DECODE[code & 0xFF];
        }
    };

    private static final int ULAW_BIAS = 0x84;
    private static final int ALAW_EVEN_BITS = 0x55;

    private static final short[] ULAW_DECODE = new short[256];
    private static final short[] ALAW_DECODE = new short[256];
    private static final byte[] ULAW_ENCODE = new byte[1 << 13];
    private static final byte[] ALAW_ENCODE = new byte[1 << 13];

    static {
        for (int c = 0; c < 256; c++) {
            ULAW_DECODE[c] = (short) ulawToLinear(c);
            ALAW_DECODE[c] = (short) alawToLinear(c);
        }
        // µ-law: index i holds the code of the magnitudes 4i..4i+3; A-law: of every value whose top 13 bits are i.
        for (int i = 0; i < ULAW_ENCODE.length; i++) {
            ULAW_ENCODE[i] = (byte) linearToUlaw(i << 2);
        }
        for (int i = 0; i < ALAW_ENCODE.length; i++) {
            ALAW_ENCODE[i] = (byte) linearToAlaw((short) (i << 3));
        }
    }

    /** The 8-bit code of a linear sample; values beyond 16 bits saturate first. */
    public abstract byte encode(int linear);

    /** The linear value of a code. */
    public abstract short decode(byte code);

    /** Encodes {@code len} samples. */
    public void encode(short[] linear, int off, byte[] codes, int codeOff, int len) {
        for (int i = 0; i < len; i++) {
            codes[codeOff + i] = encode(linear[off + i]);
        }
    }

    /** Decodes {@code len} codes. */
    public void decode(byte[] codes, int codeOff, short[] linear, int off, int len) {
        for (int i = 0; i < len; i++) {
            linear[off + i] = decode(codes[codeOff + i]);
        }
    }

    private static int clamp(int linear) {
        return Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, linear));
    }

    /** Position of the highest set bit (0 for 1). */
    private static int topBit(int v) {
        return 31 - Integer.numberOfLeadingZeros(v);
    }

    static int linearToUlaw(int linear) {
        int mask;
        if (linear < 0) {
            linear = ULAW_BIAS - linear;
            mask = 0x7F;
        } else {
            linear = ULAW_BIAS + linear;
            mask = 0xFF;
        }
        int segment = topBit(linear | 0xFF) - 7;
        if (segment >= 8) {
            return 0x7F ^ mask;
        }
        return ((segment << 4) | ((linear >> (segment + 3)) & 0x0F)) ^ mask;
    }

    static int ulawToLinear(int code) {
        int u = ~code & 0xFF;
        int t = (((u & 0x0F) << 3) + ULAW_BIAS) << ((u & 0x70) >> 4);
        return (u & 0x80) != 0 ? ULAW_BIAS - t : t - ULAW_BIAS;
    }

    static int linearToAlaw(int linear) {
        int mask;
        if (linear >= 0) {
            mask = ALAW_EVEN_BITS | 0x80;
        } else {
            mask = ALAW_EVEN_BITS;
            linear = -linear - 1;
        }
        int segment = topBit(linear | 0xFF) - 7;
        if (segment >= 8) {
            return 0x7F ^ mask;
        }
        int shift = segment == 0 ? 4 : segment + 3;
        return ((segment << 4) | ((linear >> shift) & 0x0F)) ^ mask;
    }

    static int alawToLinear(int code) {
        int a = (code ^ ALAW_EVEN_BITS) & 0xFF;
        int i = (a & 0x0F) << 4;
        int segment = (a & 0x70) >> 4;
        if (segment != 0) {
            i = (i + 0x108) << (segment - 1);
        } else {
            i += 8;
        }
        return (a & 0x80) != 0 ? i : -i;
    }
}
