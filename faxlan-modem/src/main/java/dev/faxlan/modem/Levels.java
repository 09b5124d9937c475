package dev.faxlan.modem;

/**
 * Signal levels in dBm0 on 16-bit linear samples. The scale is G.711's, as spandsp uses it: a
 * full-scale sine (peak 32767) is +3.14 dBm0, so a sine of peak {@code a} is
 * {@code 3.14 + 20 log10(a / 32767)} dBm0 and a mean square {@code p} is
 * {@code 3.14 + 10 log10(2 p / 32767^2)} dBm0.
 */
public final class Levels {
    /** dBm0 of a full-scale sine. */
    public static final double FULL_SCALE_SINE_DBM0 = 3.14;
    private static final double FULL_SCALE = 32767.0;

    private Levels() {
    }

    /** Peak amplitude of a sine at {@code dbm0}. */
    public static double sinePeak(double dbm0) {
        return FULL_SCALE * Math.pow(10.0, (dbm0 - FULL_SCALE_SINE_DBM0) / 20.0);
    }

    /** Mean square (power per sample) of any signal at {@code dbm0}. */
    public static double meanSquare(double dbm0) {
        double peak = sinePeak(dbm0);
        return peak * peak / 2.0;
    }

    /** dBm0 of a signal with this mean square; negative infinity for silence. */
    public static double dbm0(double meanSquare) {
        return FULL_SCALE_SINE_DBM0 + 10.0 * Math.log10(2.0 * meanSquare / (FULL_SCALE * FULL_SCALE));
    }
}
