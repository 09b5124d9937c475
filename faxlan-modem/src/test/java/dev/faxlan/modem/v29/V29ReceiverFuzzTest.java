package dev.faxlan.modem.v29;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.faxlan.modem.BitSink;
import dev.faxlan.modem.testsupport.Line;

/**
 * Fuzz target for what hears the line: any samples into the V.29 receiver give well-ordered events
 * (a carrierUp or trainingFailed, then a carrierDown), no bits outside a trained carrier and at most 4
 * bits per symbol, never an exception; state is fixed in size, so memory cannot grow with the input.
 *
 * <p>Input layout: byte 0 picks the block size samples arrive in (1 to 128) and, by its top bit, the
 * rate (9600 or 7200); the rest is 16-bit little-endian samples. Seeds under
 * {@code V29ReceiverFuzzTestInputs/receive} include the start of a real 9600 bit/s carrier.
 */
class V29ReceiverFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void receive(byte[] input) {
        if (input.length < 1) {
            return;
        }
        int block = 1 + (input[0] & 0x7F);
        int rate = (input[0] & 0x80) != 0 ? 7200 : 9600;
        short[] samples = Line.fromLittleEndian(input, 1);
        long[] bits = new long[1];
        int[] phase = new int[1];   // 0 idle, 1 up, 2 failed
        BitSink sink = new BitSink() {
            @Override
            public void bit(int bit) {
                assertThat(phase[0]).as("bit outside a trained carrier").isEqualTo(1);
                assertThat(bit).isBetween(0, 1);
                bits[0]++;
            }

            @Override
            public void carrierUp(long sample) {
                assertThat(phase[0]).isZero();
                phase[0] = 1;
            }

            @Override
            public void trainingFailed(long sample) {
                assertThat(phase[0]).isZero();
                phase[0] = 2;
            }

            @Override
            public void carrierDown(long sample) {
                assertThat(phase[0]).isNotZero();
                phase[0] = 0;
            }
        };
        Line.feed(new V29Receiver(rate, sink), samples, block);
        // 2400 symbols of at most 4 bits per 8000 samples.
        assertThat(bits[0]).isLessThanOrEqualTo(samples.length * 12L / 10 + 4);
    }
}
