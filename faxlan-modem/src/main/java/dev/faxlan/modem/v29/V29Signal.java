package dev.faxlan.modem.v29;

/**
 * What V.29 puts on the line, shared by the transmitter and the receiver: the 2400-baud symbols on a
 * 1700 Hz carrier, the signal points, the Gray-coded phase changes and the training sequence.
 *
 * <p>Signal points sit on 8 phases 45 degrees apart: at 0, 90, 180 and 270 degrees with amplitude 3
 * (low) or 5 (high), at the odd multiples of 45 degrees at (1, 1) or (3, 3) times the quadrant's signs.
 * At 9600 bit/s the first of each 4 bits picks the amplitude (1: high) and the other 3 the phase change;
 * at 7200 bit/s 3 bits pick the phase change and only the low points are used.
 */
final class V29Signal {
    static final int BAUD = 2400;
    static final int CARRIER_HZ = 1700;
    static final double ROLLOFF = 0.25;
    /** Symbols the root-raised-cosine pulse is truncated to, at both ends. */
    static final int PULSE_SPAN = 12;

    /** Training segments, in symbols: silence, ABAB, CDCD, scrambled ones. */
    static final int SEGMENT_1 = 48;
    static final int SEGMENT_2 = 128;
    static final int SEGMENT_3 = 384;
    static final int SEGMENT_4 = 48;
    static final int TRAINING = SEGMENT_1 + SEGMENT_2 + SEGMENT_3 + SEGMENT_4;
    /** Scrambled ones sent after the last data bit, so the data's last symbols clear the far equaliser. */
    static final int CLOSING_ONES = 32;
    /** The segment 3 pattern generator 1 + x^-6 + x^-7 starts from this state. */
    static final int SEGMENT_3_SEED = 0x2A;

    /** Points by index: amplitude bit (8) plus phase 0..7 in 45 degree steps. */
    static final double[] POINT_RE = {3, 1, 0, -1, -3, -1, 0, 1, 5, 3, 0, -3, -5, -3, 0, 3};
    static final double[] POINT_IM = {0, 1, 3, 1, 0, -1, -3, -1, 0, 3, 5, 3, 0, -3, -5, -3};

    /** Phase change in 45 degree steps for the 3 phase bits, the first bit most significant. */
    static final int[] PHASE_CHANGE = {1, 0, 2, 3, 6, 7, 5, 4};
    /** The inverse: the 3 phase bits for a phase change. */
    static final int[] PHASE_BITS = new int[8];

    static {
        for (int bits = 0; bits < 8; bits++) {
            PHASE_BITS[PHASE_CHANGE[bits]] = bits;
        }
    }

    private V29Signal() {
    }

    static void checkRate(int bitRate) {
        if (bitRate != 7200 && bitRate != 9600) {
            throw new IllegalArgumentException("V.29 for fax runs at 7200 or 9600 bit/s, not " + bitRate);
        }
    }

    static int bitsPerSymbol(int bitRate) {
        return bitRate / BAUD;
    }

    /** Point A of segment 2 (the same at every rate): 180 degrees, low. */
    static final double A_RE = -3;
    static final double A_IM = 0;

    /** Point B of segment 2: 315 degrees, high at 9600, low at 7200. */
    static double bRe(int bitRate) {
        return bitRate == 9600 ? 3 : 1;
    }

    static double bIm(int bitRate) {
        return bitRate == 9600 ? -3 : -1;
    }

    /** Segment 3 sends C (0 degrees, low) for a 0 of its pattern and D = -B for a 1. */
    static final double C_RE = 3;
    static final double C_IM = 0;

    static double dRe(int bitRate) {
        return -bRe(bitRate);
    }

    static double dIm(int bitRate) {
        return -bIm(bitRate);
    }

    /** Mean energy of the data symbols (every point of the rate equally likely), in point units. */
    static double dataEnergy(int bitRate) {
        return bitRate == 9600 ? (9 + 2 + 25 + 18) / 4.0 : (9 + 2) / 2.0;
    }

    /** The segment 3 pattern: 1 for D, 0 for C, in order. */
    static int[] segment3Pattern() {
        int[] bits = new int[SEGMENT_3];
        int state = SEGMENT_3_SEED;
        for (int i = 0; i < SEGMENT_3; i++) {
            int out = state & 1;
            int feedback = (state ^ (state >> 1)) & 1;
            state = (state >> 1) | (feedback << 6);
            bits[i] = out;
        }
        return bits;
    }
}
