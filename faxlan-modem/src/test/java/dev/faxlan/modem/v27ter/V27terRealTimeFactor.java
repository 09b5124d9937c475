package dev.faxlan.modem.v27ter;

import dev.faxlan.modem.BitSink;
import dev.faxlan.modem.testsupport.RealTimeFactor;
import java.util.Random;

/**
 * Prints the real-time factor (seconds of audio per second of CPU, one thread) of the V.27ter
 * transmitter and receiver at 4800 and 2400 bit/s on 20 ms blocks: one carrier of 600 s of random
 * data each, best of five rounds after a warm-up. Not a test: run it by hand, {@code java -cp
 * target/classes:target/test-classes dev.faxlan.modem.v27ter.V27terRealTimeFactor}.
 */
public final class V27terRealTimeFactor {
    private static final int SECONDS = 600;

    private V27terRealTimeFactor() {
    }

    public static void main(String[] args) {
        for (int rate : new int[] {4800, 2400}) {
            short[] audio = transmit(rate);
            for (int warm = 0; warm < 3; warm++) {
                transmit(rate);
                receive(rate, audio);
            }
            double tx = RealTimeFactor.best(() -> transmit(rate));
            double rx = RealTimeFactor.best(() -> receive(rate, audio));
            RealTimeFactor.print(audio.length / 8000.0,
                    new String[] {"V.27ter " + rate + " transmitter", "V.27ter " + rate + " receiver"}, tx, rx);
        }
    }

    /** {@code SECONDS} of random data, training and closing included (the array holds 2 s more). */
    private static short[] transmit(int rate) {
        Random random = new Random(1);
        long[] left = {(long) rate * SECONDS};
        V27terTransmitter tx = new V27terTransmitter(rate, -14, () -> left[0]-- > 0 ? random.nextInt(2) : -1);
        return RealTimeFactor.transmit(tx, SECONDS + 2);
    }

    private static void receive(int rate, short[] audio) {
        long[] bits = new long[1];
        RealTimeFactor.receive(new V27terReceiver(rate, new BitSink() {
            @Override
            public void bit(int bit) {
                bits[0]++;
            }
        }), audio);
        if (bits[0] < (long) rate * SECONDS) {
            throw new IllegalStateException("only " + bits[0] + " bits decoded");
        }
    }
}
