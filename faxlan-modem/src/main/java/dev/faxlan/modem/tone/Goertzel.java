package dev.faxlan.modem.tone;

/**
 * The Goertzel algorithm: the energy of one DFT bin over a block of samples, two multiplications
 * per sample. A sine of peak {@code a} centred on the bin gives {@code (a N / 2)^2} over N samples.
 */
final class Goertzel {
    private final double coefficient;
    private double s1;
    private double s2;

    Goertzel(double hz, int sampleRate) {
        this.coefficient = 2.0 * Math.cos(2.0 * Math.PI * hz / sampleRate);
    }

    void update(double x) {
        double s0 = x + coefficient * s1 - s2;
        s2 = s1;
        s1 = s0;
    }

    /** The bin's energy over the samples since the last reset; resets for the next block. */
    double energyAndReset() {
        double e = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
        s1 = 0;
        s2 = 0;
        return e;
    }
}
