package dev.faxlan.modem.v21;

import dev.faxlan.modem.hdlc.HdlcReceiver;
import dev.faxlan.modem.hdlc.HdlcTransmitter;
import dev.faxlan.modem.tone.CallToneDetector;
import dev.faxlan.modem.tone.CallTone;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Prints the real-time factor (seconds of audio per second of CPU, one thread) of the V.21
 * transmitter with HDLC, the V.21 receiver with HDLC, and the call tone detector, on 20 ms blocks.
 * Best of five rounds of 600 s of audio each, after a warm-up. Not a test: run it by hand,
 * {@code java -cp target/classes:target/test-classes dev.faxlan.modem.v21.V21RealTimeFactor}.
 */
public final class V21RealTimeFactor {
    private static final int BLOCK = 160;
    private static final int SECONDS = 600;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private V21RealTimeFactor() {
    }

    public static void main(String[] args) {
        short[] audio = transmit(SECONDS);
        for (int warm = 0; warm < 3; warm++) {
            transmit(60);
            receive(audio);
            tones(audio);
        }
        double tx = best(() -> transmit(SECONDS));
        double rx = best(() -> receive(audio));
        double tones = best(() -> tones(audio));
        System.out.printf(Locale.ROOT, "V.21 transmitter + HDLC: %.0fx real time (%.4f%% of a core per call)%n",
                SECONDS / tx, 100.0 * tx / SECONDS);
        System.out.printf(Locale.ROOT, "V.21 receiver + HDLC:    %.0fx real time (%.4f%% of a core per call)%n",
                SECONDS / rx, 100.0 * rx / SECONDS);
        System.out.printf(Locale.ROOT, "CNG/CED detector:        %.0fx real time (%.4f%% of a core per call)%n",
                SECONDS / tones, 100.0 * tones / SECONDS);
    }

    private static double best(Runnable r) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t0 = CPU.getCurrentThreadCpuTime();
            r.run();
            best = Math.min(best, (CPU.getCurrentThreadCpuTime() - t0) / 1e9);
        }
        return best;
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
        V21Transmitter tx = new V21Transmitter(V21Channel.CHANNEL_2, HdlcTransmitter.forT30(frames));
        short[] out = new short[seconds * 8000];
        for (int off = 0; off < out.length; off += BLOCK) {
            tx.fill(out, off, BLOCK);
        }
        return out;
    }

    private static void receive(short[] audio) {
        int[] frames = new int[1];
        V21Receiver rx = new V21Receiver(V21Channel.CHANNEL_2, new HdlcReceiver(f -> frames[0]++));
        for (int off = 0; off < audio.length; off += BLOCK) {
            rx.receive(audio, off, BLOCK);
        }
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
        for (int off = 0; off < audio.length; off += BLOCK) {
            d.receive(audio, off, BLOCK);
        }
    }
}
