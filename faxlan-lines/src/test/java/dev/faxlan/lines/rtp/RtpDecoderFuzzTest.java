package dev.faxlan.lines.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for what a call's media port hears: any datagram is RTCP, an RTP packet, or an
 * {@link RtpFormatException}; a decoded packet encodes to one that decodes the same, and the jitter
 * buffer takes any timestamp and payload and still plays exactly what is asked of it. The datagram
 * is read as a run of packets (two length octets before each) so that one input reaches the
 * buffer's ordering, duplicate and restart paths. Seeds under {@code RtpDecoderFuzzTestInputs/decode}.
 */
class RtpDecoderFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void decode(byte[] input) {
        JitterBuffer buffer = new JitterBuffer(800, (byte) 0xFF);
        byte[] out = new byte[160];
        int at = 0;
        while (at + 2 <= input.length) {
            int len = Math.min(((input[at] & 0xFF) << 8 | (input[at + 1] & 0xFF)) % 1500, input.length - at - 2);
            byte[] d = java.util.Arrays.copyOfRange(input, at + 2, at + 2 + len);
            at += 2 + len;
            if (RtpPacket.isRtcp(d)) continue;
            try {
                RtpPacket p = RtpPacket.decode(d);
                assertThat(RtpPacket.decode(p.encode())).isEqualTo(p);
                byte[] payload = p.payload();
                assertThat(buffer.put(p.timestamp(), payload, 0, payload.length)).isNotNull();
            } catch (RtpFormatException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
            buffer.take(out, 0, out.length);
        }
    }
}
