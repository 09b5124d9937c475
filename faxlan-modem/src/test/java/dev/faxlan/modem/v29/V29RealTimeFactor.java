package dev.faxlan.modem.v29;

import dev.faxlan.modem.BitSink;
import dev.faxlan.modem.testsupport.RealTimeFactor;
import java.util.Random;

/**
 * Prints the real-time factor (seconds of audio per second of CPU, one thread) of the V.29 transmitter
 * and receiver at 9600 and 7200 bit/s, on 20 ms blocks: best of five rounds of a 600 s carrier of
 * random data each, after a warm-up. Not a test: run it by hand,
 * {@code java -cp target/classes:target/test-classes dev.faxlan.modem.v29.V29RealTimeFactor}.
 */
public final class V29RealTimeFactor {
    private static final int SECONDS = 600;

    private V29RealTimeFactor() {
    }

    public static void main(String[] args) {
        for (int rate : new int[] {9600, 7200}) {
            short[] audio = transmit(rate, SECONDS);
            for (int warm = 0; warm < 3; warm++) {
                transmit(rate, 60);
                receive(rate, audio);
            }
            double tx = RealTimeFactor.best(() -> transmit(rate, SECONDS));
            double rx = RealTimeFactor.best(() -> receive(rate, audio));
            RealTimeFactor.print(SECONDS, new String[] {"V.29 " + rate + " transmitter", "V.29 " + rate + " receiver"},
                    tx, rx);
        }
    }

    private static short[] transmit(int rate, int seconds) {
        Random random = new Random(1);
        return RealTimeFactor.transmit(new V29Transmitter(rate, -14, () -> random.nextInt(2)), seconds);
    }

    private static void receive(int rate, short[] audio) {
        long[] bits = new long[1];
        boolean[] up = new boolean[1];
        RealTimeFactor.receive(new V29Receiver(rate, new BitSink() {
            @Override
            public void bit(int bit) {
                bits[0]++;
            }

            @Override
            public void carrierUp(long sample) {
                up[0] = true;
            }
        }), audio);
        if (!up[0] || bits[0] < (long) rate * (audio.length / 8000 - 1)) {
            throw new IllegalStateException("the receiver did not keep up with the carrier: " + bits[0] + " bits");
        }
    }
}
