package dev.faxlan.modem.dsp;

/**
 * The self-synchronising scrambler of the fax modems, 1 + x^-a + x^-b: each line bit is the data bit
 * added (mod 2) to the line bits a and b places before it. V.29 and V.17 use a = 18, b = 23; V.27ter
 * a = 6, b = 7. The descrambler is the same register fed with line bits, so it falls into step by
 * itself after b bits whatever either end's starting state.
 */
public final class Scrambler {
    private final int a;
    private final int b;
    private final int mask;
    private int register;

    public Scrambler(int a, int b) {
        if (a < 1 || b <= a || b > 31) {
            throw new IllegalArgumentException("scrambler taps must be 1 <= a < b <= 31, not " + a + ", " + b);
        }
        this.a = a;
        this.b = b;
        this.mask = (1 << b) - 1;
    }

    /** The line bit for data bit {@code bit}. */
    public int scramble(int bit) {
        int out = (bit ^ (register >>> (a - 1)) ^ (register >>> (b - 1))) & 1;
        register = ((register << 1) | out) & mask;
        return out;
    }

    /** The data bit for line bit {@code bit}. */
    public int descramble(int bit) {
        int out = (bit ^ (register >>> (a - 1)) ^ (register >>> (b - 1))) & 1;
        register = ((register << 1) | (bit & 1)) & mask;
        return out;
    }

    /** The last b line bits, the newest in bit 0. */
    public int state() {
        return register;
    }

    public void setState(int state) {
        register = state & mask;
    }
}
