package dev.faxlan.modem.v21;

/**
 * Sine and cosine at whole-hertz frequencies on an 8 kHz clock, from one table of 8000 entries:
 * the phase is an integer index advanced by the frequency each sample, so it never drifts.
 */
final class Oscillator {
    static final int RATE = 8000;
    private static final float[] SIN = new float[RATE];

    static {
        for (int i = 0; i < RATE; i++) {
            SIN[i] = (float) Math.sin(2.0 * Math.PI * i / RATE);
        }
    }

    private Oscillator() {
    }

    /** sin(2π phase / 8000) for a phase in [0, 8000). */
    static float sin(int phase) {
        return SIN[phase];
    }

    /** cos(2π phase / 8000) for a phase in [0, 8000). */
    static float cos(int phase) {
        int p = phase + RATE / 4;
        return SIN[p >= RATE ? p - RATE : p];
    }

    /** The phase after {@code hz} more per sample. */
    static int advance(int phase, int hz) {
        int p = phase + hz;
        return p >= RATE ? p - RATE : p;
    }
}
