package dev.faxlan.modem.v17;

import dev.faxlan.modem.BitSink;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Random;

/**
 * Prints the real-time factor (seconds of audio per second of CPU, one thread) of the V.17
 * transmitter and receiver at 14400 bit/s on 20 ms blocks: one long-trained carrier of random
 * data, best of five rounds of 600 s of audio each, after a warm-up. Not a test: run it by hand,
 * {@code java -cp target/classes:target/test-classes dev.faxlan.modem.v17.V17RealTimeFactor}.
 */
public final class V17RealTimeFactor {
    private static final int BLOCK = 160;
    private static final int SECONDS = 600;
    private static final int RATE = 14400;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private V17RealTimeFactor() {
    }

    public static void main(String[] args) {
        short[] audio = transmit(SECONDS);
        for (int warm = 0; warm < 3; warm++) {
            transmit(60);
            receive(audio);
        }
        double tx = best(() -> transmit(SECONDS));
        double rx = best(() -> receive(audio));
        System.out.printf(Locale.ROOT, "V.17 14400 transmitter: %.0fx real time (%.4f%% of a core per call)%n",
                SECONDS / tx, 100.0 * tx / SECONDS);
        System.out.printf(Locale.ROOT, "V.17 14400 receiver:    %.0fx real time (%.4f%% of a core per call)%n",
                SECONDS / rx, 100.0 * rx / SECONDS);
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

    private static short[] transmit(int seconds) {
        Random random = new Random(1);
        V17Transmitter tx = new V17Transmitter(RATE, false, -14, () -> random.nextInt(2));
        short[] out = new short[seconds * 8000];
        for (int off = 0; off < out.length; off += BLOCK) {
            tx.fill(out, off, BLOCK);
        }
        return out;
    }

    private static void receive(short[] audio) {
        long[] bits = new long[1];
        V17Receiver rx = new V17Receiver(RATE, false, new BitSink() {
            @Override
            public void bit(int bit) {
                bits[0]++;
            }
        });
        for (int off = 0; off < audio.length; off += BLOCK) {
            rx.receive(audio, off, BLOCK);
        }
        if (bits[0] < (long) RATE * (SECONDS - 2)) {
            throw new IllegalStateException("the receiver lost the carrier: " + bits[0] + " bits");
        }
    }
}
