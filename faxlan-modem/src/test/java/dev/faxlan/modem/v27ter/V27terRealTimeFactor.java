package dev.faxlan.modem.v27ter;

import dev.faxlan.modem.BitSink;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Random;

/**
 * Prints the real-time factor (seconds of audio per second of CPU, one thread) of the V.27ter
 * transmitter and receiver at 4800 and 2400 bit/s on 20 ms blocks: one carrier of 600 s of random
 * data each, best of five rounds after a warm-up. Not a test: run it by hand, {@code java -cp
 * target/classes:target/test-classes dev.faxlan.modem.v27ter.V27terRealTimeFactor}.
 */
public final class V27terRealTimeFactor {
    private static final int BLOCK = 160;
    private static final int SECONDS = 600;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private V27terRealTimeFactor() {
    }

    public static void main(String[] args) {
        for (int rate : new int[] {4800, 2400}) {
            short[] audio = transmit(rate);
            for (int warm = 0; warm < 3; warm++) {
                transmit(rate);
                receive(rate, audio);
            }
            double seconds = audio.length / 8000.0;
            double tx = best(() -> transmit(rate));
            double rx = best(() -> receive(rate, audio));
            System.out.printf(Locale.ROOT, "V.27ter %d transmitter: %.0fx real time (%.4f%% of a core per call)%n",
                    rate, seconds / tx, 100.0 * tx / seconds);
            System.out.printf(Locale.ROOT, "V.27ter %d receiver:    %.0fx real time (%.4f%% of a core per call)%n",
                    rate, seconds / rx, 100.0 * rx / seconds);
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

    private static short[] transmit(int rate) {
        Random random = new Random(1);
        long[] left = {(long) rate * SECONDS};
        V27terTransmitter tx = new V27terTransmitter(rate, -14, () -> left[0]-- > 0 ? random.nextInt(2) : -1);
        short[] out = new short[(SECONDS + 2) * 8000];
        int n = 0;
        int got;
        while (n + BLOCK <= out.length && (got = tx.fill(out, n, BLOCK)) > 0) {
            n += got;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static void receive(int rate, short[] audio) {
        long[] bits = new long[1];
        V27terReceiver rx = new V27terReceiver(rate, new BitSink() {
            @Override
            public void bit(int bit) {
                bits[0]++;
            }
        });
        for (int off = 0; off < audio.length; off += BLOCK) {
            rx.receive(audio, off, Math.min(BLOCK, audio.length - off));
        }
        if (bits[0] < (long) rate * SECONDS) {
            throw new IllegalStateException("only " + bits[0] + " bits decoded");
        }
    }
}
