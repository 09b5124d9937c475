package dev.faxlan.modem.dsp;

/**
 * Cosine and sine of a whole-hertz carrier on the 8 kHz sample clock. The phase of sample {@code n}
 * is {@code n * hz mod 8000} eighths-of-a-millicycle, an exact integer, so a carrier never drifts
 * however long it runs, and transmitter and receiver tables agree to the last bit.
 */
public final class Carrier {
    public static final int SAMPLE_RATE = 8000;
    private static final double[] COS = new double[SAMPLE_RATE];
    private static final double[] SIN = new double[SAMPLE_RATE];

    static {
        for (int i = 0; i < SAMPLE_RATE; i++) {
            COS[i] = Math.cos(2.0 * Math.PI * i / SAMPLE_RATE);
            SIN[i] = Math.sin(2.0 * Math.PI * i / SAMPLE_RATE);
        }
    }

    private final int hz;
    private int phase;

    public Carrier(int hz) {
        if (hz <= 0 || hz >= SAMPLE_RATE / 2) {
            throw new IllegalArgumentException("carrier " + hz + " Hz is not between 0 and 4000 Hz");
        }
        this.hz = hz;
    }

    /** cos of the present sample's phase. */
    public double cos() {
        return COS[phase];
    }

    /** sin of the present sample's phase. */
    public double sin() {
        return SIN[phase];
    }

    /** On to the next sample. */
    public void advance() {
        phase += hz;
        if (phase >= SAMPLE_RATE) {
            phase -= SAMPLE_RATE;
        }
    }

    public void reset() {
        phase = 0;
    }
}
