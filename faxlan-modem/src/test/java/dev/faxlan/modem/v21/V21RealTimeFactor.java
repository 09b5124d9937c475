package dev.faxlan.modem.v21;

import dev.faxlan.modem.hdlc.HdlcReceiver;
import dev.faxlan.modem.hdlc.HdlcTransmitter;
import dev.faxlan.modem.testsupport.RealTimeFactor;
import dev.faxlan.modem.tone.CallTone;
import dev.faxlan.modem.tone.CallToneDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Prints the real-time factor (seconds of audio per second of CPU, one thread) of the V.21
 * transmitter with HDLC, the V.21 receiver with HDLC, and the call tone detector, on 20 ms blocks.
 * Best of five rounds of 600 s of audio each, after a warm-up. Not a test: run it by hand,
 * {@code java -cp target/classes:target/test-classes dev.faxlan.modem.v21.V21RealTimeFactor}.
 */
public final class V21RealTimeFactor {
    private static final int SECONDS = 600;

    private V21RealTimeFactor() {
    }

    public static void main(String[] args) {
        short[] audio = transmit(SECONDS);
        for (int warm = 0; warm < 3; warm++) {
            transmit(60);
            receive(audio);
            tones(audio);
        }
        double tx = RealTimeFactor.best(() -> transmit(SECONDS));
        double rx = RealTimeFactor.best(() -> receive(audio));
        double tones = RealTimeFactor.best(() -> tones(audio));
        RealTimeFactor.print(SECONDS, new String[] {"V.21 transmitter + HDLC", "V.21 receiver + HDLC", "CNG/CED detector"},
                tx, rx, tones);
    }

    /** {@code seconds} of back-to-back T.30-sized frames. */
    private static short[] transmit(int seconds) {
        Random random = new Random(1);
        List<byte[]> frames = new ArrayList<>();
        // About 40 octets with flags take 1.1 s at 300 bit/s.
        for (int i = 0; i < seconds; i++) {
            byte[] f = new byte[38];
            random.nextBytes(f);
            frames.add(f);
        }
        return RealTimeFactor.transmit(new V21Transmitter(V21Channel.CHANNEL_2, HdlcTransmitter.forT30(frames)), seconds);
    }

    private static void receive(short[] audio) {
        int[] frames = new int[1];
        RealTimeFactor.receive(new V21Receiver(V21Channel.CHANNEL_2, new HdlcReceiver(f -> frames[0]++)), audio);
        if (frames[0] < SECONDS / 2) {
            throw new IllegalStateException("only " + frames[0] + " frames decoded");
        }
    }

    private static void tones(short[] audio) {
        CallToneDetector d = new CallToneDetector(new CallToneDetector.Listener() {
            @Override
            public void toneStarted(CallTone tone, long sample) {
            }

            @Override
            public void toneEnded(CallTone tone, long sample) {
            }
        });
        RealTimeFactor.receive(d::receive, audio);
    }
}
