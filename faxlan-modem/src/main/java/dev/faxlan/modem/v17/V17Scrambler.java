package dev.faxlan.modem.v17;

/**
 * V.17's self-synchronising scrambler, 1 + x^-18 + x^-23. The transmitter's register starts at
 * 0x2ECDD5 on every carrier (as spandsp's does); during training the receiver runs the same
 * generator to know the CDBA sequence, and during data it descrambles from the line bits, so it
 * needs no seed there.
 */
final class V17Scrambler {
    static final int SEED = 0x2ECDD5;
    private int register = SEED;

    void reset() {
        register = SEED;
    }

    /** Scrambles one bit (only its low bit counts). */
    int scramble(int bit) {
        int out = (bit ^ (register >>> 17) ^ (register >>> 22)) & 1;
        register = (register << 1) | out;
        return out;
    }

    /** Descrambles one line bit. */
    int descramble(int bit) {
        bit &= 1;
        int out = (bit ^ (register >>> 17) ^ (register >>> 22)) & 1;
        register = (register << 1) | bit;
        return out;
    }
}
