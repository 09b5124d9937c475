package dev.faxlan.modem.v27ter;

/**
 * V.27ter's self-synchronising scrambler, 1 + x^-6 + x^-7, with its guard against repeating
 * patterns: when the line bit has agreed with at least one of the bits 8, 9 and 12 places back for
 * 33 bits in a row (a pattern of period 1, 2, 3, 4, 6, 8, 9 or 12 the receiver's equaliser could
 * not learn from), the next line bit is inverted. The descrambler keeps the same count on the line
 * bits it receives, so it undoes the inversion in step.
 */
final class V27terScrambler {
    /** The register's value at the start of every carrier, as spandsp's transmitter seeds it. */
    static final int SEED = 0x3C;
    private static final int GUARD_RUN = 33;

    private int register;
    private int run;

    V27terScrambler() {
        reset(SEED, 0);
    }

    void reset(int register, int run) {
        this.register = register;
        this.run = run;
    }

    int register() {
        return register;
    }

    int run() {
        return run;
    }

    /** The line bit for data bit {@code bit}. */
    int scramble(int bit) {
        int line = (bit ^ (register >>> 5) ^ (register >>> 6)) & 1;
        if (guard(line)) {
            line ^= 1;
        }
        register = (register << 1) | line;
        return line;
    }

    /** The data bit for line bit {@code line}. */
    int descramble(int line) {
        line &= 1;
        int bit = (line ^ (register >>> 5) ^ (register >>> 6)) & 1;
        if (guard(line)) {
            bit ^= 1;
        }
        register = (register << 1) | line;
        return bit;
    }

    /** Counts the run and says whether this bit is the one to invert. */
    private boolean guard(int line) {
        if (run >= GUARD_RUN) {
            run = 0;
            return true;
        }
        int differsFromAll = ((register >>> 7) ^ line) & ((register >>> 8) ^ line) & ((register >>> 11) ^ line) & 1;
        run = differsFromAll == 1 ? 0 : run + 1;
        return false;
    }
}
