package dev.faxlan.modem.v27ter;

import dev.faxlan.modem.BitSource;
import dev.faxlan.modem.Levels;
import dev.faxlan.modem.ModemTransmitter;
import dev.faxlan.modem.dsp.PassbandModulator;

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
    private static final double[] POINT_RE = new double[8];
    private static final double[] POINT_IM = new double[8];

    static {
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
    private final PassbandModulator modulator;
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
        this.modulator = new PassbandModulator(V27ter.baud(bitRate), V27ter.CARRIER_HZ, V27ter.ROLL_OFF, SPAN);
        modulator.setLevel(Levels.meanSquare(levelDbm0), 2.0);
    }

    @Override
    public int fill(short[] samples, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (modulator.symbolDue()) {
                nextSymbol();
            }
            if (segment == Segment.DONE) {
                return i;
            }
            double v = modulator.nextSample();
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
                advance(modulator.spanSymbols(), Segment.DONE);
            }
            case DONE -> silent = true;
        }
        modulator.putSymbol(silent ? 0 : POINT_RE[state], silent ? 0 : POINT_IM[state]);
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
