package dev.faxlan.modem.v29;

import dev.faxlan.modem.BitSink;
import dev.faxlan.modem.Levels;
import dev.faxlan.modem.ModemReceiver;
import dev.faxlan.modem.dsp.CarrierLoop;
import dev.faxlan.modem.dsp.Equalizer;
import dev.faxlan.modem.dsp.GardnerTiming;
import dev.faxlan.modem.dsp.MatchedFilterSampler;
import dev.faxlan.modem.dsp.Scrambler;

/**
 * V.29 receiver at 9600 or 7200 bit/s, for fax: one carrier after another, each with the full
 * training.
 *
 * <p>How it trains: a carrier above -43 dBm0 starts symbol timing (Gardner, fast while segment 2's
 * ABAB has a transition every symbol). Segment 2's mean is (A+B)/2 times the line's complex gain
 * whatever the timing, so 32 symbols of it give the gain and phase, and how far each symbol has turned
 * from the one 16 before gives the carrier's frequency offset; the start of segment 3 (CDCD, a
 * known pattern) is found by matching the next 16 symbols against it, which also proves the rate
 * (A and B differ between 9600 and 7200). The equaliser then trains on the rest of segment 3's known
 * symbols and decides segment 4's scrambled ones by itself; if its mean squared error there is under
 * 1 (point units, as spandsp's test), the receiver reports {@link BitSink#carrierUp} and hands on
 * every bit from the first data bit, descrambled. Otherwise it reports {@link BitSink#trainingFailed}
 * and waits for the carrier to end. Either is followed by {@link BitSink#carrierDown} when the level
 * falls under -48 dBm0, or for 3 ms under the carrier's by 20 dB or, on a line that was noisy before
 * the carrier, over 16 ms by half the dB between carrier and noise; then the receiver waits for the
 * next carrier (one object serves TCF and the page). Signals without V.29's segment 2 (silence, noise,
 * V.21, tones) cause no event at all.
 */
public final class V29Receiver implements ModemReceiver {
    private static final double ON = Levels.meanSquare(-43);
    private static final double OFF = Levels.meanSquare(-48);
    /** A carrier has ended when its level falls this far (20 dB) for {@link #DROP_SAMPLES}... */
    private static final double DROP_RATIO = 0.01;
    /** ...or, on a noisy line, its level over 16 ms halfway to the noise, but at least this far (3 dB). */
    private static final double DROP_MAX = 0.5;
    private static final double SLOW_POWER_ALPHA = 1.0 / 128;
    private static final int DROP_SAMPLES = 24;
    private static final double POWER_ALPHA = 1.0 / 16;
    private static final int EQUALIZER_TAPS = 17;
    /** Symbols of segment 2 that give the line's gain and phase. */
    private static final int GAIN_WINDOW = 32;
    /** Symbols of segment 3 matched to find where it starts. */
    private static final int MATCH = 16;
    private static final int RING = 64;
    private static final double MATCH_LIMIT = 0.8;
    private static final double TRAINED_LIMIT = 1.0;
    /** Symbols to wait for segment 3 once segment 2 has been seen, before calling the training failed. */
    private static final int SEEK_LIMIT = V29Signal.SEGMENT_2 + 2 * MATCH;
    private static final double MU_TRAINING = 0.2;
    private static final double MU_DATA = 0.05;
    private static final int[] SEGMENT_3 = V29Signal.segment3Pattern();

    private enum State {
        /** No carrier. */
        IDLE,
        /** A carrier: looking for segment 2 and the start of segment 3. */
        SEEKING,
        /** Training the equaliser on segment 3, then checking it on segment 4. */
        TRAINING,
        /** Trained: data. */
        DATA,
        /** The training failed; waiting for the carrier to end. */
        FAILED
    }

    private final int bitRate;
    private final BitSink sink;
    private final MatchedFilterSampler sampler =
            new MatchedFilterSampler(V29Signal.BAUD, V29Signal.CARRIER_HZ, V29Signal.ROLLOFF, V29Signal.PULSE_SPAN);
    private final GardnerTiming timing = new GardnerTiming(0.1, 0);
    private final Equalizer equalizer = new Equalizer(EQUALIZER_TAPS);
    private final CarrierLoop carrierLoop = new CarrierLoop(0.05, 0.0005);
    private final Scrambler descrambler = new Scrambler(18, 23);
    private final double[] ringRe = new double[RING];
    private final double[] ringIm = new double[RING];
    private final double bRe;
    private final double bIm;
    private final double dRe;
    private final double dIm;
    private final int points;

    private State state = State.IDLE;
    private long sample;
    private double power;
    private double floor;
    private double dropLevel;
    private double slowPower;
    private double noisyDropLevel;
    private int below;
    private boolean centre;
    private double prevRe;
    private double prevIm;
    private double midRe;
    private double midIm;
    private double symbolPower = 1;
    private int symbols;
    private boolean segment2Seen;
    private int sinceSegment2;
    private int index;
    private double errorSum;
    private double mu;
    private int lastPhase;

    public V29Receiver(int bitRate, BitSink sink) {
        V29Signal.checkRate(bitRate);
        this.bitRate = bitRate;
        this.sink = sink;
        bRe = V29Signal.bRe(bitRate);
        bIm = V29Signal.bIm(bitRate);
        dRe = V29Signal.dRe(bitRate);
        dIm = V29Signal.dIm(bitRate);
        points = bitRate == 9600 ? 16 : 8;
    }

    @Override
    public void receive(short[] samples, int off, int len) {
        for (int i = off; i < off + len; i++) {
            double x = samples[i];
            sample++;
            power += (x * x - power) * POWER_ALPHA;
            slowPower += (x * x - slowPower) * SLOW_POWER_ALPHA;
            if (state == State.IDLE) {
                floor = slowPower;
                if (power > ON) {
                    start();
                }
            } else if (power < OFF) {
                end();
            } else if (noisyDropLevel > 0 && slowPower < noisyDropLevel) {
                end();
            } else if (dropLevel > 0 && power < dropLevel) {
                if (++below >= DROP_SAMPLES) {
                    end();
                }
            } else {
                below = 0;
                if (state == State.SEEKING && !segment2Seen && slowPower < floor) {
                    floor = slowPower;
                }
            }
            if (sampler.push(x)) {
                halfSymbol(sampler.re(), sampler.im());
            }
        }
    }

    private void start() {
        state = State.SEEKING;
        dropLevel = 0;
        noisyDropLevel = 0;
        below = 0;
        symbols = 0;
        segment2Seen = false;
        sinceSegment2 = 0;
        timing.reset();
        timing.setGains(0.1, 0);
    }

    /**
     * The carrier has ended when the level stays 20 dB under the carrier's for 3 ms or, when the line was
     * noisy before it, when the level over 16 ms is halfway (in dB) between the noise and the carrier:
     * slow enough that no run of low-energy symbols looks like the end.
     */
    private void setDropLevel() {
        dropLevel = power * DROP_RATIO;
        double halfway = Math.sqrt(slowPower * floor);
        noisyDropLevel = halfway > slowPower * DROP_RATIO ? Math.min(halfway, slowPower * DROP_MAX) : 0;
    }

    private void end() {
        if (state == State.SEEKING && segment2Seen) {
            sink.trainingFailed(sample);
            sink.carrierDown(sample);
        } else if (state == State.TRAINING) {
            sink.trainingFailed(sample);
            sink.carrierDown(sample);
        } else if (state == State.DATA || state == State.FAILED) {
            sink.carrierDown(sample);
        }
        state = State.IDLE;
    }

    private void fail() {
        sink.trainingFailed(sample);
        state = State.FAILED;
    }

    private void halfSymbol(double re, double im) {
        equalizer.push(re, im);
        centre = !centre;
        if (!centre) {
            midRe = re;
            midIm = im;
            return;
        }
        symbolPower += (re * re + im * im - symbolPower) / 32.0;
        if (state != State.IDLE) {
            double adjust = timing.update(prevRe, prevIm, midRe, midIm, re, im, symbolPower);
            sampler.adjust(Math.max(-0.25, Math.min(0.25, adjust)));
        }
        prevRe = re;
        prevIm = im;
        switch (state) {
            case SEEKING -> seek(re, im);
            case TRAINING, DATA -> equalise();
            default -> {
            }
        }
    }

    /** Looks for segment 2 followed by the first {@link #MATCH} symbols of segment 3. */
    private void seek(double re, double im) {
        int k = symbols++;
        ringRe[k % RING] = re;
        ringIm[k % RING] = im;
        if (segment2Seen && ++sinceSegment2 > SEEK_LIMIT) {
            fail();
            return;
        }
        if (symbols < GAIN_WINDOW + MATCH) {
            return;
        }
        // Segment 2 candidates: symbols k-MATCH-GAIN_WINDOW+1 .. k-MATCH.
        double meanRe = 0;
        double meanIm = 0;
        double altRe = 0;
        double altIm = 0;
        int first = k - MATCH - GAIN_WINDOW + 1;
        for (int j = 0; j < GAIN_WINDOW; j++) {
            int r = (first + j) % RING;
            meanRe += ringRe[r];
            meanIm += ringIm[r];
            double sign = (j & 1) == 0 ? 1 : -1;
            altRe += sign * ringRe[r];
            altIm += sign * ringIm[r];
        }
        meanRe /= GAIN_WINDOW;
        meanIm /= GAIN_WINDOW;
        altRe /= GAIN_WINDOW;
        altIm /= GAIN_WINDOW;
        double meanMag = meanRe * meanRe + meanIm * meanIm;
        if (meanMag < 1e-9) {
            return;
        }
        // Alternation over mean is +-(A-B)/(A+B) for ABAB whatever the line's gain and phase; compare squares.
        double qRe = (altRe * meanRe + altIm * meanIm) / meanMag;
        double qIm = (altIm * meanRe - altRe * meanIm) / meanMag;
        double q2Re = qRe * qRe - qIm * qIm;
        double q2Im = 2 * qRe * qIm;
        double sRe = V29Signal.A_RE + bRe;
        double sIm = V29Signal.A_IM + bIm;
        double sMag = sRe * sRe + sIm * sIm;
        double dfRe = V29Signal.A_RE - bRe;
        double dfIm = V29Signal.A_IM - bIm;
        double rhoRe = (dfRe * sRe + dfIm * sIm) / sMag;
        double rhoIm = (dfIm * sRe - dfRe * sIm) / sMag;
        double rho2Re = rhoRe * rhoRe - rhoIm * rhoIm;
        double rho2Im = 2 * rhoRe * rhoIm;
        double rho2Mag = rho2Re * rho2Re + rho2Im * rho2Im;
        double devRe = q2Re - rho2Re;
        double devIm = q2Im - rho2Im;
        if (devRe * devRe + devIm * devIm > 0.09 * rho2Mag) {
            return;
        }
        double residual = 0;
        for (int j = 0; j < GAIN_WINDOW; j++) {
            int r = (first + j) % RING;
            double sign = (j & 1) == 0 ? 1 : -1;
            double eRe = ringRe[r] - meanRe - sign * altRe;
            double eIm = ringIm[r] - meanIm - sign * altIm;
            residual += eRe * eRe + eIm * eIm;
        }
        if (residual / GAIN_WINDOW > 0.1 * (meanMag + altRe * altRe + altIm * altIm)) {
            return;
        }
        if (!segment2Seen) {
            segment2Seen = true;
            sinceSegment2 = 0;
            setDropLevel();
        }
        // A carrier frequency offset turns each symbol from the same point half a window earlier (an even
        // number of symbols, so A to A and B to B) by that many times the offset per symbol.
        double turnRe = 0;
        double turnIm = 0;
        int lag = GAIN_WINDOW / 2;
        for (int j = lag; j < GAIN_WINDOW; j++) {
            int r = (first + j) % RING;
            int q = (first + j - lag) % RING;
            turnRe += ringRe[r] * ringRe[q] + ringIm[r] * ringIm[q];
            turnIm += ringIm[r] * ringRe[q] - ringRe[r] * ringIm[q];
        }
        double omega = Math.atan2(turnIm, turnRe) / lag;
        double centreOfWindow = first + (GAIN_WINDOW - 1) / 2.0;
        // The line's gain at the window's centre: mean = g (A+B)/2.
        double gRe = 2 * (meanRe * sRe + meanIm * sIm) / sMag;
        double gIm = 2 * (meanIm * sRe - meanRe * sIm) / sMag;
        double gMag = gRe * gRe + gIm * gIm;
        double invRe = gRe / gMag;
        double invIm = -gIm / gMag;
        double error = 0;
        for (int i = 0; i < MATCH; i++) {
            int m = k - MATCH + 1 + i;
            int r = m % RING;
            double a = -omega * (m - centreOfWindow);
            double cRe = invRe * Math.cos(a) - invIm * Math.sin(a);
            double cIm = invRe * Math.sin(a) + invIm * Math.cos(a);
            double zRe = ringRe[r] * cRe - ringIm[r] * cIm;
            double zIm = ringRe[r] * cIm + ringIm[r] * cRe;
            double tRe = SEGMENT_3[i] == 0 ? V29Signal.C_RE : dRe;
            double tIm = SEGMENT_3[i] == 0 ? V29Signal.C_IM : dIm;
            error += (zRe - tRe) * (zRe - tRe) + (zIm - tIm) * (zIm - tIm);
        }
        if (error / MATCH > MATCH_LIMIT) {
            return;
        }
        // The next equaliser output stands for symbol k + 1 - delay: undo the line's gain and phase there.
        double a = -omega * (k + 1 - equalizer.delayHalfSymbols() / 2 - centreOfWindow);
        equalizer.reset(invRe * Math.cos(a) - invIm * Math.sin(a), invRe * Math.sin(a) + invIm * Math.cos(a));
        carrierLoop.reset();
        carrierLoop.setFrequency(omega);
        carrierLoop.setGains(0.05, 0.0005);
        mu = MU_TRAINING / (EQUALIZER_TAPS * gMag * V29Signal.dataEnergy(bitRate));
        index = MATCH - equalizer.delayHalfSymbols() / 2;
        errorSum = 0;
        setDropLevel();
        timing.setGains(0.02, 0.0002);
        state = State.TRAINING;
    }

    /** One symbol through the equaliser: training on segment 3, deciding from segment 4 on. */
    private void equalise() {
        equalizer.output();
        carrierLoop.derotate(equalizer.re(), equalizer.im());
        double zRe = carrierLoop.re();
        double zIm = carrierLoop.im();
        if (!Double.isFinite(zRe) || !Double.isFinite(zIm)) {
            if (state == State.TRAINING) {
                fail();
            } else {
                sink.carrierDown(sample);
                state = State.FAILED;
            }
            return;
        }
        int n = index++;
        double tRe;
        double tIm;
        int point = -1;
        if (n < V29Signal.SEGMENT_3) {
            tRe = SEGMENT_3[n] == 0 ? V29Signal.C_RE : dRe;
            tIm = SEGMENT_3[n] == 0 ? V29Signal.C_IM : dIm;
        } else {
            point = nearest(zRe, zIm);
            tRe = V29Signal.POINT_RE[point];
            tIm = V29Signal.POINT_IM[point];
        }
        double eRe = tRe - zRe;
        double eIm = tIm - zIm;
        carrierLoop.update(tRe, tIm);
        equalizer.adapt(carrierLoop.forwardRe(eRe, eIm), carrierLoop.forwardIm(eRe, eIm), mu);
        if (point < 0) {
            return;
        }
        int segment4 = n - V29Signal.SEGMENT_3;
        if (segment4 == 0) {
            // The transmitter's phase starts from zero at segment 4.
            lastPhase = 0;
        }
        if (segment4 < V29Signal.SEGMENT_4) {
            errorSum += eRe * eRe + eIm * eIm;
            decode(point, false);
            if (segment4 == V29Signal.SEGMENT_4 - 1) {
                if (errorSum / V29Signal.SEGMENT_4 < TRAINED_LIMIT && equalizer.finite()) {
                    state = State.DATA;
                    mu = mu * MU_DATA / MU_TRAINING;
                    timing.setGains(0.005, 0.00002);
                    carrierLoop.setGains(0.02, 0.0001);
                    sink.carrierUp(sample);
                } else {
                    fail();
                }
            }
            return;
        }
        decode(point, true);
    }

    private int nearest(double re, double im) {
        int best = 0;
        double bestDistance = Double.MAX_VALUE;
        for (int p = 0; p < points; p++) {
            double a = re - V29Signal.POINT_RE[p];
            double b = im - V29Signal.POINT_IM[p];
            double d = a * a + b * b;
            if (d < bestDistance) {
                bestDistance = d;
                best = p;
            }
        }
        return best;
    }

    /** The line bits of a decided point, descrambled, to the sink if {@code deliver}. */
    private void decode(int point, boolean deliver) {
        int phase = point & 7;
        int bits = V29Signal.PHASE_BITS[(phase - lastPhase) & 7];
        lastPhase = phase;
        if (bitRate == 9600) {
            out(point >> 3, deliver);
        }
        out(bits >> 2, deliver);
        out((bits >> 1) & 1, deliver);
        out(bits & 1, deliver);
    }

    private void out(int lineBit, boolean deliver) {
        int bit = descrambler.descramble(lineBit);
        if (deliver) {
            sink.bit(bit);
        }
    }
}
