package dev.faxlan.modem.dsp;

/**
 * Symbols to line samples: each complex symbol shaped by a root-raised-cosine pulse and put on a
 * whole-hertz carrier, at any symbol rate that divides evenly into a rational number of samples (2400
 * baud is 10 samples per 3 symbols, 1600 is 5, 1200 is 20 per 3). Use it one sample at a time: when
 * {@link #symbolDue()} says so, {@link #putSymbol} the next symbol, then take {@link #nextSample()}. The
 * first sample falls on the first symbol's instant; the pulse's centre lies {@link #delaySymbols()}
 * symbols later.
 */
public final class PassbandModulator {
    private final int unitsPerSymbol;
    private final int unitsPerSample;
    private final int span;
    /** taps[u][j]: the pulse of the symbol j symbols older than the newest, u units after the newest's instant. */
    private final double[][] taps;
    private final double[] symRe;
    private final double[] symIm;
    private final Carrier carrier;
    private final double meanSquarePerUnitSymbol;
    private int newest;
    private int units;
    private double gain = 1.0;

    /**
     * @param symbolRate  symbols per second
     * @param carrierHz   carrier frequency
     * @param rolloff     the root-raised-cosine roll-off (0.25 for V.29 and V.17, 0.5 for V.27ter)
     * @param spanSymbols how many symbols the pulse is truncated to
     */
    public PassbandModulator(int symbolRate, int carrierHz, double rolloff, int spanSymbols) {
        int g = gcd(Carrier.SAMPLE_RATE, symbolRate);
        unitsPerSymbol = Carrier.SAMPLE_RATE / g;
        unitsPerSample = symbolRate / g;
        span = spanSymbols;
        taps = new double[unitsPerSymbol][span];
        double centre = span / 2.0;
        double sum = 0;
        for (int u = 0; u < unitsPerSymbol; u++) {
            for (int j = 0; j < span; j++) {
                double t = (double) u / unitsPerSymbol + j - centre;
                taps[u][j] = RaisedCosine.root(t, rolloff);
            }
        }
        // Mean square of the passband for independent symbols of unit mean energy, averaged over the
        // sampling phases that occur (every u that is a multiple of unitsPerSample modulo unitsPerSymbol).
        int phases = 0;
        for (int u = 0; u < unitsPerSymbol; u++) {
            if (u % gcd(unitsPerSample, unitsPerSymbol) == 0) {
                for (int j = 0; j < span; j++) {
                    sum += taps[u][j] * taps[u][j];
                }
                phases++;
            }
        }
        meanSquarePerUnitSymbol = sum / phases / 2.0;
        symRe = new double[span];
        symIm = new double[span];
        carrier = new Carrier(carrierHz);
        units = unitsPerSymbol - unitsPerSample;
    }

    /** Whether the next sample starts a new symbol, which must be given with {@link #putSymbol} first. */
    public boolean symbolDue() {
        return units + unitsPerSample >= unitsPerSymbol;
    }

    public void putSymbol(double re, double im) {
        newest = newest + 1 == span ? 0 : newest + 1;
        symRe[newest] = re;
        symIm[newest] = im;
    }

    /** The next line sample, before rounding. */
    public double nextSample() {
        units += unitsPerSample;
        if (units >= unitsPerSymbol) {
            units -= unitsPerSymbol;
        }
        double[] h = taps[units];
        double re = 0;
        double im = 0;
        int k = newest;
        for (int j = 0; j < span; j++) {
            re += symRe[k] * h[j];
            im += symIm[k] * h[j];
            k = k == 0 ? span - 1 : k - 1;
        }
        double out = gain * (re * carrier.cos() - im * carrier.sin());
        carrier.advance();
        return out;
    }

    /**
     * Sets the gain so that symbols of mean energy {@code meanSymbolEnergy} (in the caller's
     * constellation units) come out with mean square {@code meanSquare} (see {@code Levels.meanSquare}).
     */
    public void setLevel(double meanSquare, double meanSymbolEnergy) {
        gain = Math.sqrt(meanSquare / (meanSymbolEnergy * meanSquarePerUnitSymbol));
    }

    /** Symbols between a symbol's instant and its pulse's centre on the line. */
    public double delaySymbols() {
        return span / 2.0;
    }

    /** Symbols it takes to ring out: feed this many zero symbols after the last one. */
    public int spanSymbols() {
        return span;
    }

    static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
