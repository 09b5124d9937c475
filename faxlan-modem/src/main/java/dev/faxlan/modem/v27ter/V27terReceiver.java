package dev.faxlan.modem.v27ter;

import dev.faxlan.modem.BitSink;
import dev.faxlan.modem.Levels;
import dev.faxlan.modem.ModemReceiver;
import dev.faxlan.modem.dsp.Carrier;
import dev.faxlan.modem.dsp.CarrierLoop;
import dev.faxlan.modem.dsp.Equalizer;
import dev.faxlan.modem.dsp.RaisedCosine;

/**
 * V.27ter receiver for fax (long training): carrier detect with hysteresis (on at -43 dBm0, off
 * under -48 dBm0, spandsp's fax thresholds); a fixed 1800 Hz mixer and a root-raised-cosine
 * matched filter; symbol timing from the square-law spectral line of the filter's output (Oerder
 * and Meyr), tracked continuously so that a sample clock hundreds of ppm off is followed, with
 * half-symbol samples taken by cubic interpolation; a half-symbol-spaced LMS equaliser; a
 * decision-directed second-order carrier loop behind it; differential decoding and the
 * descrambler.
 *
 * <p>The training is recognised, not just waited for: the start of segment 4 (the scrambled
 * reversals) is found where the phase steps stop alternating and then follow the scrambler's known
 * sequence for {@value #MATCH} symbols. That fixes where the data start to the symbol, trains the
 * equaliser on known points, and keeps the receiver silent on anything else (silence, noise,
 * V.21, tones): it reports nothing unless that pattern, or at least the reversals before it, came. {@link BitSink#carrierUp} follows
 * when the equaliser's error over the end of the training is small enough, {@link
 * BitSink#trainingFailed} otherwise, or when reversals came without the training after them (and
 * the search goes on); {@link BitSink#carrierDown} when the
 * carrier that brought either ends: its power under -48 dBm0, or, when noise stays above that,
 * under its own level by half the SNR its training measured. Then the receiver waits for the next
 * carrier.
 */
public final class V27terReceiver implements ModemReceiver {
    /** Symbols of the scrambled sequence that must match before the training counts as found. */
    static final int MATCH = 16;
    /** Reversals required just before them. */
    private static final int REVERSALS_BEFORE = 4;
    /**
     * This many 180-degree steps in a row are V.27ter's segment 3 (neither V.21, nor a tone, nor noise
     * makes them): if the training does not follow within {@link #REVERSALS_TO_TRAINING} symbols, or
     * the carrier ends first, the training failed.
     */
    private static final int CLEAR_REVERSALS = 24;
    private static final int REVERSALS_TO_TRAINING = 100;
    private static final double TAN_12 = Math.tan(Math.toRadians(12));
    /** Symbols the timing estimate gathers after carrier detect before the sampling phase is set. */
    private static final int ACQUIRE_SYMBOLS = 10;
    /** Timing loop gain per symbol (fraction of the measured error) while searching, then once trained. */
    private static final double SEARCH_TIMING_GAIN = 0.25;
    private static final double TRACK_TIMING_GAIN = 0.05;
    /**
     * A trained carrier has ended when the power falls under its level by half the signal-to-noise
     * ratio in dB (the geometric mean of carrier-plus-noise and noise), even if noise keeps it above
     * the off threshold (at 20 dB SNR the noise alone is -34 dBm0 when the carrier is -14); at least
     * 5 dB under (a run of reversals is 3 dB under the mean), at most 12.
     */
    private static final double DROP_LEAST = Math.pow(10, -5 / 10.0);
    private static final double DROP_MOST = Math.pow(10, -12 / 10.0);
    /** The carrier's level is followed over about 32 ms. */
    private static final double LEVEL_ALPHA = 1.0 / 256;
    /** Half-symbol taps: 8 symbols, the centre 4 symbols behind the newest sample. */
    private static final int EQ_LEN = 17;
    /** The matched filter spans this many symbols each side of its centre (the pulse is under 0.3 % of its peak there). */
    private static final int SPAN_EACH_SIDE = 3;
    private static final int MIX_MASK = 63;
    private static final int Y_MASK = 15;
    private static final double SQRT2 = Math.sqrt(2);
    /** Carrier loop gains per symbol while training on known points, then on decisions. */
    private static final double TRAIN_P = 0.1;
    private static final double TRAIN_I = 0.0025;
    private static final double DATA_P = 0.05;
    private static final double DATA_I = 0.0006;
    /**
     * LMS step, normalised by the equaliser's input power and length, while training; on data 0.4 of
     * it on every fourth symbol.
     */
    private static final double TRAIN_MU = 0.2;
    /** Mean squared error (points at radius sqrt 2) over the end of the training that still passes. */
    private static final double PASS_4800 = 0.2;
    private static final double PASS_2400 = 0.5;
    private static final int ERROR_WINDOW = 64;
    private static final double ON_LEVEL = Levels.meanSquare(-43);
    private static final double OFF_LEVEL = Levels.meanSquare(-48);
    /** The power meter averages over about 4 ms. */
    private static final double POWER_ALPHA = 1.0 / 32;

    private static final double[] POINT_RE = new double[8];
    private static final double[] POINT_IM = new double[8];
    /** The first {@link #MATCH} phase steps of segment 4 and the reversals before, newest in bit 0. */
    private static final int HOP_PATTERN;
    private static final int HOP_MASK = (1 << (MATCH + REVERSALS_BEFORE)) - 1;

    static {
        for (int i = 0; i < 8; i++) {
            POINT_RE[i] = SQRT2 * Math.cos(i * Math.PI / 4);
            POINT_IM[i] = SQRT2 * Math.sin(i * Math.PI / 4);
        }
        int p = 0;
        for (int i = 0; i < REVERSALS_BEFORE; i++) {
            p = (p << 1) | 1;
        }
        for (int i = 0; i < MATCH; i++) {
            p = (p << 1) | (V27ter.SCRAMBLED_REVERSALS[i] ? 1 : 0);
        }
        HOP_PATTERN = p;
    }

    private enum Stage { IDLE, ACQUIRE, SEARCH, TRAIN, ONES, DATA }

    private final int bitRate;
    private final BitSink sink;
    private final double samplesPerSymbol;
    private final double passError;
    private final V27terScrambler descrambler = new V27terScrambler();

    // Front end: power, mixer, matched filter.
    private double power;
    private long sample = -1;
    private final Carrier carrier = new Carrier(V27ter.CARRIER_HZ);
    /** The mixer's output, each sample stored twice (at i and i + 64) so the filter reads it without wrapping. */
    private final double[] mixRe = new double[2 * (MIX_MASK + 1)];
    private final double[] mixIm = new double[2 * (MIX_MASK + 1)];
    private final double[] matched;
    private final double[] yRe = new double[Y_MASK + 1];
    private final double[] yIm = new double[Y_MASK + 1];

    // Symbol timing: the spectral line at the symbol rate in |y|^2.
    private final double[] lineRe;
    private final double[] lineIm;
    private final double lineAlpha;
    private int lineIndex;
    private double timingRe;
    private double timingIm;
    private double nextTime;
    private boolean nextOnSymbol;

    // Equaliser and carrier loop.
    private final Equalizer equalizer = new Equalizer(EQ_LEN);
    private final CarrierLoop loop = new CarrierLoop(TRAIN_P, TRAIN_I);
    private double eqStep;

    // Training.
    private Stage stage = Stage.IDLE;
    private int count;
    private int history;
    private final double[] zRe = new double[32];
    private final double[] zIm = new double[32];
    private int trainingSign;
    private double errorSum;
    private int previousPoint;
    private boolean reported;
    private double carrierLevel;
    private double drop = DROP_MOST;
    private int adaptCount;
    private int reversalRun;
    private boolean sawReversals;
    private int sinceReversals;

    public V27terReceiver(int bitRate, BitSink sink) {
        V27ter.checkRate(bitRate);
        this.bitRate = bitRate;
        this.sink = sink;
        this.samplesPerSymbol = (double) V27ter.SAMPLE_RATE / V27ter.baud(bitRate);
        this.passError = bitRate == 4800 ? PASS_4800 : PASS_2400;
        int len = 2 * (int) Math.ceil(SPAN_EACH_SIDE * samplesPerSymbol) + 1;
        this.matched = new double[len];
        for (int i = 0; i < len; i++) {
            matched[i] = RaisedCosine.root((i - (len - 1) / 2.0) / samplesPerSymbol, V27ter.ROLL_OFF);
        }
        // e^{-j 2 pi n / samplesPerSymbol} repeats after 5 samples (1600 baud) or 20 (1200 baud).
        int period = bitRate == 4800 ? 5 : 20;
        this.lineRe = new double[period];
        this.lineIm = new double[period];
        for (int n = 0; n < period; n++) {
            double w = 2 * Math.PI * n / samplesPerSymbol;
            lineRe[n] = Math.cos(w);
            lineIm[n] = -Math.sin(w);
        }
        this.lineAlpha = 1.0 / (32 * samplesPerSymbol);
    }

    @Override
    public void receive(short[] samples, int off, int len) {
        for (int i = off; i < off + len; i++) {
            step(samples[i]);
        }
    }

    private void step(int x) {
        sample++;
        power += ((double) x * x - power) * POWER_ALPHA;
        int m = (int) (sample & MIX_MASK);
        double mr = x * carrier.cos();
        double mi = -x * carrier.sin();
        carrier.advance();
        mixRe[m] = mr;
        mixRe[m + MIX_MASK + 1] = mr;
        mixIm[m] = mi;
        mixIm[m + MIX_MASK + 1] = mi;
        if (stage == Stage.IDLE) {
            if (power > ON_LEVEL) {
                carrierOn();
            } else {
                return;
            }
        } else if (power < OFF_LEVEL) {
            carrierOff();
            return;
        } else if (stage.compareTo(Stage.TRAIN) >= 0) {
            carrierLevel += (power - carrierLevel) * LEVEL_ALPHA;
            if (power < carrierLevel * drop) {
                // The carrier went; what remains is noise loud enough to look like one.
                carrierOff();
                carrierOn();
            }
        }
        double re = 0;
        double im = 0;
        // The filter is symmetric, so it runs forwards over the oldest to the newest sample.
        int start = m + MIX_MASK + 1 - (matched.length - 1);
        for (int k = 0; k < matched.length; k++) {
            re += matched[k] * mixRe[start + k];
            im += matched[k] * mixIm[start + k];
        }
        int yi = (int) (sample & Y_MASK);
        yRe[yi] = re;
        yIm[yi] = im;
        double e = re * re + im * im;
        timingRe += (e * lineRe[lineIndex] - timingRe) * lineAlpha;
        timingIm += (e * lineIm[lineIndex] - timingIm) * lineAlpha;
        if (++lineIndex == lineRe.length) {
            lineIndex = 0;
        }
        while (nextTime + 2 <= sample) {
            halfSymbol();
        }
    }

    private void carrierOn() {
        sawReversals = false;
        reversalRun = 0;
        stage = Stage.ACQUIRE;
        reported = false;
        count = 0;
        history = 0;
        timingRe = 0;
        timingIm = 0;
        lineIndex = (int) (sample % lineRe.length);
        nextTime = sample + 4;
        nextOnSymbol = true;
        for (int i = 0; i < EQ_LEN; i++) {
            equalizer.push(0, 0);
        }
        equalizer.reset(1, 0);
        loop.reset();
        loop.setGains(TRAIN_P, TRAIN_I);
        errorSum = 0;
    }

    private void restartSearch() {
        sawReversals = false;
        reversalRun = 0;
        stage = Stage.SEARCH;
        count = 0;
        history = 0;
        equalizer.reset(1, 0);
        loop.reset();
        loop.setGains(TRAIN_P, TRAIN_I);
    }

    private void trainingFailed() {
        sawReversals = false;
        reported = true;
        sink.trainingFailed(sample);
    }

    private void carrierOff() {
        if (stage == Stage.SEARCH && sawReversals) {
            trainingFailed();
        }
        stage = Stage.IDLE;
        if (reported) {
            reported = false;
            sink.carrierDown(sample);
        }
    }

    /** Where |y|^2 peaks, in samples modulo the symbol period. */
    private double timingError(double t) {
        double best = -Math.atan2(timingIm, timingRe) * samplesPerSymbol / (2 * Math.PI);
        double d = (best - t) / samplesPerSymbol;
        d -= Math.floor(d + 0.5);
        return d * samplesPerSymbol;
    }

    private void halfSymbol() {
        double t = nextTime;
        long base = (long) Math.floor(t);
        double mu = t - base;
        double cm1 = -mu * (mu - 1) * (mu - 2) / 6;
        double c0 = (mu + 1) * (mu - 1) * (mu - 2) / 2;
        double c1 = -(mu + 1) * mu * (mu - 2) / 2;
        double c2 = (mu + 1) * mu * (mu - 1) / 6;
        int im1 = (int) ((base - 1) & Y_MASK);
        int i0 = (int) (base & Y_MASK);
        int i1 = (int) ((base + 1) & Y_MASK);
        int i2 = (int) ((base + 2) & Y_MASK);
        equalizer.push(cm1 * yRe[im1] + c0 * yRe[i0] + c1 * yRe[i1] + c2 * yRe[i2],
                cm1 * yIm[im1] + c0 * yIm[i0] + c1 * yIm[i1] + c2 * yIm[i2]);
        double half = samplesPerSymbol / 2;
        if (!nextOnSymbol) {
            nextOnSymbol = true;
            nextTime += half;
            return;
        }
        nextOnSymbol = false;
        double err = timingError(t);
        if (stage == Stage.ACQUIRE) {
            if (++count >= ACQUIRE_SYMBOLS) {
                // Jump to the estimated phase; the samples before it are flushed by the search's wait.
                nextTime = t + err + half;
                stage = Stage.SEARCH;
                count = 0;
                return;
            }
        } else {
            nextTime += (stage == Stage.SEARCH ? SEARCH_TIMING_GAIN : TRACK_TIMING_GAIN) * err;
        }
        nextTime += half;
        if (stage != Stage.ACQUIRE) {
            symbol();
        }
    }

    private void symbol() {
        equalizer.output();
        double zr = equalizer.re();
        double zi = equalizer.im();
        switch (stage) {
            case SEARCH -> search(zr, zi);
            case TRAIN, ONES, DATA -> track(zr, zi);
            default -> {
            }
        }
    }

    /** Looks for the end of the reversals and the start of the scrambled sequence in the phase steps. */
    private void search(double zr, double zi) {
        int k = count & 31;
        int p = (count - 1) & 31;
        zRe[k] = zr;
        zIm[k] = zi;
        double dRe = zr * zRe[p] + zi * zIm[p];
        history = (history << 1) | (dRe < 0 ? 1 : 0);
        // Within 12 degrees of a half turn: a tone (CNG's 1100 Hz is 157 degrees a symbol at 1600 baud)
        // is not a reversal, a carrier offset of up to 10 Hz still is.
        double dIm = zi * zRe[p] - zr * zIm[p];
        reversalRun = dRe < 0 && Math.abs(dIm) < -dRe * TAN_12 ? reversalRun + 1 : 0;
        if (reversalRun >= CLEAR_REVERSALS) {
            sawReversals = true;
            sinceReversals = 0;
        } else if (sawReversals && ++sinceReversals > REVERSALS_TO_TRAINING) {
            // V.27ter's reversals came but not the training that follows them.
            trainingFailed();
        }
        count++;
        // The equaliser's centre tap must hold samples taken after the phase was set.
        if (count < EQ_LEN / 4 + 2 + MATCH + REVERSALS_BEFORE || (history & HOP_MASK) != HOP_PATTERN) {
            return;
        }
        // Found: this symbol is segment 4's symbol MATCH - 1. Set gain, phase and frequency from
        // the symbols that matched.
        double pow = 0;
        double fRe = 0;
        double fIm = 0;
        int n = MATCH + REVERSALS_BEFORE;
        for (int i = 0; i < n; i++) {
            int a = (count - 1 - i) & 31;
            int b = (count - 2 - i) & 31;
            pow += zRe[a] * zRe[a] + zIm[a] * zIm[a];
            double r = zRe[a] * zRe[b] + zIm[a] * zIm[b];
            double q = zIm[a] * zRe[b] - zRe[a] * zIm[b];
            double sign = ((history >>> i) & 1) == 1 ? -1 : 1;
            fRe += sign * r;
            fIm += sign * q;
        }
        pow /= n;
        if (!(pow > 1e-6)) {
            history = 0;
            return;
        }
        equalizer.reset(SQRT2 / Math.sqrt(pow), 0);
        eqStep = TRAIN_MU / (EQ_LEN * pow);
        double freq = Math.atan2(fIm, fRe);
        // The next symbol is one carrier step on from this one, which defines the reference phase.
        loop.set(Math.atan2(zi, zr) + freq, freq);
        trainingSign = 1;
        count = MATCH;
        errorSum = 0;
        carrierLevel = power;
        sawReversals = false;
        stage = Stage.TRAIN;
    }

    private void track(double zr, double zi) {
        loop.derotate(zr, zi);
        double yr = loop.re();
        double yi = loop.im();
        double dr;
        double di;
        int point = 0;
        if (stage == Stage.TRAIN) {
            if (V27ter.SCRAMBLED_REVERSALS[count]) {
                trainingSign = -trainingSign;
            }
            dr = trainingSign * SQRT2;
            di = 0;
        } else {
            point = bitRate == 4800 ? nearestOctant(yr, yi) : nearestQuadrant(yr, yi);
            dr = POINT_RE[point];
            di = POINT_IM[point];
        }
        double er = dr - yr;
        double ei = di - yi;
        // The error turned back into the equaliser's frame before the loop moves on. On data the
        // line changes slowly: a step on every fourth symbol is enough and costs a quarter.
        if (stage == Stage.TRAIN) {
            equalizer.adapt(loop.forwardRe(er, ei), loop.forwardIm(er, ei), eqStep);
        } else if ((++adaptCount & 3) == 0) {
            equalizer.adapt(loop.forwardRe(er, ei), loop.forwardIm(er, ei), eqStep * 0.4);
        }
        loop.update(dr, di);
        switch (stage) {
            case TRAIN -> {
                if (count >= V27ter.SCRAMBLED_SYMBOLS - ERROR_WINDOW) {
                    errorSum += er * er + ei * ei;
                }
                if (++count == V27ter.SCRAMBLED_SYMBOLS) {
                    previousPoint = trainingSign > 0 ? 0 : 4;
                    descrambler.reset(V27ter.REGISTER_AFTER_TRAINING, V27ter.RUN_AFTER_TRAINING);
                    count = 0;
                    loop.setGains(DATA_P, DATA_I);
                    stage = Stage.ONES;
                }
            }
            case ONES -> {
                errorSum += er * er + ei * ei;
                decode(point, false);
                if (++count == V27ter.ONES_SYMBOLS) {
                    reported = true;
                    double mse = errorSum / (ERROR_WINDOW + V27ter.ONES_SYMBOLS);
                    // The line's SNR from the symbols' (the matched filter keeps baud/4000 of white noise).
                    double lineSnr = 2 / Math.max(mse, 1e-9) * V27ter.baud(bitRate) / 4000.0;
                    drop = Math.max(DROP_MOST, Math.min(DROP_LEAST, Math.sqrt(1 / (1 + lineSnr))));
                    if (mse < passError) {
                        stage = Stage.DATA;
                        sink.carrierUp(sample);
                    } else {
                        // Look again: with noise over the carrier-detect threshold the carrier
                        // may not drop before the next training comes.
                        restartSearch();
                        sink.trainingFailed(sample);
                    }
                }
            }
            case DATA -> decode(point, true);
            default -> {
            }
        }
    }

    /** tan(22.5 degrees): the boundary between an axis point and a diagonal one. */
    private static final double TAN_22_5 = Math.sqrt(2) - 1;

    /** The nearest of 8 points at multiples of 45 degrees, by comparisons rather than an arctangent. */
    static int nearestOctant(double re, double im) {
        double ar = Math.abs(re);
        double ai = Math.abs(im);
        if (ai <= ar * TAN_22_5) {
            return re >= 0 ? 0 : 4;
        }
        if (ar <= ai * TAN_22_5) {
            return im >= 0 ? 2 : 6;
        }
        if (im >= 0) {
            return re >= 0 ? 1 : 3;
        }
        return re >= 0 ? 7 : 5;
    }

    /** The nearest of 4 points at multiples of 90 degrees (as octants 0, 2, 4, 6). */
    static int nearestQuadrant(double re, double im) {
        if (Math.abs(re) >= Math.abs(im)) {
            return re >= 0 ? 0 : 4;
        }
        return im >= 0 ? 2 : 6;
    }

    private void decode(int point, boolean deliver) {
        int step = (point - previousPoint) & 7;
        previousPoint = point;
        if (bitRate == 4800) {
            int tribit = V27ter.STEP_TO_TRIBIT[step];
            out(tribit >> 2, deliver);
            out(tribit >> 1, deliver);
            out(tribit, deliver);
        } else {
            int dibit = V27ter.QUARTERS_TO_DIBIT[step >> 1];
            out(dibit >> 1, deliver);
            out(dibit, deliver);
        }
    }

    private void out(int line, boolean deliver) {
        int bit = descrambler.descramble(line & 1);
        if (deliver) {
            sink.bit(bit);
        }
    }
}
