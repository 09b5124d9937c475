package dev.faxlan.modem.v17;

import dev.faxlan.modem.BitSink;
import dev.faxlan.modem.testsupport.RealTimeFactor;
import java.util.Random;

/**
 * Prints the real-time factor (seconds of audio per second of CPU, one thread) of the V.17
 * transmitter and receiver at 14400 bit/s on 20 ms blocks: one long-trained carrier of random
 * data, best of five rounds of 600 s of audio each, after a warm-up. Not a test: run it by hand,
 * {@code java -cp target/classes:target/test-classes dev.faxlan.modem.v17.V17RealTimeFactor}.
 */
public final class V17RealTimeFactor {
    private static final int SECONDS = 600;
    private static final int RATE = 14400;

    private V17RealTimeFactor() {
    }

    public static void main(String[] args) {
        short[] audio = transmit(SECONDS);
        for (int warm = 0; warm < 3; warm++) {
            transmit(60);
            receive(audio);
        }
        double tx = RealTimeFactor.best(() -> transmit(SECONDS));
        double rx = RealTimeFactor.best(() -> receive(audio));
        RealTimeFactor.print(SECONDS, new String[] {"V.17 14400 transmitter", "V.17 14400 receiver"}, tx, rx);
    }

    private static short[] transmit(int seconds) {
        Random random = new Random(1);
        return RealTimeFactor.transmit(new V17Transmitter(RATE, false, -14, () -> random.nextInt(2)), seconds);
    }

    private static void receive(short[] audio) {
        long[] bits = new long[1];
        RealTimeFactor.receive(new V17Receiver(RATE, false, new BitSink() {
            @Override
            public void bit(int bit) {
                bits[0]++;
            }
        }), audio);
        if (bits[0] < (long) RATE * (SECONDS - 2)) {
            throw new IllegalStateException("the receiver lost the carrier: " + bits[0] + " bits");
        }
    }
}
