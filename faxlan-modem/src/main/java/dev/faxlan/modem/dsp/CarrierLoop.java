package dev.faxlan.modem.dsp;

/**
 * Decision-directed carrier recovery: a second-order loop that rotates each symbol by its phase
 * estimate and moves the estimate by the angle between the rotated symbol and its decision. The
 * proportional term follows phase jitter, the integral term a frequency offset between the two ends.
 */
public final class CarrierLoop {
    private double proportional;
    private double integral;
    private double phase;
    private double frequency;
    private double cos = 1;
    private double sin;
    private double outRe;
    private double outIm;

    public CarrierLoop(double proportional, double integral) {
        setGains(proportional, integral);
    }

    public void setGains(double proportional, double integral) {
        this.proportional = proportional;
        this.integral = integral;
    }

    /** Rotates (re, im) back by the phase estimate; read the result with {@link #re()}, {@link #im()}. */
    public void derotate(double re, double im) {
        outRe = re * cos + im * sin;
        outIm = im * cos - re * sin;
    }

    public double re() {
        return outRe;
    }

    public double im() {
        return outIm;
    }

    /** Rotates an error found after {@link #derotate} forward again, into the equaliser's frame: real part. */
    public double forwardRe(double re, double im) {
        return re * cos - im * sin;
    }

    /** Imaginary part of {@link #forwardRe}'s rotation. */
    public double forwardIm(double re, double im) {
        return im * cos + re * sin;
    }

    /** Moves the estimate towards the decision (dRe, dIm) for the last derotated symbol. */
    public void update(double dRe, double dIm) {
        double mag = dRe * dRe + dIm * dIm;
        if (mag <= 0) {
            return;
        }
        double err = (outIm * dRe - outRe * dIm) / mag;
        frequency += integral * err;
        phase += proportional * err + frequency;
        if (phase > Math.PI) {
            phase -= 2 * Math.PI;
        } else if (phase < -Math.PI) {
            phase += 2 * Math.PI;
        }
        cos = Math.cos(phase);
        sin = Math.sin(phase);
    }

    /**
     * Starts the loop from an estimate made another way (e.g. from a training pattern): the phase
     * to derotate the next symbol by and the frequency offset in radians per symbol.
     */
    public void set(double phase, double frequency) {
        this.phase = phase;
        this.frequency = frequency;
        cos = Math.cos(phase);
        sin = Math.sin(phase);
    }

    public void reset() {
        phase = 0;
        frequency = 0;
        cos = 1;
        sin = 0;
    }

    /** Starts the loop from a frequency offset found another way (radians per symbol), e.g. during a training. */
    public void setFrequency(double radiansPerSymbol) {
        frequency = radiansPerSymbol;
    }

    /** Radians per symbol the loop has learned the carrier to be off by. */
    public double frequency() {
        return frequency;
    }
}
