package dev.faxlan.modem.v29;

import dev.faxlan.modem.BitSource;
import dev.faxlan.modem.Levels;
import dev.faxlan.modem.ModemTransmitter;
import dev.faxlan.modem.dsp.PassbandModulator;
import dev.faxlan.modem.dsp.Scrambler;

/**
 * V.29 transmitter at 9600 or 7200 bit/s: the training sequence (48 symbols of silence, 128 of ABAB,
 * 384 of CDCD, 48 of scrambled ones: 253 ms), then the bit source's bits, scrambled by 1 + x^-18 +
 * x^-23, coded as phase changes (and, at 9600, amplitudes); when the source ends, 32 symbols of
 * scrambled ones and the pulse's ring-out, then {@link #fill} returns short. As spandsp does for fax,
 * the data scrambler and the phase start from zero at segment 4.
 */
public final class V29Transmitter implements ModemTransmitter {
    /** T.30's usual level. */
    public static final double DEFAULT_DBM0 = -14.0;

    private static final int[] SEGMENT_3 = V29Signal.segment3Pattern();

    private final int bitRate;
    private final BitSource bits;
    private final PassbandModulator modulator;
    private final Scrambler scrambler = new Scrambler(18, 23);
    private int symbol;
    private int phase;
    private boolean sourceEnded;
    private int closingLeft = V29Signal.CLOSING_ONES;
    private int ringOutLeft;
    private boolean done;

    public V29Transmitter(int bitRate, double levelDbm0, BitSource bits) {
        V29Signal.checkRate(bitRate);
        if (levelDbm0 > 0) {
            throw new IllegalArgumentException("level " + levelDbm0 + " dBm0 is above 0 dBm0: V.29's peaks would clip");
        }
        this.bitRate = bitRate;
        this.bits = bits;
        modulator = new PassbandModulator(V29Signal.BAUD, V29Signal.CARRIER_HZ, V29Signal.ROLLOFF, V29Signal.PULSE_SPAN);
        modulator.setLevel(Levels.meanSquare(levelDbm0), V29Signal.dataEnergy(bitRate));
        ringOutLeft = modulator.spanSymbols();
    }

    @Override
    public int fill(short[] samples, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (modulator.symbolDue()) {
                if (done || !nextSymbol()) {
                    done = true;
                    return i;
                }
            }
            long v = Math.round(modulator.nextSample());
            samples[off + i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
        }
        return len;
    }

    /** Puts the next symbol into the modulator; false once everything has been sent. */
    private boolean nextSymbol() {
        int n = symbol++;
        if (n < V29Signal.SEGMENT_1) {
            modulator.putSymbol(0, 0);
        } else if ((n -= V29Signal.SEGMENT_1) < V29Signal.SEGMENT_2) {
            if ((n & 1) == 0) {
                modulator.putSymbol(V29Signal.A_RE, V29Signal.A_IM);
            } else {
                modulator.putSymbol(V29Signal.bRe(bitRate), V29Signal.bIm(bitRate));
            }
        } else if ((n -= V29Signal.SEGMENT_2) < V29Signal.SEGMENT_3) {
            if (SEGMENT_3[n] == 0) {
                modulator.putSymbol(V29Signal.C_RE, V29Signal.C_IM);
            } else {
                modulator.putSymbol(V29Signal.dRe(bitRate), V29Signal.dIm(bitRate));
            }
        } else if ((n -= V29Signal.SEGMENT_3) < V29Signal.SEGMENT_4) {
            dataSymbol(true);
        } else if (!sourceEnded) {
            dataSymbol(false);
        } else if (closingLeft > 0) {
            closingLeft--;
            dataSymbol(true);
        } else if (ringOutLeft > 0) {
            ringOutLeft--;
            modulator.putSymbol(0, 0);
        } else {
            return false;
        }
        return true;
    }

    private void dataSymbol(boolean ones) {
        int amplitude = 0;
        if (bitRate == 9600) {
            amplitude = nextLineBit(ones) << 3;
        }
        int b = nextLineBit(ones) << 2;
        b |= nextLineBit(ones) << 1;
        b |= nextLineBit(ones);
        phase = (phase + V29Signal.PHASE_CHANGE[b]) & 7;
        int p = amplitude | phase;
        modulator.putSymbol(V29Signal.POINT_RE[p], V29Signal.POINT_IM[p]);
    }

    private int nextLineBit(boolean ones) {
        int bit = 1;
        if (!ones && !sourceEnded) {
            bit = bits.nextBit();
            if (bit == BitSource.END) {
                sourceEnded = true;
                bit = 1;
            }
        }
        return scrambler.scramble(bit);
    }
}
