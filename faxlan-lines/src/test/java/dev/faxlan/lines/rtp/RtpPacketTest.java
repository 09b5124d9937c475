package dev.faxlan.lines.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RtpPacketTest {
    private static final HexFormat HEX = HexFormat.of();

    /** RFC 3550 §5.1 layout, written out by hand: V=2, M=1, PT=8, seq 0x1234, ts 0xDEADBEEF, SSRC 0x01020304. */
    @Test
    void encodesTheFixedHeaderAsTheRfcLaysItOut() {
        byte[] d = new RtpPacket(RtpPacket.PCMA, true, 0x1234, 0xDEADBEEF, 0x01020304, new byte[] {(byte) 0xD5, 0x55}).encode();
        assertThat(HEX.formatHex(d)).isEqualTo("80881234deadbeef01020304d555");
    }

    @Test
    void readsPastCsrcsExtensionAndPadding() throws Exception {
        // CC=1, X=1, P=1: one CSRC, a one-word extension, payload ff ff, then 3 octets of padding
        byte[] d = HEX.parseHex("b1000001" + "00000002" + "00000003" + "0a0b0c0d" + "beef0001" + "11223344" + "ffff" + "000003");
        RtpPacket p = RtpPacket.decode(d);
        assertThat(p.payloadType()).isZero();
        assertThat(p.sequence()).isEqualTo(1);
        assertThat(p.timestamp()).isEqualTo(2);
        assertThat(p.ssrc()).isEqualTo(3);
        assertThat(p.payload()).containsExactly(0xFF, 0xFF);
    }

    @Test
    void refusesWhatIsNotRtpWithAReason() {
        assertThatThrownBy(() -> RtpPacket.decode(new byte[11])).isInstanceOf(RtpFormatException.class).hasMessageContaining("11 octets");
        assertThatThrownBy(() -> RtpPacket.decode(HEX.parseHex("400000000000000000000000"))).hasMessageContaining("version 1");
        assertThatThrownBy(() -> RtpPacket.decode(HEX.parseHex("8f0000000000000000000000"))).hasMessageContaining("15 CSRCs");
        assertThatThrownBy(() -> RtpPacket.decode(HEX.parseHex("900000000000000000000000" + "0000ffff"))).hasMessageContaining("extension");
        assertThatThrownBy(() -> RtpPacket.decode(HEX.parseHex("a00000000000000000000000" + "0005"))).hasMessageContaining("padding");
        assertThatThrownBy(() -> RtpPacket.decode(HEX.parseHex("a00000000000000000000000" + "0000"))).hasMessageContaining("padding");
    }

    @Test
    void tellsRtcpFromRtpOnASharedPort() {
        assertThat(RtpPacket.isRtcp(Rtcp.senderReport(1, 0, 0, 0, 0, null))).isTrue();
        assertThat(RtpPacket.isRtcp(new RtpPacket(0, true, 0, 0, 0, new byte[160]).encode())).isFalse();
        assertThat(RtpPacket.isRtcp(new byte[1])).isFalse();
    }

    @Test
    void aSenderReportCarriesItsCountsAndOneReportBlock() {
        byte[] sr = Rtcp.senderReport(0x11111111, 1_000, 160, 250, 40_000, new Rtcp.Reception(0x22222222, 70_000, 3));
        assertThat(sr).hasSize(52);
        assertThat(HEX.formatHex(sr, 0, 8)).isEqualTo("81c8000c11111111");
        assertThat(RtpPacket.readInt(sr, 8) & 0xFFFFFFFFL).isEqualTo(2_208_988_801L); // 1970 + 1 s in NTP seconds
        assertThat(RtpPacket.readInt(sr, 20)).isEqualTo(250);
        assertThat(RtpPacket.readInt(sr, 24)).isEqualTo(40_000);
        assertThat(RtpPacket.readInt(sr, 28)).isEqualTo(0x22222222);
        assertThat(RtpPacket.readInt(sr, 32)).isEqualTo(3);
        assertThat(RtpPacket.readInt(sr, 36)).isEqualTo(70_000);
        assertThat(Rtcp.senderReport(1, 0, 0, 0, 0, new Rtcp.Reception(0, 0, 0))).hasSize(28);
    }

    @Property
    void encodeThenDecodeGivesThePacketBack(@ForAll @IntRange(max = 127) int pt, @ForAll boolean marker, @ForAll @IntRange(max = 65535) int seq,
            @ForAll int ts, @ForAll int ssrc, @ForAll @Size(max = 400) byte[] payload) throws Exception {
        RtpPacket p = new RtpPacket(pt, marker, seq, ts, ssrc, payload);
        byte[] wire = p.encode();
        assertThat(wire).hasSize(RtpPacket.HEADER + payload.length);
        assertThat(RtpPacket.decode(wire)).isEqualTo(p);
    }

    /** Decoding never throws anything but {@link RtpFormatException}, and what it reads encodes to a packet that reads the same. */
    @Property
    void anyBytesDecodeOrFailTyped(@ForAll @Size(max = 300) byte[] datagram) throws Exception {
        try {
            RtpPacket p = RtpPacket.decode(datagram);
            assertThat(RtpPacket.decode(p.encode())).isEqualTo(p);
        } catch (RtpFormatException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
