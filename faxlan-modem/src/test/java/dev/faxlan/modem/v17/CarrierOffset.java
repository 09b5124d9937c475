package dev.faxlan.modem.v17;

/**
 * Test line impairment: the whole signal moved up or down by a few hertz, as an analogue leg's
 * frequency shift does (the same helper as V.29's FrequencyShift; the two could move to testsupport).
 */
final class CarrierOffset {
    private static final int HALF = 63;

    private CarrierOffset() {
    }

    static double[] shift(double[] x, double hz) {
        // Hilbert transformer, Blackman-windowed, for the analytic signal's imaginary part.
        double[] h = new double[2 * HALF + 1];
        for (int k = 1; k <= HALF; k += 2) {
            double w = 0.42 + 0.5 * Math.cos(Math.PI * k / HALF) + 0.08 * Math.cos(2 * Math.PI * k / HALF);
            h[HALF + k] = 2 / (Math.PI * k) * w;
            h[HALF - k] = -h[HALF + k];
        }
        double[] y = new double[x.length];
        for (int n = 0; n < x.length; n++) {
            double q = 0;
            for (int k = -HALF; k <= HALF; k += 1) {
                int m = n - k;
                if (h[HALF + k] != 0 && m >= 0 && m < x.length) {
                    q += h[HALF + k] * x[m];
                }
            }
            double a = 2 * Math.PI * hz * n / 8000;
            y[n] = x[n] * Math.cos(a) - q * Math.sin(a);
        }
        return y;
    }
}
