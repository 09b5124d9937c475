package dev.faxlan.engine.t4;

/**
 * Code tables of ITU-T T.4 (Tables 1, 2, 3 and 4) and the lookup tables the decoder derives
 * from them.
 *
 * <p>Each code is stored as {@code (length << 16) | bits}. Run-length decode tables are indexed
 * by the next {@value #RUN_BITS} bits (enough for the longest code, a 13-bit black make-up), so
 * one array read decodes one code; mode codes need only {@value #MODE_BITS} bits.
 */
final class T4Tables {

    private T4Tables() {
    }

    static final int RUN_BITS = 13;
    static final int MODE_BITS = 7;

    /** Decode table value for a bit pattern that is no valid code (possibly an EOL). */
    static final int INVALID = 0;

    // Terminating codes 0..63 (T.4 Table 2), as {bits, length} pairs, white then black.
    private static final int[] WHITE_TERM = {
        0x35, 8, 0x07, 6, 0x07, 4, 0x08, 4, 0x0B, 4, 0x0C, 4, 0x0E, 4, 0x0F, 4,
        0x13, 5, 0x14, 5, 0x07, 5, 0x08, 5, 0x08, 6, 0x03, 6, 0x34, 6, 0x35, 6,
        0x2A, 6, 0x2B, 6, 0x27, 7, 0x0C, 7, 0x08, 7, 0x17, 7, 0x03, 7, 0x04, 7,
        0x28, 7, 0x2B, 7, 0x13, 7, 0x24, 7, 0x18, 7, 0x02, 8, 0x03, 8, 0x1A, 8,
        0x1B, 8, 0x12, 8, 0x13, 8, 0x14, 8, 0x15, 8, 0x16, 8, 0x17, 8, 0x28, 8,
        0x29, 8, 0x2A, 8, 0x2B, 8, 0x2C, 8, 0x2D, 8, 0x04, 8, 0x05, 8, 0x0A, 8,
        0x0B, 8, 0x52, 8, 0x53, 8, 0x54, 8, 0x55, 8, 0x24, 8, 0x25, 8, 0x58, 8,
        0x59, 8, 0x5A, 8, 0x5B, 8, 0x4A, 8, 0x4B, 8, 0x32, 8, 0x33, 8, 0x34, 8,
    };
    private static final int[] BLACK_TERM = {
        0x37, 10, 0x02, 3, 0x03, 2, 0x02, 2, 0x03, 3, 0x03, 4, 0x02, 4, 0x03, 5,
        0x05, 6, 0x04, 6, 0x04, 7, 0x05, 7, 0x07, 7, 0x04, 8, 0x07, 8, 0x18, 9,
        0x17, 10, 0x18, 10, 0x08, 10, 0x67, 11, 0x68, 11, 0x6C, 11, 0x37, 11, 0x28, 11,
        0x17, 11, 0x18, 11, 0xCA, 12, 0xCB, 12, 0xCC, 12, 0xCD, 12, 0x68, 12, 0x69, 12,
        0x6A, 12, 0x6B, 12, 0xD2, 12, 0xD3, 12, 0xD4, 12, 0xD5, 12, 0xD6, 12, 0xD7, 12,
        0x6C, 12, 0x6D, 12, 0xDA, 12, 0xDB, 12, 0x54, 12, 0x55, 12, 0x56, 12, 0x57, 12,
        0x64, 12, 0x65, 12, 0x52, 12, 0x53, 12, 0x24, 12, 0x37, 12, 0x38, 12, 0x27, 12,
        0x28, 12, 0x58, 12, 0x59, 12, 0x2B, 12, 0x2C, 12, 0x5A, 12, 0x66, 12, 0x67, 12,
    };
    // Make-up codes 64..1728 in steps of 64 (T.4 Table 3).
    private static final int[] WHITE_MAKEUP = {
        0x1B, 5, 0x12, 5, 0x17, 6, 0x37, 7, 0x36, 8, 0x37, 8, 0x64, 8, 0x65, 8,
        0x68, 8, 0x67, 8, 0xCC, 9, 0xCD, 9, 0xD2, 9, 0xD3, 9, 0xD4, 9, 0xD5, 9,
        0xD6, 9, 0xD7, 9, 0xD8, 9, 0xD9, 9, 0xDA, 9, 0xDB, 9, 0x98, 9, 0x99, 9,
        0x9A, 9, 0x18, 6, 0x9B, 9,
    };
    private static final int[] BLACK_MAKEUP = {
        0x0F, 10, 0xC8, 12, 0xC9, 12, 0x5B, 12, 0x33, 12, 0x34, 12, 0x35, 12, 0x6C, 13,
        0x6D, 13, 0x4A, 13, 0x4B, 13, 0x4C, 13, 0x4D, 13, 0x72, 13, 0x73, 13, 0x74, 13,
        0x75, 13, 0x76, 13, 0x77, 13, 0x52, 13, 0x53, 13, 0x54, 13, 0x55, 13, 0x5A, 13,
        0x5B, 13, 0x64, 13, 0x65, 13,
    };
    // Extended make-up codes 1792..2560, shared by both colours (T.4 Table 3).
    private static final int[] EXT_MAKEUP = {
        0x08, 11, 0x0C, 11, 0x0D, 11, 0x12, 12, 0x13, 12, 0x14, 12, 0x15, 12,
        0x16, 12, 0x17, 12, 0x1C, 12, 0x1D, 12, 0x1E, 12, 0x1F, 12,
    };

    /** Largest run a single make-up code encodes; longer runs repeat it (T.4 §4.1.1). */
    static final int MAX_MAKEUP = 2560;

    /**
     * Encode table indexed by [colour][slot]: slots 0..63 terminating, 64..103 make-up for
     * (slot - 63) * 64. Value is (length << 16) | bits.
     */
    static final int[][] ENCODE = new int[2][104];

    /**
     * Decode tables by colour, indexed by the next RUN_BITS bits: (length << 12) | run, 0 for
     * no code. 16-bit entries keep both tables (32 KB) in the L1 cache.
     */
    static final char[][] DECODE_RUN = new char[2][1 << RUN_BITS];

    /** Mode-code decode table indexed by the next MODE_BITS bits: (length << 8) | mode. */
    static final short[] DECODE_MODE = new short[1 << MODE_BITS];

    // Two-dimensional mode identifiers (T.4 Table 4).
    static final int MODE_PASS = 1;
    static final int MODE_HORIZONTAL = 2;
    /** Vertical modes are MODE_V0 + delta, delta in -3..3. */
    static final int MODE_V0 = 7;
    static final int MODE_EXTENSION = 11;

    /** Mode codes, {bits, length} by (mode): used by the encoder. */
    static final int CODE_PASS = (4 << 16) | 0x1;
    static final int CODE_HORIZONTAL = (3 << 16) | 0x1;
    /** Vertical codes indexed by delta + 3. */
    static final int[] CODE_VERTICAL = {
        (7 << 16) | 0x02, (6 << 16) | 0x02, (3 << 16) | 0x2, (1 << 16) | 0x1,
        (3 << 16) | 0x3, (6 << 16) | 0x03, (7 << 16) | 0x03,
    };

    static {
        for (int color = 0; color < 2; color++) {
            int[] term = color == 0 ? WHITE_TERM : BLACK_TERM;
            int[] makeup = color == 0 ? WHITE_MAKEUP : BLACK_MAKEUP;
            for (int run = 0; run < 64; run++) {
                add(color, run, term[2 * run], term[2 * run + 1]);
            }
            for (int i = 0; i < 27; i++) {
                add(color, 64 + i, makeup[2 * i], makeup[2 * i + 1]);
            }
            for (int i = 0; i < 13; i++) {
                add(color, 64 + 27 + i, EXT_MAKEUP[2 * i], EXT_MAKEUP[2 * i + 1]);
            }
        }
        addMode(0x1, 1, MODE_V0);
        addMode(0x3, 3, MODE_V0 + 1);
        addMode(0x2, 3, MODE_V0 - 1);
        addMode(0x1, 3, MODE_HORIZONTAL);
        addMode(0x1, 4, MODE_PASS);
        addMode(0x03, 6, MODE_V0 + 2);
        addMode(0x02, 6, MODE_V0 - 2);
        addMode(0x03, 7, MODE_V0 + 3);
        addMode(0x02, 7, MODE_V0 - 3);
        addMode(0x01, 7, MODE_EXTENSION);
    }

    private static void add(int color, int slot, int bits, int length) {
        ENCODE[color][slot] = (length << 16) | bits;
        int run = slot < 64 ? slot : (slot - 63) * 64;
        int shift = RUN_BITS - length;
        int base = bits << shift;
        char value = (char) ((length << 12) | run);
        for (int s = 0; s < (1 << shift); s++) {
            DECODE_RUN[color][base | s] = value;
        }
    }

    private static void addMode(int bits, int length, int mode) {
        int shift = MODE_BITS - length;
        int base = bits << shift;
        for (int s = 0; s < (1 << shift); s++) {
            DECODE_MODE[base | s] = (short) ((length << 8) | mode);
        }
    }

    /** Whether a decoded run value is a make-up code (so a terminating code must follow). */
    static boolean isMakeup(int run) {
        return run >= 64;
    }

    /** Reverses the bits of every byte value: converts between FillOrder 1 and 2. */
    static final byte[] REVERSE = new byte[256];

    static {
        for (int i = 0; i < 256; i++) {
            REVERSE[i] = (byte) (Integer.reverse(i) >>> 24);
        }
    }
}
