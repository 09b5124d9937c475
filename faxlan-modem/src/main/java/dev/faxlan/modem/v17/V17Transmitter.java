package dev.faxlan.modem.v17;

import dev.faxlan.modem.BitSource;
import dev.faxlan.modem.Levels;
import dev.faxlan.modem.ModemTransmitter;
import dev.faxlan.modem.dsp.PassbandModulator;
import dev.faxlan.modem.dsp.Scrambler;

/**
 * V.17 transmitter: 2400 baud on an 1800 Hz carrier, trellis-coded QAM at 7200, 9600, 12000 or
 * 14400 bit/s. Each carrier starts with the recommendation's training, as spandsp sends it for
 * fax: long (256 symbols ABAB, 2976 scrambled CDBA, a 64-symbol bridge, 48 symbols of scrambled
 * ones; 1.39 s) or short (256 ABAB, 38 CDBA, 48 ones; 142.5 ms). Then the bit source's bits,
 * scrambled, and once it returns {@link BitSource#END}, 32 symbols of ones and 48 of silence, after
 * which {@link #fill} writes no more. Pulses are root raised cosine, roll-off 0.25.
 */
public final class V17Transmitter implements ModemTransmitter {
    static final int SEGMENT_1 = 256;
    static final int SEGMENT_2_LONG = 2976;
    static final int SEGMENT_2_SHORT = 38;
    static final int BRIDGE = 64;
    static final int ONES = 48;
    private static final int SHUTDOWN_ONES = 32;
    private static final int SHUTDOWN_SILENCE = 48;
    /** The 16-bit word the bridge scrambles, two bits a symbol. */
    static final int BRIDGE_WORD = 0x8880;
    /** CDBA segment: scrambled dibit to training point (0 A, 1 B, 2 C, 3 D). */
    static final int[] DIBIT_TO_CDBA = {2, 3, 1, 0};
    /** Bridge: scrambled dibit to the number of quarter turns from the previous training point. */
    static final int[] DIBIT_TO_TURNS = {1, 0, 2, 3};

    private static final int PULSE_SPAN = 16;
    private static final double ROLL_OFF = 0.25;

    private enum Stage { SEGMENT_1, SEGMENT_2, BRIDGE, DATA, SHUTDOWN_ONES, SILENCE, DONE }

    private final V17Constellation constellation;
    private final boolean shortTraining;
    private final BitSource bits;
    private final PassbandModulator modulator = new PassbandModulator(2400, 1800, ROLL_OFF, PULSE_SPAN);
    private final Scrambler scrambler = V17Receiver.scrambler();
    private final V17Trellis.Encoder encoder = new V17Trellis.Encoder();
    private Stage stage = Stage.SEGMENT_1;
    private int count;
    private int trainingPoint;
    private boolean sourceEnded;

    /**
     * @param bitRate 7200, 9600, 12000 or 14400
     * @param shortTraining the short training (T.30 pages after a long-trained TCF) instead of the long one
     * @param levelDbm0 transmit level (fax modems send at -14 dBm0 by default)
     */
    public V17Transmitter(int bitRate, boolean shortTraining, double levelDbm0, BitSource bits) {
        this.constellation = V17Constellation.forRate(bitRate);
        this.shortTraining = shortTraining;
        this.bits = bits;
        modulator.setLevel(Levels.meanSquare(levelDbm0), V17Constellation.REFERENCE_ENERGY);
        encoder.reset(shortTraining ? 0 : 1);
    }

    @Override
    public int fill(short[] samples, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (modulator.symbolDue() && !pushSymbol()) {
                return i;
            }
            long v = Math.round(modulator.nextSample());
            samples[off + i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
        }
        return len;
    }

    /** Puts the next symbol into the pulse shaper; false once the closing silence is out. */
    private boolean pushSymbol() {
        double re;
        double im;
        switch (stage) {
            case SEGMENT_1 -> {
                // A first, then B, A, B...
                trainingPoint = count & 1;
                if (++count == SEGMENT_1) {
                    next(Stage.SEGMENT_2);
                }
            }
            case SEGMENT_2 -> {
                trainingPoint = DIBIT_TO_CDBA[scrambledDibit(1, 1)];
                if (++count == (shortTraining ? SEGMENT_2_SHORT : SEGMENT_2_LONG)) {
                    next(shortTraining ? Stage.DATA : Stage.BRIDGE);
                }
            }
            case BRIDGE -> {
                int shift = (count & 7) << 1;
                int dibit = scrambledDibit(BRIDGE_WORD >> shift, BRIDGE_WORD >> (shift + 1));
                trainingPoint = (trainingPoint + DIBIT_TO_TURNS[dibit]) & 3;
                if (++count == BRIDGE) {
                    next(Stage.DATA);
                }
            }
            case DATA, SHUTDOWN_ONES -> {
                int index = encoder.encode(dataBits());
                push(constellation.re[index], constellation.im[index]);
                return true;
            }
            case SILENCE -> {
                if (++count > SHUTDOWN_SILENCE) {
                    stage = Stage.DONE;
                    return false;
                }
                push(0, 0);
                return true;
            }
            default -> {
                return false;
            }
        }
        re = V17Constellation.ABCD[2 * trainingPoint];
        im = V17Constellation.ABCD[2 * trainingPoint + 1];
        push(re, im);
        return true;
    }

    /** One symbol's scrambled data bits, first in bit 0: the 48 training ones, then the source's, then ones. */
    private int dataBits() {
        int word = 0;
        for (int i = 0; i < constellation.bitsPerSymbol; i++) {
            int bit = 1;
            if (stage == Stage.DATA && count >= ONES && !sourceEnded) {
                bit = bits.nextBit();
                if (bit == BitSource.END) {
                    sourceEnded = true;
                    bit = 1;
                }
            }
            word |= scrambler.scramble(bit) << i;
        }
        if (stage == Stage.DATA) {
            if (count < ONES) {
                count++;
            } else if (sourceEnded) {
                // The symbol the source ended in counts as the first of the closing ones.
                stage = Stage.SHUTDOWN_ONES;
                count = 1;
            }
        } else if (++count == SHUTDOWN_ONES) {
            next(Stage.SILENCE);
        }
        return word;
    }

    private int scrambledDibit(int first, int second) {
        int b0 = scrambler.scramble(first);
        int b1 = scrambler.scramble(second);
        return (b0 << 1) | b1;
    }

    private void next(Stage s) {
        stage = s;
        count = 0;
    }

    private void push(double re, double im) {
        modulator.putSymbol(re, im);
    }
}
