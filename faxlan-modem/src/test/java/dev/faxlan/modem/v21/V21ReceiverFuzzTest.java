package dev.faxlan.modem.v21;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.faxlan.modem.hdlc.HdlcReceiver;
import dev.faxlan.modem.testsupport.Line;

/**
 * Fuzz target for what hears the line: any samples into the V.21 receiver and the HDLC deframer
 * behind it end in frames no longer than the limit and at most one event per bit, never an
 * exception; state is fixed in size, so memory cannot grow with the input.
 *
 * <p>Input layout: byte 0 picks the block size samples arrive in (1 to 256); the rest is 16-bit
 * little-endian samples. Seeds under {@code V21ReceiverFuzzTestInputs/receive} include a real
 * V.21 transmission of a DIS frame.
 */
class V21ReceiverFuzzTest {
    private static final int MAX_OCTETS = 64;

    @FuzzTest(maxDuration = "30s")
    void receive(byte[] input) {
        if (input.length < 1) {
            return;
        }
        int block = 1 + (input[0] & 0xFF);
        short[] samples = Line.fromLittleEndian(input, 1);
        int[] events = new int[1];
        HdlcReceiver hdlc = new HdlcReceiver(new HdlcReceiver.Listener() {
            @Override
            public void frame(byte[] frame) {
                assertThat(frame.length).isBetween(1, MAX_OCTETS);
                events[0]++;
            }

            @Override
            public void badFrame(int octets) {
                assertThat(octets).isNotNegative();
                events[0]++;
            }

            @Override
            public void aborted() {
                events[0]++;
            }
        }, MAX_OCTETS);
        Line.feed(new V21Receiver(V21Channel.CHANNEL_2, hdlc), samples, block);
        // A frame or an abort takes at least 8 bits; 26.7 samples per bit.
        assertThat(events[0]).isLessThanOrEqualTo(samples.length / 26 / 8 + 1);
    }
}
