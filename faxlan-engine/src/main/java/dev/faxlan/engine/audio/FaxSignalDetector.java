package dev.faxlan.engine.audio;

import dev.faxlan.modem.BitSink;
import dev.faxlan.modem.tone.CallTone;
import dev.faxlan.modem.tone.CallToneDetector;
import dev.faxlan.modem.v21.V21Channel;
import dev.faxlan.modem.v21.V21Receiver;

/**
 * Tells, from a call's received audio, that a fax machine is on the other end: its CNG (a caller),
 * its CED or ANSam (an answerer), or V.21 HDLC flags (T.30's preamble, from either side). A call
 * answered with audio listens with this before it switches to T.38 or starts its own fax in audio,
 * as gateways do (spandsp's {@code MODEM_CONNECT_TONES_FAX_CED_OR_PREAMBLE}, notes §4).
 *
 * <p>Flags count as a preamble after {@value #PREAMBLE_FLAGS} back to back (8 bits apart): chance
 * makes a flag in noise every 256 bits or so, not five in a row. Each kind is reported once. Pure
 * and fixed in memory, like the detectors it joins: samples in, {@link Listener} calls out.
 */
public final class FaxSignalDetector {
    /** What was heard. */
    public enum Signal {
        /** The calling tone (1100 Hz): a fax machine is calling. */
        CNG,
        /** CED or ANSam (2100 Hz): a fax machine (or modem) has answered. */
        CED,
        /** V.21 channel 2 flags: T.30 has started talking. */
        V21_PREAMBLE
    }

    /** Told once per kind of signal, with the sample count at which it was recognised. */
    public interface Listener {
        void heard(Signal signal, long sample);
    }

    /** Back-to-back flags that make a V.21 burst a T.30 preamble (as spandsp's tone detector). */
    static final int PREAMBLE_FLAGS = 5;

    private final Listener listener;
    private final CallToneDetector tones;
    private final V21Receiver v21;
    private final boolean[] reported = new boolean[Signal.values().length];
    private long sample;
    private int lastBits;
    private int bitsSinceFlag = -1;
    private int flagsInARow;

    public FaxSignalDetector(Listener listener) {
        this.listener = listener;
        this.tones = new CallToneDetector(new CallToneDetector.Listener() {
            @Override
            public void toneStarted(CallTone tone, long at) {
                report(tone == CallTone.CNG ? Signal.CNG : Signal.CED, at);
            }

            @Override
            public void toneEnded(CallTone tone, long at) {
            }
        });
        this.v21 = new V21Receiver(V21Channel.CHANNEL_2, new BitSink() {
            @Override
            public void bit(int bit) {
                flagBit(bit);
            }

            @Override
            public void carrierDown(long at) {
                flagsInARow = 0;
                bitsSinceFlag = -1;
            }
        });
    }

    /** Hears {@code len} 8 kHz linear samples. */
    public void receive(short[] samples, int off, int len) {
        tones.receive(samples, off, len);
        v21.receive(samples, off, len);
        sample += len;
    }

    /** Whether {@code signal} has been heard. */
    public boolean heard(Signal signal) {
        return reported[signal.ordinal()];
    }

    private void flagBit(int bit) {
        lastBits = ((lastBits << 1) | bit) & 0xFF;
        if (bitsSinceFlag >= 0) bitsSinceFlag++;
        // 0x7E is symmetric: its bits read the same in either order.
        if (lastBits == 0x7E) {
            flagsInARow = bitsSinceFlag == 8 ? flagsInARow + 1 : 1;
            bitsSinceFlag = 0;
            if (flagsInARow >= PREAMBLE_FLAGS) report(Signal.V21_PREAMBLE, sample);
        } else if (bitsSinceFlag > 8) {
            flagsInARow = 0;
            bitsSinceFlag = -1;
        }
    }

    private void report(Signal s, long at) {
        if (reported[s.ordinal()]) return;
        reported[s.ordinal()] = true;
        listener.heard(s, at);
    }
}
