package dev.faxlan.modem.v17;

/** The root-raised-cosine pulse, unit energy per symbol; time in symbols. */
final class RootRaisedCosine {
    private RootRaisedCosine() {
    }

    static double pulse(double t, double alpha) {
        if (Math.abs(t) < 1e-9) {
            return 1 - alpha + 4 * alpha / Math.PI;
        }
        double edge = 1 / (4 * alpha);
        if (Math.abs(Math.abs(t) - edge) < 1e-9) {
            return alpha / Math.sqrt(2) * ((1 + 2 / Math.PI) * Math.sin(Math.PI / (4 * alpha))
                    + (1 - 2 / Math.PI) * Math.cos(Math.PI / (4 * alpha)));
        }
        double num = Math.sin(Math.PI * t * (1 - alpha)) + 4 * alpha * t * Math.cos(Math.PI * t * (1 + alpha));
        double den = Math.PI * t * (1 - 16 * alpha * alpha * t * t);
        return num / den;
    }
}
