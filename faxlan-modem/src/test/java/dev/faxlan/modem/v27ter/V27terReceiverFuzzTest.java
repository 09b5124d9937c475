package dev.faxlan.modem.v27ter;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.faxlan.modem.testsupport.ByteBits;
import dev.faxlan.modem.testsupport.Line;

/**
 * Fuzz target for what hears the line: any samples into the V.27ter receiver end in at most one
 * bit per bit time of a trained carrier, a carrier event per training's worth of samples, and
 * never an exception; its state is fixed in size, so memory cannot grow with the input.
 *
 * <p>Input layout: byte 0 picks the rate (bit 0: 4800, else 2400) and the block size samples arrive
 * in (1 to 128); the rest is 16-bit little-endian samples. Seeds under {@code
 * V27terReceiverFuzzTestInputs/receive} include a whole 4800 bit/s carrier with a few data bytes.
 */
class V27terReceiverFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void receive(byte[] input) {
        if (input.length < 1) {
            return;
        }
        int rate = (input[0] & 1) == 1 ? 4800 : 2400;
        int block = 1 + ((input[0] & 0xFF) >> 1);
        short[] samples = Line.fromLittleEndian(input, 1);
        ByteBits.Collector got = new ByteBits.Collector();
        Line.feed(new V27terReceiver(rate, got), samples, block);
        assertThat(got.events).doesNotContain("bit without carrier");
        // 3 bits per 5 samples at 4800, 2 per 20/3 at 2400.
        assertThat(got.bits()).isLessThanOrEqualTo(samples.length * 3L / 5 + 3);
        // A training is over 1100 symbols, more than 5000 samples; a failed one takes at least the 10
        // symbols of timing acquisition and 24 reversals, 170 samples.
        assertThat(got.events.stream().filter(e -> e.equals("up")).count())
                .isLessThanOrEqualTo(samples.length / 5000 + 1);
        assertThat(got.events.stream().filter(e -> e.equals("failed")).count())
                .isLessThanOrEqualTo(samples.length / 170 + 1);
    }
}
