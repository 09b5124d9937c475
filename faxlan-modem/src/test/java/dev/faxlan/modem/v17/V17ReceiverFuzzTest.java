package dev.faxlan.modem.v17;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.faxlan.modem.BitSink;
import dev.faxlan.modem.testsupport.Line;

/**
 * Fuzz target for what hears the line: any samples into the V.17 receiver give at most as many
 * bits as the samples could carry and carrier events in a sane order, never an exception. The
 * receiver's state is fixed in size (arrays made once), so memory cannot grow with the input.
 *
 * <p>Input layout: byte 0 picks the rate (low two bits), short training (bit 2) and the block size
 * samples arrive in (the rest, 1 to 64); then 16-bit little-endian samples. Seeds under
 * {@code V17ReceiverFuzzTestInputs/receive} include the start of a real long-trained carrier.
 */
class V17ReceiverFuzzTest {
    private static final int[] RATES = {7200, 9600, 12000, 14400};

    @FuzzTest(maxDuration = "30s")
    void receive(byte[] input) {
        if (input.length < 1) {
            return;
        }
        int rate = RATES[input[0] & 3];
        boolean shortTraining = (input[0] & 4) != 0;
        int block = 1 + ((input[0] & 0xFF) >> 3) * 2;
        short[] samples = Line.fromLittleEndian(input, 1);
        long[] bits = new long[1];
        boolean[] up = new boolean[1];
        V17Receiver rx = new V17Receiver(rate, shortTraining, new BitSink() {
            @Override
            public void bit(int bit) {
                assertThat(up[0]).as("bits only while the carrier is up").isTrue();
                assertThat(bit).isBetween(0, 1);
                bits[0]++;
            }

            @Override
            public void carrierUp(long sample) {
                assertThat(up[0]).isFalse();
                up[0] = true;
            }

            @Override
            public void carrierDown(long sample) {
                assertThat(up[0]).isTrue();
                up[0] = false;
            }
        });
        Line.feed(rx, samples, block);
        // 14400 bit/s is 1.8 bits a sample.
        assertThat(bits[0]).isLessThanOrEqualTo(samples.length * 2L);
    }
}
