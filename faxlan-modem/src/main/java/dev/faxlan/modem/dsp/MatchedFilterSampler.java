package dev.faxlan.modem.dsp;

/**
 * A receiver's front end: line samples mixed down by a whole-hertz carrier, filtered by the
 * root-raised-cosine pulse matched to the transmitter's, and sampled twice per symbol at instants the
 * caller can move by fractions of a sample ({@link #adjust}), as symbol timing recovery does. The
 * filter is polyphase: 64 phases per sample interval, so an instant is placed to 1/64 sample.
 *
 * <p>Scale: a symbol of value s through {@link PassbandModulator} (gain 1) and this filter gives s at
 * its centre instant.
 */
public final class MatchedFilterSampler {
    private static final int PHASES = 64;

    private final Carrier carrier;
    private final int length;
    private final double[][] taps;
    private final double[] bufRe;
    private final double[] bufIm;
    private final double halfSymbol;
    private int pos;
    private double countdown;
    private double outRe;
    private double outIm;

    public MatchedFilterSampler(int symbolRate, int carrierHz, double rolloff, int spanSymbols) {
        carrier = new Carrier(carrierHz);
        double samplesPerSymbol = (double) Carrier.SAMPLE_RATE / symbolRate;
        halfSymbol = samplesPerSymbol / 2.0;
        length = (int) Math.ceil(spanSymbols * samplesPerSymbol) | 1;
        double centre = (length - 1) / 2.0;
        taps = new double[PHASES + 1][length];
        for (int p = 0; p <= PHASES; p++) {
            double f = (double) p / PHASES;
            for (int i = 0; i < length; i++) {
                // Times 2: mixing a real carrier down leaves half its amplitude at baseband.
                taps[p][i] = 2.0 / samplesPerSymbol * RaisedCosine.root((i - f - centre) / samplesPerSymbol, rolloff);
            }
        }
        bufRe = new double[2 * length];
        bufIm = new double[2 * length];
        countdown = halfSymbol;
    }

    /**
     * Takes one line sample; returns true when a new half-symbol sample is ready in {@link #re()} and
     * {@link #im()}.
     */
    public boolean push(double x) {
        double re = x * carrier.cos();
        double im = -x * carrier.sin();
        carrier.advance();
        bufRe[pos] = re;
        bufRe[pos + length] = re;
        bufIm[pos] = im;
        bufIm[pos + length] = im;
        pos = pos + 1 == length ? 0 : pos + 1;
        countdown -= 1.0;
        if (countdown > 0) {
            return false;
        }
        // The instant fell -countdown samples before the newest one.
        double f = -countdown;
        countdown += halfSymbol;
        int p = (int) Math.round(f * PHASES);
        if (p > PHASES) {
            p = PHASES;
        }
        double[] h = taps[p];
        double accRe = 0;
        double accIm = 0;
        // Window [pos, pos + length): oldest to newest; tap i applies to the sample i samples ago.
        int newestIdx = pos + length - 1;
        for (int i = 0; i < length; i++) {
            accRe += bufRe[newestIdx - i] * h[i];
            accIm += bufIm[newestIdx - i] * h[i];
        }
        outRe = accRe;
        outIm = accIm;
        return true;
    }

    public double re() {
        return outRe;
    }

    public double im() {
        return outIm;
    }

    /** Moves the following sampling instants by {@code samples} (positive: later). */
    public void adjust(double samples) {
        countdown += samples;
    }

    /** Samples between a pulse's centre on the line and the instant it comes out. */
    public double delaySamples() {
        return (length - 1) / 2.0;
    }

    /** Forgets the signal (the carrier's phase runs on, as the line's does). */
    public void clear() {
        java.util.Arrays.fill(bufRe, 0);
        java.util.Arrays.fill(bufIm, 0);
    }
}
