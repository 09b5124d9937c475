package dev.faxlan.modem.v29;

/** Test line impairment: every frequency in a real signal moved by the same number of hertz (single sideband). */
final class FrequencyShift {
    private static final int HALF = 63;

    private FrequencyShift() {
    }

    /** {@code x} shifted by {@code hz}: the analytic signal (Hilbert FIR, Blackman window) times e^(j 2 pi hz t). */
    static double[] shift(double[] x, double hz) {
        double[] h = new double[2 * HALF + 1];
        for (int k = -HALF; k <= HALF; k++) {
            if (k % 2 != 0) {
                double w = 0.42 + 0.5 * Math.cos(Math.PI * k / HALF) + 0.08 * Math.cos(2 * Math.PI * k / HALF);
                h[k + HALF] = 2.0 / (Math.PI * k) * w;
            }
        }
        double[] y = new double[x.length];
        for (int n = 0; n < x.length; n++) {
            double q = 0;
            for (int k = -HALF; k <= HALF; k++) {
                int m = n - k;
                if (m >= 0 && m < x.length && h[k + HALF] != 0) {
                    q += h[k + HALF] * x[m];
                }
            }
            double a = 2 * Math.PI * hz * n / 8000.0;
            y[n] = x[n] * Math.cos(a) - q * Math.sin(a);
        }
        return y;
    }
}
