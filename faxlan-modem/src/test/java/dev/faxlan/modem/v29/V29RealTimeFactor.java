package dev.faxlan.modem.v29;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Random;

/**
 * Prints the real-time factor (seconds of audio per second of CPU, one thread) of the V.29 transmitter
 * and receiver at 9600 and 7200 bit/s, on 20 ms blocks: best of five rounds of a 600 s carrier of
 * random data each, after a warm-up. Not a test: run it by hand,
 * {@code java -cp target/classes:target/test-classes dev.faxlan.modem.v29.V29RealTimeFactor}.
 */
public final class V29RealTimeFactor {
    private static final int BLOCK = 160;
    private static final int SECONDS = 600;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private V29RealTimeFactor() {
    }

    public static void main(String[] args) {
        for (int rate : new int[] {9600, 7200}) {
            short[] audio = transmit(rate, SECONDS);
            for (int warm = 0; warm < 3; warm++) {
                transmit(rate, 60);
                receive(rate, audio);
            }
            double tx = best(() -> transmit(rate, SECONDS));
            double rx = best(() -> receive(rate, audio));
            System.out.printf(Locale.ROOT, "V.29 %d transmitter: %.0fx real time (%.4f%% of a core per call)%n",
                    rate, SECONDS / tx, 100.0 * tx / SECONDS);
            System.out.printf(Locale.ROOT, "V.29 %d receiver:    %.0fx real time (%.4f%% of a core per call)%n",
                    rate, SECONDS / rx, 100.0 * rx / SECONDS);
        }
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

    private static short[] transmit(int rate, int seconds) {
        Random random = new Random(1);
        V29Transmitter tx = new V29Transmitter(rate, -14, () -> random.nextInt(2));
        short[] out = new short[seconds * 8000];
        for (int off = 0; off < out.length; off += BLOCK) {
            tx.fill(out, off, BLOCK);
        }
        return out;
    }

    private static void receive(int rate, short[] audio) {
        long[] bits = new long[1];
        boolean[] up = new boolean[1];
        V29Receiver rx = new V29Receiver(rate, new dev.faxlan.modem.BitSink() {
            @Override
            public void bit(int bit) {
                bits[0]++;
            }

            @Override
            public void carrierUp(long sample) {
                up[0] = true;
            }
        });
        for (int off = 0; off < audio.length; off += BLOCK) {
            rx.receive(audio, off, BLOCK);
        }
        if (!up[0] || bits[0] < (long) rate * (audio.length / 8000 - 1)) {
            throw new IllegalStateException("the receiver did not keep up with the carrier: " + bits[0] + " bits");
        }
    }
}
