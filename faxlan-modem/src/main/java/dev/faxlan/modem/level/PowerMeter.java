package dev.faxlan.modem.level;

import dev.faxlan.modem.Levels;

/**
 * Running signal power: an exponential average of the squared samples with a time constant of
 * {@code 2^shift} samples, read in dBm0 ({@link Levels}). Cheap enough to run on every sample of
 * every call.
 */
public final class PowerMeter {
    private final double alpha;
    private double meanSquare;

    /** A meter averaging over about {@code samples} samples (8 per ms). */
    public PowerMeter(int samples) {
        if (samples < 1) {
            throw new IllegalArgumentException("averaging length must be at least 1 sample, was " + samples);
        }
        this.alpha = 1.0 / samples;
    }

    /** Takes one sample and returns the new mean square. */
    public double update(int sample) {
        meanSquare += ((double) sample * sample - meanSquare) * alpha;
        return meanSquare;
    }

    public double meanSquare() {
        return meanSquare;
    }

    /** The present level; negative infinity after silence only. */
    public double dbm0() {
        return Levels.dbm0(meanSquare);
    }

    public void reset() {
        meanSquare = 0;
    }
}
