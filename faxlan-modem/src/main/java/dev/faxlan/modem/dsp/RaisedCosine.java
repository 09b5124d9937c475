package dev.faxlan.modem.dsp;

/** The root-raised-cosine pulse that V.27ter, V.29 and V.17 shape their symbols with, at both ends. */
public final class RaisedCosine {
    private RaisedCosine() {
    }

    /**
     * The root-raised-cosine pulse with roll-off {@code alpha} at {@code t} symbol periods from its
     * centre, scaled to unit energy per symbol period (so two in cascade give a raised cosine that is
     * 1 at 0 and 0 at every other whole symbol).
     */
    public static double root(double t, double alpha) {
        if (Math.abs(t) < 1e-9) {
            return 1.0 - alpha + 4.0 * alpha / Math.PI;
        }
        double edge = 1.0 / (4.0 * alpha);
        if (Math.abs(Math.abs(t) - edge) < 1e-9) {
            double a = Math.PI / (4.0 * alpha);
            return alpha / Math.sqrt(2.0) * ((1.0 + 2.0 / Math.PI) * Math.sin(a) + (1.0 - 2.0 / Math.PI) * Math.cos(a));
        }
        double x = 4.0 * alpha * t;
        return (Math.sin(Math.PI * t * (1.0 - alpha)) + 4.0 * alpha * t * Math.cos(Math.PI * t * (1.0 + alpha)))
                / (Math.PI * t * (1.0 - x * x));
    }
}
