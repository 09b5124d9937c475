package dev.faxlan.modem.dsp;

import java.util.Arrays;

/**
 * A fractionally spaced (two taps per symbol) complex LMS equaliser: it undoes what the line did to
 * the pulses, the gain and phase included, and absorbs a static timing offset. Feed it every
 * half-symbol sample with {@link #push}; take an {@link #output} at each symbol instant; then
 * {@link #adapt} towards the decision (or the known training symbol). Its output lags its newest
 * input by {@link #delayHalfSymbols()} half symbols.
 */
public final class Equalizer {
    private final int length;
    private final double[] wRe;
    private final double[] wIm;
    private final double[] xRe;
    private final double[] xIm;
    private int pos;
    private double outRe;
    private double outIm;

    /** {@code length} taps, odd, so that the centre tap falls on a sample. */
    public Equalizer(int length) {
        if (length % 2 == 0) {
            throw new IllegalArgumentException("an equaliser needs an odd number of taps, not " + length);
        }
        this.length = length;
        wRe = new double[length];
        wIm = new double[length];
        xRe = new double[2 * length];
        xIm = new double[2 * length];
    }

    public void push(double re, double im) {
        xRe[pos] = re;
        xRe[pos + length] = re;
        xIm[pos] = im;
        xIm[pos + length] = im;
        pos = pos + 1 == length ? 0 : pos + 1;
    }

    /** Computes the output for the present inputs; read it with {@link #re()} and {@link #im()}. */
    public void output() {
        double re = 0;
        double im = 0;
        for (int i = 0; i < length; i++) {
            double a = xRe[pos + i];
            double b = xIm[pos + i];
            re += wRe[i] * a - wIm[i] * b;
            im += wRe[i] * b + wIm[i] * a;
        }
        outRe = re;
        outIm = im;
    }

    public double re() {
        return outRe;
    }

    public double im() {
        return outIm;
    }

    /** One LMS step: taps += mu * error * conj(input); error is wanted minus {@link #output}. */
    public void adapt(double errRe, double errIm, double mu) {
        double er = mu * errRe;
        double ei = mu * errIm;
        for (int i = 0; i < length; i++) {
            double a = xRe[pos + i];
            double b = xIm[pos + i];
            wRe[i] += er * a + ei * b;
            wIm[i] += ei * a - er * b;
        }
    }

    /** All taps zero but the centre one, which is (re, im): a plain complex gain. */
    public void reset(double re, double im) {
        Arrays.fill(wRe, 0);
        Arrays.fill(wIm, 0);
        wRe[length / 2] = re;
        wIm[length / 2] = im;
    }

    public int length() {
        return length;
    }

    /** Half symbols between the newest input and the one the output stands for. */
    public int delayHalfSymbols() {
        return length / 2;
    }

    /** Whether every tap is a finite number (a diverged equaliser is a failed training). */
    public boolean finite() {
        for (int i = 0; i < length; i++) {
            if (!Double.isFinite(wRe[i]) || !Double.isFinite(wIm[i])) {
                return false;
            }
        }
        return true;
    }
}
