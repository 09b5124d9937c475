package dev.faxlan.modem.v21;

import dev.faxlan.modem.BitSource;
import dev.faxlan.modem.Levels;
import dev.faxlan.modem.ModemTransmitter;

/**
 * V.21 FSK transmitter: each bit of its {@link BitSource} as 1/300 s of the mark or space tone,
 * phase-continuous across bit changes (so the spectrum stays narrow). 8000/300 samples per bit is
 * not whole: bit edges fall on the nearest sample, 26 or 27 samples apart, with no drift. When the
 * source ends, the carrier stops at the end of the last bit.
 */
public final class V21Transmitter implements ModemTransmitter {
    /** spandsp's and T.30's usual level. */
    public static final double DEFAULT_DBM0 = -14.0;

    private final V21Channel channel;
    private final BitSource source;
    private final float peak;
    private int phase;
    /** Position in the present bit, in units of 1/8000 bit: a new bit starts when it reaches 8000. */
    private int bitClock = Oscillator.RATE;
    private int hz;
    private boolean ended;

    public V21Transmitter(V21Channel channel, BitSource source, double dbm0) {
        this.channel = channel;
        this.source = source;
        this.peak = (float) Levels.sinePeak(dbm0);
        if (peak > Short.MAX_VALUE) {
            throw new IllegalArgumentException("level " + dbm0 + " dBm0 is above full scale ("
                    + Levels.FULL_SCALE_SINE_DBM0 + " dBm0 for a sine)");
        }
    }

    public V21Transmitter(V21Channel channel, BitSource source) {
        this(channel, source, DEFAULT_DBM0);
    }

    @Override
    public int fill(short[] samples, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (bitClock >= Oscillator.RATE) {
                if (ended) {
                    return i;
                }
                int bit = source.nextBit();
                if (bit == BitSource.END) {
                    ended = true;
                    return i;
                }
                hz = bit != 0 ? channel.markHz() : channel.spaceHz();
                bitClock -= Oscillator.RATE;
            }
            samples[off + i] = (short) Math.round(peak * Oscillator.sin(phase));
            phase = Oscillator.advance(phase, hz);
            bitClock += V21Channel.BIT_RATE;
        }
        return len;
    }

    /** Whether the bit source has ended and the last bit has gone out. */
    public boolean ended() {
        return ended;
    }
}
