package dev.faxlan.modem.v27ter;

import dev.faxlan.modem.BitSource;
import dev.faxlan.modem.Levels;
import dev.faxlan.modem.ModemTransmitter;

/**
 * V.27ter transmitter: differential PSK on an 1800 Hz carrier, 8 phases at 1600 baud (4800 bit/s)
 * or 4 phases at 1200 baud (2400 bit/s), root-raised-cosine pulses (roll-off 0.5). Each carrier
 * starts with the long training fax uses (silence, reversals, scrambled reversals, scrambled
 * ones), then sends the source's bits through the scrambler; when the source ends it sends
 * scrambled ones for {@value V27ter#CLOSING_SYMBOLS} symbols, lets its filter ring out, and stops.
 * One transmitter sends one carrier.
 */
public final class V27terTransmitter implements ModemTransmitter {
    /** Symbols the pulse spans: its tails beyond are under -40 dB. */
    private static final int SPAN = 10;
    private static final double[] COS = new double[V27ter.CARRIER_PERIOD];
    private static final double[] SIN = new double[V27ter.CARRIER_PERIOD];
    private static final double[] POINT_RE = new double[8];
    private static final double[] POINT_IM = new double[8];

    static {
        for (int i = 0; i < V27ter.CARRIER_PERIOD; i++) {
            double w = 2 * Math.PI * V27ter.CARRIER_HZ * i / V27ter.SAMPLE_RATE;
            COS[i] = Math.cos(w);
            SIN[i] = Math.sin(w);
        }
        // The eight points on a circle of radius sqrt(2), as spandsp places them.
        for (int i = 0; i < 8; i++) {
            POINT_RE[i] = Math.sqrt(2) * Math.cos(i * Math.PI / 4);
            POINT_IM[i] = Math.sqrt(2) * Math.sin(i * Math.PI / 4);
        }
    }

    private enum Segment { SILENCE, REVERSALS, SCRAMBLED, ONES, DATA, CLOSING, RING_OUT, DONE }

    private final int bitRate;
    private final BitSource bits;
    private final V27terScrambler scrambler = new V27terScrambler();
    /** Symbol clock: samples per symbol is {@code clockDen / clockStep} (5/1 or 20/3). */
    private final int clockStep;
    private final int clockDen;
    /** pulse[phase][k]: the pulse's value at the present sample for the symbol k symbols back. */
    private final double[][] pulse;
    private final double gain;
    private final double[] symRe = new double[SPAN];
    private final double[] symIm = new double[SPAN];
    private int newest;
    private int clock;
    private int carrierIndex;
    private Segment segment = Segment.SILENCE;
    private int segmentSymbols;
    private int state;
    private boolean sourceEnded;

    /**
     * @param bitRate 2400 or 4800
     * @param levelDbm0 the mean power of the carrier, e.g. -14
     * @param bits the data, least significant bit of each byte first as T.4 and HDLC send them
     */
    public V27terTransmitter(int bitRate, double levelDbm0, BitSource bits) {
        V27ter.checkRate(bitRate);
        this.bitRate = bitRate;
        this.bits = bits;
        this.clockStep = bitRate == 4800 ? 1 : 3;
        this.clockDen = bitRate == 4800 ? 5 : 20;
        this.pulse = new double[clockDen][SPAN];
        double energy = 0;
        for (int p = 0; p < clockDen; p++) {
            for (int k = 0; k < SPAN; k++) {
                // The sample lies p/clockDen of a symbol after the newest symbol's start.
                double t = k + (double) p / clockDen - SPAN / 2.0;
                pulse[p][k] = V27ter.rootRaisedCosine(t);
                energy += pulse[p][k] * pulse[p][k];
            }
        }
        // Random points of power 2: the mean square of the real passband signal is the sum of the
        // pulse's squares over one symbol, per sample.
        double meanSquarePerUnitGain = energy / clockDen;
        this.gain = Math.sqrt(Levels.meanSquare(levelDbm0) / meanSquarePerUnitGain);
    }

    @Override
    public int fill(short[] samples, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (segment == Segment.DONE) {
                return i;
            }
            clock += clockStep;
            if (clock >= clockDen) {
                clock -= clockDen;
                nextSymbol();
                if (segment == Segment.DONE) {
                    return i;
                }
            }
            double re = 0;
            double im = 0;
            double[] h = pulse[clock];
            int s = newest;
            for (int k = 0; k < SPAN; k++) {
                re += symRe[s] * h[k];
                im += symIm[s] * h[k];
                s = s == 0 ? SPAN - 1 : s - 1;
            }
            double v = gain * (re * COS[carrierIndex] - im * SIN[carrierIndex]);
            if (++carrierIndex == V27ter.CARRIER_PERIOD) {
                carrierIndex = 0;
            }
            samples[off + i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
        }
        return len;
    }

    private void nextSymbol() {
        boolean silent = false;
        switch (segment) {
            case SILENCE -> {
                silent = true;
                advance(V27ter.SILENCE_SYMBOLS, Segment.REVERSALS);
            }
            case REVERSALS -> {
                state = (state + 4) & 7;
                advance(V27ter.REVERSAL_SYMBOLS, Segment.SCRAMBLED);
            }
            case SCRAMBLED -> {
                // One bit in three from the scrambler fed with ones picks 0 or 180 degrees.
                int b = scrambler.scramble(1);
                scrambler.scramble(1);
                scrambler.scramble(1);
                state = (state + 4 * b) & 7;
                advance(V27ter.SCRAMBLED_SYMBOLS, Segment.ONES);
            }
            case ONES -> {
                modulate(false);
                advance(V27ter.ONES_SYMBOLS, Segment.DATA);
            }
            case DATA -> {
                modulate(true);
                if (sourceEnded) {
                    segment = Segment.CLOSING;
                    segmentSymbols = 0;
                }
            }
            case CLOSING -> {
                modulate(false);
                advance(V27ter.CLOSING_SYMBOLS - 1, Segment.RING_OUT);
            }
            case RING_OUT -> {
                silent = true;
                advance(SPAN, Segment.DONE);
            }
            case DONE -> silent = true;
        }
        newest = newest == SPAN - 1 ? 0 : newest + 1;
        symRe[newest] = silent ? 0 : POINT_RE[state];
        symIm[newest] = silent ? 0 : POINT_IM[state];
    }

    private void advance(int length, Segment next) {
        if (++segmentSymbols >= length) {
            segment = next;
            segmentSymbols = 0;
        }
    }

    /** One data-rate symbol: bits from the source if {@code data}, else ones. */
    private void modulate(boolean data) {
        if (bitRate == 4800) {
            int tribit = (nextLineBit(data) << 2) | (nextLineBit(data) << 1) | nextLineBit(data);
            state = (state + V27ter.TRIBIT_TO_STEP[tribit]) & 7;
        } else {
            int dibit = (nextLineBit(data) << 1) | nextLineBit(data);
            state = (state + 2 * V27ter.DIBIT_TO_QUARTERS[dibit]) & 7;
        }
    }

    private int nextLineBit(boolean data) {
        int bit = 1;
        if (data && !sourceEnded) {
            int b = bits.nextBit();
            if (b == BitSource.END) {
                sourceEnded = true;
            } else {
                bit = b & 1;
            }
        }
        return scrambler.scramble(bit);
    }
}
