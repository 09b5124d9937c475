package dev.faxlan.modem.v17;

import dev.faxlan.modem.BitSink;
import dev.faxlan.modem.Levels;
import dev.faxlan.modem.ModemReceiver;
import dev.faxlan.modem.dsp.RaisedCosine;
import dev.faxlan.modem.dsp.Scrambler;
import java.util.Arrays;

/**
 * V.17 receiver. A quadrature root-raised-cosine filter at the carrier, sampled twice a symbol at
 * a fractional position kept by a Gardner timing loop, feeds a T/2 fractionally spaced LMS
 * equaliser; a decision-directed phase-locked loop tracks the carrier after the equaliser, and an
 * 8-state Viterbi decoder makes the data decisions.
 *
 * <p>Training follows the recommendation's segments: on ABAB the gain and symbol timing settle and
 * the carrier frequency is measured; the turn to the scrambled CDBA segment fixes the carrier's
 * phase; CDBA (and the bridge, for a long training) trains the equaliser on the known sequence;
 * the 48 symbols of scrambled ones are decoded by the trellis and must land close to the
 * constellation. Then {@link BitSink#carrierUp} and the data bits, from the transmitter's first.
 * If a carrier turns from ABAB to CDBA but fails a check, {@link BitSink#trainingFailed}; other
 * signals (silence, noise, tones, V.21) give nothing.
 *
 * <p>Short training (T.30's pages after the long-trained TCF) starts from the equaliser, carrier
 * frequency and timing drift of the last training on this same object: construct the receiver with
 * {@code shortTraining = true} and give it every carrier of the call, the long-trained TCF first.
 * Each carrier after one that trained may then be short- or long-trained (a TCF again after FTT);
 * the receiver tells which from the symbols after the short training's 38 CDBA symbols. With
 * {@code shortTraining = false} every carrier must be long-trained and nothing is kept. After
 * {@link BitSink#carrierDown} the receiver waits for the next carrier; it never throws on any input.
 */
public final class V17Receiver implements ModemReceiver {
    private static final double SAMPLE_RATE = 8000;
    private static final double CARRIER_HZ = 1800;
    private static final double HALF_SYMBOL = SAMPLE_RATE / 4800;
    private static final double NOMINAL_STEP = 2 * Math.PI * CARRIER_HZ / SAMPLE_RATE;
    private static final double ROLL_OFF = 0.25;

    /** spandsp's fax setting: carrier on at -43 dBm0, off at -48 dBm0. */
    private static final double ON_POWER = Levels.meanSquare(-43);
    private static final double OFF_POWER = Levels.meanSquare(-48);
    private static final int OFF_HANGOVER = 40;
    private static final double DROP_RATIO = Math.pow(10, -12 / 10.0);

    private static final int FILTER_TAPS = 41;
    private static final int FILTER_CENTRE = FILTER_TAPS / 2;
    private static final int PHASES = 64;
    private static final double[][] FILTER_RE = new double[PHASES + 1][FILTER_TAPS];
    private static final double[][] FILTER_IM = new double[PHASES + 1][FILTER_TAPS];

    static {
        for (int p = 0; p <= PHASES; p++) {
            double mu = p / (double) PHASES;
            for (int i = 0; i < FILTER_TAPS; i++) {
                double t = i - FILTER_CENTRE - mu;
                double h = RaisedCosine.root(t * 2400 / SAMPLE_RATE, ROLL_OFF) * 2400 / SAMPLE_RATE;
                FILTER_RE[p][i] = h * Math.cos(NOMINAL_STEP * t);
                FILTER_IM[p][i] = h * Math.sin(NOMINAL_STEP * t);
            }
        }
    }

    /**
     * Where V.17's scrambler (1 + x^-18 + x^-23) starts on every carrier, as spandsp's transmitter
     * starts it; during training the receiver runs the same generator to know the CDBA sequence,
     * during data it descrambles from the line bits and needs no seed.
     */
    static final int SCRAMBLER_SEED = 0x2ECDD5;

    static Scrambler scrambler() {
        Scrambler s = new Scrambler(18, 23);
        s.setState(SCRAMBLER_SEED);
        return s;
    }

    // Loop gains in data: low, because at 14400 bit/s decision noise and Gardner's self-noise on
    // 128 points cost more than slow tracking (measured with spandsp's transmitter at 20 dB SNR:
    // 215 bit errors in 240,000 with these, about 100,000 with five to ten times the carrier and timing gains).
    private static final double DATA_EQ_STEP = 0.001;
    private static final double DATA_PLL_P = 0.01;
    private static final double DATA_PLL_I = 0.0001;
    private static final double DATA_TIMING_GAIN = 0.001;
    private static final double DATA_TIMING_INTEGRAL = 1e-6;
    private static final double TRAINING_TIMING_INTEGRAL = 1e-5;

    private static final int PROBE_SYMBOLS = 8;
    private static final int EQ_TAPS = 21;
    private static final int EQ_CENTRE = 10;
    private static final int VITERBI_DEPTH = 24;
    private static final double TARGET_ENERGY = V17Constellation.REFERENCE_ENERGY;

    /** What the receiver is waiting for. */
    private enum Stage {
        /** No carrier. */
        IDLE,
        /** Carrier present: settling gain and timing, looking for ABAB and its turn to CDBA. */
        SEGMENT_1,
        /** The known CDBA sequence: train the equaliser (long) or only the carrier phase (short). */
        SEGMENT_2,
        /** The long training's bridge: known points, slow training. */
        BRIDGE,
        /** The 48 scrambled ones through the trellis, then data. */
        DATA,
        /** Training failed or never began: wait for the carrier to drop. */
        PARKED
    }

    private final V17Constellation constellation;
    private final boolean shortTraining;
    private final BitSink sink;
    private final V17Viterbi viterbi;
    /** Generates the known training sequences. */
    private final Scrambler scrambler = scrambler();
    /** Descrambles data, falling into step by itself. */
    private final Scrambler descrambler = scrambler();

    private long sampleCount;
    private double power;
    private double carrierPower;
    private int lowCount;
    private boolean carrier;
    private Stage stage = Stage.IDLE;

    // Front end.
    private final double[] input = new double[2 * FILTER_TAPS];
    private int inputPos;
    private double timing;
    private double theta;
    private double step = NOMINAL_STEP;
    private double gain;
    private double symbolPower;
    private boolean gainLocked;
    private boolean onTime;
    private double midRe;
    private double midIm;
    private double lastRe;
    private double lastIm;
    private double timingGain;
    private double timingIntegral;
    private double timingDrift;
    private double savedDrift;

    // Equaliser.
    private final double[] eqRe = new double[2 * EQ_TAPS];
    private final double[] eqIm = new double[2 * EQ_TAPS];
    private int eqPos;
    private final double[] wRe = new double[EQ_TAPS];
    private final double[] wIm = new double[EQ_TAPS];
    private final double[] savedRe = new double[EQ_TAPS];
    private final double[] savedIm = new double[EQ_TAPS];
    private boolean haveSaved;
    private double savedStep;
    private double eqStep;
    private double pllP;
    private double pllI;

    // Training.
    private boolean thisShort;
    private int count;
    private int goodRun;
    private double prev1Re;
    private double prev1Im;
    private double prev2Re;
    private double prev2Im;
    private double sumRotRe;
    private double sumRotIm;
    private int lastAlternation;
    private int trainingPoint;
    private double error;
    private int errorCount;
    private int previousPair;
    private boolean trained;
    /** A carrier expected short-trained: whether the symbols after the short CDBA are still being compared with CDBA. */
    private boolean probingLong;
    private int probeCount;
    private double probeError;

    /**
     * @param bitRate 7200, 9600, 12000 or 14400
     * @param shortTraining whether carriers after a trained one are short-trained (T.30 pages after TCF)
     */
    public V17Receiver(int bitRate, boolean shortTraining, BitSink sink) {
        this(bitRate, shortTraining, sink, VITERBI_DEPTH);
    }

    /** With a chosen traceback depth, to measure what depth buys. */
    V17Receiver(int bitRate, boolean shortTraining, BitSink sink, int viterbiDepth) {
        this.constellation = V17Constellation.forRate(bitRate);
        this.shortTraining = shortTraining;
        this.sink = sink;
        this.viterbi = new V17Viterbi(constellation, viterbiDepth);
    }

    @Override
    public void receive(short[] samples, int off, int len) {
        for (int i = off; i < off + len; i++) {
            sample(samples[i]);
        }
    }

    private void sample(short s) {
        sampleCount++;
        double x = s;
        power += (x * x - power) * (1.0 / 32);
        if (!carrier) {
            if (power > ON_POWER) {
                carrier = true;
                lowCount = 0;
                carrierPower = power;
                startCarrier();
            } else {
                return;
            }
        } else {
            carrierPower += (power - carrierPower) * (1.0 / 512);
            // Off below -48 dBm0, or 12 dB under the carrier's own level (the line's noise may stay above -48).
            if (power < OFF_POWER || power < carrierPower * DROP_RATIO) {
                if (++lowCount >= OFF_HANGOVER) {
                    endCarrier();
                    return;
                }
            } else {
                lowCount = 0;
            }
        }
        inputPos = inputPos + 1 == FILTER_TAPS ? 0 : inputPos + 1;
        input[inputPos] = x;
        input[inputPos + FILTER_TAPS] = x;
        theta += step;
        if (theta > Math.PI) {
            theta -= 2 * Math.PI;
        }
        if (stage == Stage.PARKED) {
            return;
        }
        timing += 1;
        if (timing >= HALF_SYMBOL) {
            timing -= HALF_SYMBOL;
            halfSymbol(timing);
        }
    }

    private void startCarrier() {
        stage = Stage.SEGMENT_1;
        thisShort = shortTraining && haveSaved;
        Arrays.fill(input, 0);
        Arrays.fill(eqRe, 0);
        Arrays.fill(eqIm, 0);
        timing = 0;
        theta = 0;
        onTime = false;
        gainLocked = false;
        gain = 0;
        symbolPower = 0;
        midRe = midIm = lastRe = lastIm = 0;
        timingGain = 0.05;
        timingIntegral = 0;
        count = 0;
        goodRun = 0;
        prev1Re = prev1Im = prev2Re = prev2Im = 0;
        sumRotRe = sumRotIm = 0;
        trained = false;
        probingLong = false;
        Arrays.fill(wRe, 0);
        Arrays.fill(wIm, 0);
        if (thisShort) {
            System.arraycopy(savedRe, 0, wRe, 0, EQ_TAPS);
            System.arraycopy(savedIm, 0, wIm, 0, EQ_TAPS);
            step = savedStep;
            timingDrift = savedDrift;
        } else {
            timingDrift = 0;
            wRe[EQ_CENTRE] = 1;
            step = NOMINAL_STEP;
        }
    }

    private void endCarrier() {
        carrier = false;
        Stage was = stage;
        stage = Stage.IDLE;
        if (trained) {
            sink.carrierDown(sampleCount);
        } else if (was == Stage.SEGMENT_2 || was == Stage.BRIDGE || was == Stage.DATA) {
            // It had turned from ABAB to CDBA: a V.17 training that did not finish.
            sink.trainingFailed(sampleCount);
        }
        trained = false;
    }

    /** One output of the matched filter, {@code late} samples after its ideal instant. */
    private void halfSymbol(double late) {
        double mu = Math.min(Math.max(late, 0), 1) * PHASES;
        int p = (int) (mu + 0.5);
        double[] hr = FILTER_RE[p];
        double[] hi = FILTER_IM[p];
        double ar = 0;
        double ai = 0;
        int base = inputPos + FILTER_TAPS;
        for (int i = 0; i < FILTER_TAPS; i++) {
            double v = input[base - i];
            ar += v * hr[i];
            ai += v * hi[i];
        }
        // Bring to baseband at the filter's instant: FILTER_CENTRE + late samples before the newest.
        double ph = theta - step * (FILTER_CENTRE + late);
        double c = Math.cos(ph);
        double sn = Math.sin(ph);
        double yr = ar * c + ai * sn;
        double yi = ai * c - ar * sn;

        // Gain: the mean energy of the on-time samples brought to that of the training points.
        if (!gainLocked && onTime) {
            double e = yr * yr + yi * yi;
            symbolPower += (e - symbolPower) * (symbolPower == 0 ? 1 : 0.05);
        }
        if (!gainLocked) {
            gain = symbolPower > 0 ? Math.sqrt(TARGET_ENERGY / symbolPower) : 0;
        }
        yr *= gain;
        yi *= gain;

        eqPos = eqPos + 1 == EQ_TAPS ? 0 : eqPos + 1;
        eqRe[eqPos] = yr;
        eqIm[eqPos] = yi;
        eqRe[eqPos + EQ_TAPS] = yr;
        eqIm[eqPos + EQ_TAPS] = yi;

        if (!onTime) {
            midRe = yr;
            midIm = yi;
            onTime = true;
            return;
        }
        onTime = false;
        // Gardner: the mid sample leans towards the later symbol when we sample late.
        double e = (lastRe - yr) * midRe + (lastIm - yi) * midIm;
        lastRe = yr;
        lastIm = yi;
        // Second order: the drift term learns a sample clock offset (100 ppm is 1/3000 sample a symbol).
        e /= TARGET_ENERGY;
        timingDrift += timingIntegral * e;
        timing -= timingGain * e + timingDrift;

        double zr = 0;
        double zi = 0;
        int b = eqPos + EQ_TAPS;
        for (int i = 0; i < EQ_TAPS; i++) {
            double xr = eqRe[b - i];
            double xi = eqIm[b - i];
            zr += wRe[i] * xr - wIm[i] * xi;
            zi += wRe[i] * xi + wIm[i] * xr;
        }
        symbol(zr, zi);
    }

    private void symbol(double zr, double zi) {
        switch (stage) {
            case SEGMENT_1 -> segment1(zr, zi);
            case SEGMENT_2 -> segment2(zr, zi);
            case BRIDGE -> bridge(zr, zi);
            case DATA -> data(zr, zi);
            default -> {
            }
        }
    }

    /** ABAB: B is A turned a quarter; a symbol and the one two before agree, neighbours alternate. */
    private void segment1(double zr, double zi) {
        // Keeps looking as long as there is signal: line noise may hold the carrier detector on
        // until the real carrier comes.
        count = Math.min(count + 1, 1000);
        double e = zr * zr + zi * zi;
        // z times the conjugate of the symbol two back, and of the one before.
        double r2 = zr * prev2Re + zi * prev2Im;
        double i2 = zi * prev2Re - zr * prev2Im;
        double i1 = zi * prev1Re - zr * prev1Im;
        int alternation = i1 > 0 ? 1 : -1;
        boolean plausible = e > 0.3 * TARGET_ENERGY && e < 3 * TARGET_ENERGY;
        if (count > 40 && plausible && goodRun >= 32 && r2 < 0) {
            turnToCdba(zr, zi);
            return;
        }
        if (count > 40 && plausible && r2 > 0.3 * e && Math.abs(i1) > 0.3 * e && alternation != lastAlternation) {
            goodRun++;
            if (goodRun > 8) {
                sumRotRe += r2;
                sumRotIm += i2;
            }
            timingGain = goodRun > 64 ? 0.01 : 0.05;
        } else {
            // A noisy line spoils a symbol now and then: a miss costs a few good ones, not the run.
            goodRun = Math.max(0, goodRun - 4);
            if (goodRun == 0) {
                sumRotRe = sumRotIm = 0;
            }
        }
        lastAlternation = alternation;
        prev2Re = prev1Re;
        prev2Im = prev1Im;
        prev1Re = zr;
        prev1Im = zi;
    }

    private void turnToCdba(double zr, double zi) {
        // The carrier frequency from the drift over ABAB: the angle of z against z two symbols back.
        double perSymbol = Math.atan2(sumRotIm, sumRotRe) / 2;
        double hz = perSymbol * 2400 / (2 * Math.PI);
        if (Math.abs(hz) > 20) {
            fail();
            return;
        }
        step += perSymbol / (SAMPLE_RATE / 2400);
        // This symbol is C: turn the carrier phase and the equaliser's contents so it lands there.
        double turn = Math.atan2(V17Constellation.ABCD[5], V17Constellation.ABCD[4]) - Math.atan2(zi, zr);
        theta -= turn;
        double c = Math.cos(turn);
        double s = Math.sin(turn);
        for (int i = 0; i < eqRe.length; i++) {
            double r = eqRe[i] * c - eqIm[i] * s;
            eqIm[i] = eqRe[i] * s + eqIm[i] * c;
            eqRe[i] = r;
        }
        gainLocked = true;
        timingGain = 0.01;
        timingIntegral = TRAINING_TIMING_INTEGRAL;
        scrambler.setState(SCRAMBLER_SEED);
        // The first CDBA symbol is the one just seen.
        trainingPoint = V17Transmitter.DIBIT_TO_CDBA[dibit(1, 1)];
        stage = Stage.SEGMENT_2;
        count = 1;
        error = 0;
        errorCount = 0;
        if (thisShort) {
            eqStep = 0.002;
            pllP = 0.2;
            pllI = 0.01;
        } else {
            eqStep = 0.05;
            pllP = 0.2;
            pllI = 0.01;
        }
    }

    private void segment2(double zr, double zi) {
        trainingPoint = V17Transmitter.DIBIT_TO_CDBA[dibit(1, 1)];
        int length = thisShort ? V17Transmitter.SEGMENT_2_SHORT : V17Transmitter.SEGMENT_2_LONG;
        double tr = V17Constellation.ABCD[2 * trainingPoint];
        double ti = V17Constellation.ABCD[2 * trainingPoint + 1];
        // The last few symbols of the segment are left out of the measure, as some modems end it early.
        if (count < length - 4) {
            track(zr, zi, tr, ti);
            if (count >= length - (thisShort ? 30 : 200)) {
                error += (zr - tr) * (zr - tr) + (zi - ti) * (zi - ti);
                errorCount++;
            }
        }
        if (!thisShort && count == 800) {
            eqStep = 0.01;
            pllP = 0.1;
            pllI = 0.002;
        }
        if (++count == length) {
            if (error / Math.max(1, errorCount) > threshold()) {
                fail();
                return;
            }
            count = 0;
            if (thisShort) {
                startData();
                probingLong = true;
                probeCount = 0;
                probeError = 0;
            } else {
                stage = Stage.BRIDGE;
            }
        }
    }

    private void bridge(double zr, double zi) {
        int shift = (count & 7) << 1;
        int d = dibit(V17Transmitter.BRIDGE_WORD >> shift, V17Transmitter.BRIDGE_WORD >> (shift + 1));
        trainingPoint = (trainingPoint + V17Transmitter.DIBIT_TO_TURNS[d]) & 3;
        track(zr, zi, V17Constellation.ABCD[2 * trainingPoint], V17Constellation.ABCD[2 * trainingPoint + 1]);
        if (++count == V17Transmitter.BRIDGE) {
            startData();
        }
    }

    private void startData() {
        stage = Stage.DATA;
        count = 0;
        error = 0;
        errorCount = 0;
        viterbi.reset();
        previousPair = thisShort ? 0 : 1;
        eqStep = DATA_EQ_STEP;
        pllP = DATA_PLL_P;
        pllI = DATA_PLL_I;
        timingGain = DATA_TIMING_GAIN;
        timingIntegral = DATA_TIMING_INTEGRAL;
    }

    private void data(double zr, double zi) {
        if (probingLong && probeLong(zr, zi)) {
            return;
        }
        int decided = viterbi.decode(zr, zi);
        int nearest = viterbi.nearest();
        double tr = constellation.re[nearest];
        double ti = constellation.im[nearest];
        track(zr, zi, tr, ti);
        if (!trained) {
            error += (zr - tr) * (zr - tr) + (zi - ti) * (zi - ti);
            errorCount++;
            if (errorCount == V17Transmitter.ONES) {
                if (error / errorCount > threshold()) {
                    fail();
                    return;
                }
                trained = true;
                if (shortTraining) {
                    System.arraycopy(wRe, 0, savedRe, 0, EQ_TAPS);
                    System.arraycopy(wIm, 0, savedIm, 0, EQ_TAPS);
                    savedStep = step;
                    savedDrift = timingDrift;
                    haveSaved = true;
                }
                sink.carrierUp(sampleCount);
            }
        }
        if (decided < 0) {
            return;
        }
        // Differential decoding of Y1 Y2, then the bits in line order through the descrambler.
        int pair = (decided >> 1) & 3;
        int bits = ((decided >> 1) & ~3) | ((pair - previousPair) & 3);
        previousPair = pair;
        boolean deliver = count >= V17Transmitter.ONES;
        count++;
        for (int i = 0; i < constellation.bitsPerSymbol; i++) {
            int bit = descrambler.descramble(bits >> i);
            if (deliver && trained) {
                sink.bit(bit);
            }
        }
    }

    /**
     * After a short training's 38 CDBA symbols a long training's CDBA goes on, while a short one's
     * ones begin: eight symbols tell which (T.30 retrains with a long-trained TCF after FTT, on the
     * same receiver). True when it was a long training, which then carries on from here.
     */
    private boolean probeLong(double zr, double zi) {
        trainingPoint = V17Transmitter.DIBIT_TO_CDBA[dibit(1, 1)];
        double tr = V17Constellation.ABCD[2 * trainingPoint];
        double ti = V17Constellation.ABCD[2 * trainingPoint + 1];
        probeError += (zr - tr) * (zr - tr) + (zi - ti) * (zi - ti);
        if (++probeCount < PROBE_SYMBOLS) {
            return false;
        }
        probingLong = false;
        // Mean squared distance from the expected CDBA points: noise only if it is CDBA, about 80 if not.
        if (probeError / PROBE_SYMBOLS > 8) {
            return false;
        }
        thisShort = false;
        stage = Stage.SEGMENT_2;
        count = V17Transmitter.SEGMENT_2_SHORT + PROBE_SYMBOLS;
        error = 0;
        errorCount = 0;
        eqStep = 0.01;
        pllP = 0.1;
        pllI = 0.002;
        timingGain = 0.01;
        timingIntegral = TRAINING_TIMING_INTEGRAL;
        return true;
    }

    /** Carrier phase and equaliser towards the target point. */
    private void track(double zr, double zi, double tr, double ti) {
        double t2 = tr * tr + ti * ti;
        if (t2 > 0) {
            // Phase error: the angle of z against the target, small-angle.
            double pe = (zi * tr - zr * ti) / t2;
            theta += pllP * pe;
            step += pllI * pe / (SAMPLE_RATE / 2400);
        }
        double er = tr - zr;
        double ei = ti - zi;
        double mu = eqStep / (EQ_TAPS * TARGET_ENERGY);
        er *= mu;
        ei *= mu;
        int b = eqPos + EQ_TAPS;
        for (int i = 0; i < EQ_TAPS; i++) {
            double xr = eqRe[b - i];
            double xi = eqIm[b - i];
            wRe[i] += er * xr + ei * xi;
            wIm[i] += ei * xr - er * xi;
        }
    }

    private double threshold() {
        return 0.5 * constellation.spacing * constellation.spacing;
    }

    private int dibit(int first, int second) {
        int b0 = scrambler.scramble(first);
        int b1 = scrambler.scramble(second);
        return (b0 << 1) | b1;
    }

    private void fail() {
        stage = Stage.PARKED;
        sink.trainingFailed(sampleCount);
    }
}
