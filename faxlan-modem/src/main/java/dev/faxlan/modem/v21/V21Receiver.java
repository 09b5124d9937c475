package dev.faxlan.modem.v21;

import dev.faxlan.modem.BitSink;
import dev.faxlan.modem.ModemReceiver;
import dev.faxlan.modem.level.EnergyDetector;

/**
 * V.21 FSK receiver: non-coherent quadrature correlation, carrier detection with hysteresis, and a
 * bit clock recovered from the transitions.
 *
 * <ul>
 * <li>Two correlators, at the mark and the space frequency, each the sum over the last bit's worth
 * of samples (27) of the input times a complex oscillator. Whichever has more energy is the tone
 * now; the phase of either does not matter, so no carrier recovery is needed.
 * <li>The carrier is up once the power has been at least -43 dBm0 for 5 ms and down once it has been
 * under -48 dBm0 for 15 ms (spandsp's fax thresholds); bits flow to the sink only in between.
 * <li>A decision changes about half a bit after the tone does, when the window is half over the
 * edge; the bit is sampled half a bit after that, when the window covers just that bit. Each change
 * pulls the bit clock towards that spot: strongly for the first few, then by 1/8 (as spandsp), which
 * holds against noise and follows any clock offset a real line has.
 * </ul>
 *
 * <p>State is a fixed set of arrays and numbers; nothing grows with what arrives.
 */
public final class V21Receiver implements ModemReceiver {
    /** Samples in one correlation window, about one bit (26.7). */
    static final int WINDOW = 27;
    private static final int RATE = Oscillator.RATE;
    private static final int HALF_BIT = RATE / 2;

    private final V21Channel channel;
    private final BitSink sink;
    private final EnergyDetector carrier;
    private final float[] markI = new float[WINDOW];
    private final float[] markQ = new float[WINDOW];
    private final float[] spaceI = new float[WINDOW];
    private final float[] spaceQ = new float[WINDOW];
    private double markSumI;
    private double markSumQ;
    private double spaceSumI;
    private double spaceSumQ;
    private int markPhase;
    private int spacePhase;
    private int slot;
    private int decision = 1;
    /** Position in the present bit in units of 1/8000 bit; a bit is sampled when it reaches 8000. */
    private int bitClock;
    private int transitions;
    private long sample;
    private boolean carrierUp;

    public V21Receiver(V21Channel channel, BitSink sink) {
        this.channel = channel;
        this.sink = sink;
        this.carrier = new EnergyDetector(-43, -48, 40, 120, this::carrierChanged);
    }

    @Override
    public void receive(short[] samples, int off, int len) {
        for (int i = off; i < off + len; i++) {
            step(samples[i]);
        }
    }

    private void step(short s) {
        sample++;
        float x = s;
        float mi = x * Oscillator.cos(markPhase);
        float mq = x * Oscillator.sin(markPhase);
        float si = x * Oscillator.cos(spacePhase);
        float sq = x * Oscillator.sin(spacePhase);
        markPhase = Oscillator.advance(markPhase, channel.markHz());
        spacePhase = Oscillator.advance(spacePhase, channel.spaceHz());
        markSumI += mi - markI[slot];
        markSumQ += mq - markQ[slot];
        spaceSumI += si - spaceI[slot];
        spaceSumQ += sq - spaceQ[slot];
        markI[slot] = mi;
        markQ[slot] = mq;
        spaceI[slot] = si;
        spaceQ[slot] = sq;
        if (++slot == WINDOW) {
            slot = 0;
            // Start the sums afresh from the window once per window, so rounding cannot pile up.
            markSumI = sum(markI);
            markSumQ = sum(markQ);
            spaceSumI = sum(spaceI);
            spaceSumQ = sum(spaceQ);
        }
        carrier.update(s);

        double mark = markSumI * markSumI + markSumQ * markSumQ;
        double space = spaceSumI * spaceSumI + spaceSumQ * spaceSumQ;
        int d = mark >= space ? 1 : 0;
        if (d != decision) {
            decision = d;
            // The decision changed half a bit after the line did: the sample point is half a bit on.
            int error = HALF_BIT - bitClock;
            int gain = transitions < 4 ? 2 : 8;
            bitClock += error / gain;
            transitions++;
        }
        bitClock += V21Channel.BIT_RATE;
        if (bitClock >= RATE) {
            bitClock -= RATE;
            if (carrierUp) {
                sink.bit(decision);
            }
        }
    }

    private static double sum(float[] a) {
        double t = 0;
        for (float v : a) {
            t += v;
        }
        return t;
    }

    private void carrierChanged(boolean up, long at) {
        carrierUp = up;
        if (up) {
            transitions = 0;
            sink.carrierUp(sample);
        } else {
            sink.carrierDown(sample);
        }
    }

    /** Whether a carrier is being received now. */
    public boolean carrierUp() {
        return carrierUp;
    }
}
