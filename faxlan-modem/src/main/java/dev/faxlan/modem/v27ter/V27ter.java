package dev.faxlan.modem.v27ter;

/**
 * What V.27ter's transmitter and receiver agree on: the carrier, the symbol rates, the long
 * training sequence as fax sends it (segment lengths in symbols), the phase steps per bit group,
 * and the pulse shape.
 */
final class V27ter {
    static final int CARRIER_HZ = 1800;
    static final int SAMPLE_RATE = 8000;
    static final double ROLL_OFF = 0.5;

    /** Segment 2: silence before the training (spandsp sends it even without talker echo protection). */
    static final int SILENCE_SYMBOLS = 32;
    /** Segment 3: 180-degree reversals, for the receiver's carrier detect, gain and symbol timing. */
    static final int REVERSAL_SYMBOLS = 50;
    /** Segment 4: 0/180-degree steps from the scrambler fed with ones, for the equaliser. */
    static final int SCRAMBLED_SYMBOLS = 1074;
    /** Segment 5: scrambled ones at the data rate, after which the data start. */
    static final int ONES_SYMBOLS = 8;
    /** After the data: scrambled ones, so the last data bits clear the far end's filters. */
    static final int CLOSING_SYMBOLS = 32;

    /**
     * Phase step in eighths of a turn for the three bits of a 4800 bit/s symbol (first bit most
     * significant), as spandsp maps them; {@link #STEP_TO_TRIBIT} is its inverse.
     */
    static final int[] TRIBIT_TO_STEP = {1, 0, 2, 3, 6, 7, 5, 4};
    static final int[] STEP_TO_TRIBIT = new int[8];
    /** Phase step in quarter turns for the two bits of a 2400 bit/s symbol (first bit more significant). */
    static final int[] DIBIT_TO_QUARTERS = {0, 1, 3, 2};
    static final int[] QUARTERS_TO_DIBIT = new int[4];

    /**
     * Segment 4 as phase steps: {@code true} where the symbol turns by 180 degrees. It depends on
     * nothing but the scrambler's seed (the transmitter scrambles ones and uses every third bit).
     */
    static final boolean[] SCRAMBLED_REVERSALS = new boolean[SCRAMBLED_SYMBOLS];
    /** The scrambler's register and run count after segment 4, where the receiver's descrambler takes over. */
    static final int REGISTER_AFTER_TRAINING;
    static final int RUN_AFTER_TRAINING;

    static {
        for (int i = 0; i < 8; i++) {
            STEP_TO_TRIBIT[TRIBIT_TO_STEP[i]] = i;
        }
        for (int i = 0; i < 4; i++) {
            QUARTERS_TO_DIBIT[DIBIT_TO_QUARTERS[i]] = i;
        }
        V27terScrambler s = new V27terScrambler();
        for (int i = 0; i < SCRAMBLED_SYMBOLS; i++) {
            SCRAMBLED_REVERSALS[i] = s.scramble(1) == 1;
            s.scramble(1);
            s.scramble(1);
        }
        REGISTER_AFTER_TRAINING = s.register();
        RUN_AFTER_TRAINING = s.run();
    }

    private V27ter() {
    }

    static int baud(int bitRate) {
        return bitRate == 4800 ? 1600 : 1200;
    }

    static int bitsPerSymbol(int bitRate) {
        return bitRate == 4800 ? 3 : 2;
    }

    static void checkRate(int bitRate) {
        if (bitRate != 2400 && bitRate != 4800) {
            throw new IllegalArgumentException("V.27ter runs at 2400 or 4800 bit/s, not " + bitRate);
        }
    }
}
