package dev.faxlan.modem.v17;

/**
 * V.17's 8-state trellis code: the differential encoding of the bit pair Q1 Q2 and the
 * systematic convolutional coder that adds the redundant bit Y0. The coder's state starts at 0 on
 * every carrier; Y0 is bit 0 of the state the symbol leaves.
 */
final class V17Trellis {
    /** Next coder state for [state][differentially encoded pair Y1 Y2]. */
    static final int[][] NEXT_STATE = {
        {0, 2, 3, 1}, {4, 7, 5, 6}, {1, 3, 2, 0}, {7, 4, 6, 5},
        {2, 0, 1, 3}, {6, 5, 7, 4}, {3, 1, 0, 2}, {5, 6, 4, 7}};

    private V17Trellis() {
    }

    /** The subset label Y0 Y1 Y2 (bit 0 = Y0) a symbol sent from {@code state} with pair {@code y1y2} carries. */
    static int label(int state, int y1y2) {
        return (state & 1) | (y1y2 << 1);
    }

    /** The transmitter's half: turns data bits into point indices. */
    static final class Encoder {
        private int state;
        private int previousPair;

        /** Starts a carrier: the coder at 0, the differential encoder at {@code pair} (1 for long training, 0 short). */
        void reset(int pair) {
            state = 0;
            previousPair = pair;
        }

        /** The point index for {@code bits} (first line bit in bit 0). */
        int encode(int bits) {
            int pair = (previousPair + (bits & 3)) & 3;
            previousPair = pair;
            int index = ((bits << 1) & ~7) | label(state, pair);
            state = NEXT_STATE[state][pair];
            return index;
        }
    }
}
