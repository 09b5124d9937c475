package dev.faxlan.modem.dsp;

/**
 * Gardner's symbol timing detector with a proportional-integral loop, on two samples per symbol:
 * the sample midway between two symbols is zero-crossing on a transition when timing is right, and
 * leans towards the later symbol when we sample late. Independent of carrier phase, so it can run
 * before the carrier is recovered. The integral term follows a sample clock that runs fast or slow.
 */
public final class GardnerTiming {
    private double proportional;
    private double integral;
    private double drift;

    public GardnerTiming(double proportional, double integral) {
        setGains(proportional, integral);
    }

    public void setGains(double proportional, double integral) {
        this.proportional = proportional;
        this.integral = integral;
    }

    /**
     * One symbol's correction, in samples (add it with {@link MatchedFilterSampler#adjust}), from the
     * previous symbol's sample, the midway sample and this symbol's sample; {@code power} is the mean
     * squared magnitude of the samples, to make the loop's gain independent of the level.
     */
    public double update(double prevRe, double prevIm, double midRe, double midIm, double curRe, double curIm,
            double power) {
        double e = ((curRe - prevRe) * midRe + (curIm - prevIm) * midIm) / Math.max(power, 1e-12);
        if (e > 1.0) {
            e = 1.0;
        } else if (e < -1.0) {
            e = -1.0;
        } else if (e != e) {
            e = 0;
        }
        drift += integral * e;
        return -(proportional * e + drift);
    }

    public void reset() {
        drift = 0;
    }
}
