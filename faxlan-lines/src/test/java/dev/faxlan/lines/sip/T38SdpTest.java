package dev.faxlan.lines.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** SDP for T.38 as real gateways write it (field notes §4: Asterisk, FreeSWITCH, Cisco). */
class T38SdpTest {
    static final String FREESWITCH = """
            v=0\r
            o=FreeSWITCH 1 2 IN IP4 127.0.0.1\r
            s=FreeSWITCH\r
            c=IN IP4 127.0.0.1\r
            t=0 0\r
            m=image 16384 udptl t38\r
            a=T38FaxVersion:3\r
            a=T38MaxBitRate:14400\r
            a=T38FaxRateManagement:transferredTCF\r
            a=T38FaxMaxBuffer:2000\r
            a=T38FaxMaxDatagram:400\r
            a=T38FaxUdpEC:t38UDPRedundancy\r
            """;

    @Test
    void parsesAFreeSwitchOffer() {
        T38Sdp.Params p = T38Sdp.parse(FREESWITCH).orElseThrow();
        assertThat(p.port()).isEqualTo(16384);
        assertThat(p.version()).isEqualTo(3);
        assertThat(p.maxBitRate()).isEqualTo(14400);
        assertThat(p.transferredTcf()).isTrue();
        assertThat(p.maxDatagram()).isEqualTo(400);
        assertThat(p.ec()).isEqualTo(T38Sdp.Ec.REDUNDANCY);
        assertThat(p.booleans()).isEmpty();
    }

    @Test
    void ciscoValuedBooleansAndAsteriskAliasesAreUnderstood() {
        String cisco = "m=audio 4000 RTP/AVP 0\r\nm=image 17000 udptl t38\r\na=t38faxversion:0\r\na=T38FaxMaxRate:9600\r\n"
                + "a=T38FaxFillBitRemoval:0\r\na=T38FaxTranscodingMMR:0\r\na=T38MaxDatagram:180\r\na=T38FaxUdpEC:t38UDPFEC\r\n";
        T38Sdp.Params p = T38Sdp.parse(cisco).orElseThrow();
        assertThat(p.port()).isEqualTo(17000);
        assertThat(p.version()).isZero();
        assertThat(p.maxBitRate()).isEqualTo(9600);
        assertThat(p.fillBitRemoval()).isFalse();
        assertThat(p.valuedBooleans()).isTrue();
        assertThat(p.maxDatagram()).isEqualTo(180);
        assertThat(p.ec()).isEqualTo(T38Sdp.Ec.FEC);
        assertThat(T38Sdp.peerMaxDatagram(p)).isEqualTo(180);

        String answer = T38Sdp.format(T38Sdp.answer(p, 5000));
        assertThat(answer).contains("m=image 5000 udptl t38").contains("a=T38FaxVersion:0").contains("a=T38MaxBitRate:9600")
                .contains("a=T38FaxFillBitRemoval:0").contains("a=T38FaxTranscodingMMR:0").doesNotContain("JBIG")
                .contains("a=T38FaxUdpEC:t38UDPRedundancy");
    }

    @Test
    void bareBooleansMeanTrueAndAnswerLeavesThemOut() {
        T38Sdp.Params p = T38Sdp.parse("m=image 1 udptl t38\na=T38FaxFillBitRemoval\na=T38FaxVersion:1\n").orElseThrow();
        assertThat(p.fillBitRemoval()).isTrue();
        assertThat(p.valuedBooleans()).isFalse();
        assertThat(T38Sdp.format(T38Sdp.answer(p, 2))).doesNotContain("FillBitRemoval").contains("a=T38FaxVersion:1");
        assertThat(T38Sdp.peerMaxDatagram(p)).isEqualTo(400);
    }

    @Test
    void audioOnlyOrRelayRewrittenSdpHasNoT38Stream() {
        assertThat(T38Sdp.parse("v=0\r\nm=audio 4000 RTP/AVP 0 8\r\n")).isEmpty();
        // A relay that rewrote the transport (rtpengine #1201) does not carry UDPTL.
        assertThat(T38Sdp.parse("m=image 4000 RTP/AVP t38\r\n")).isEmpty();
    }

    @Test
    void ourOfferRoundTrips() {
        T38Sdp.Params offer = T38Sdp.faxlanOffer(6000);
        T38Sdp.Params back = T38Sdp.parse(T38Sdp.format(offer)).orElseThrow();
        assertThat(back).isEqualTo(new T38Sdp.Params(6000, 2, 14400, true, 2000, 400, T38Sdp.Ec.REDUNDANCY, Map.of(), false));
    }
}
