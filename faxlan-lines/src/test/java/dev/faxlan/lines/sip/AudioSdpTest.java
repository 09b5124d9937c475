package dev.faxlan.lines.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.modem.g711.G711;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AudioSdpTest {
    private static final String HEAD = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n";

    @Test
    void takesTheFirstG711TypeInTheOffersOrderAndIgnoresTheRest() {
        String sdp = HEAD + "m=audio 4000 RTP/AVP 18 8 0 101 13\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n";
        AudioSdp.Offer o = AudioSdp.in(sdp).orElseThrow();
        assertThat(o.payloadType()).isEqualTo(8);
        assertThat(o.law()).isEqualTo(G711.ALAW);
        assertThat(o.rtcpMux()).isFalse();
        assertThat(o.media().port()).isEqualTo(4000);
        assertThat(o.media().address()).isEqualTo("192.0.2.1");
    }

    @Test
    void aDynamicTypeNamedPcmuIsPcmuUnderItsOwnNumber() {
        String sdp = HEAD + "m=audio 4000 RTP/AVP 96\r\na=rtpmap:96 PCMU/8000\r\na=rtcp-mux\r\n";
        AudioSdp.Offer o = AudioSdp.in(sdp).orElseThrow();
        assertThat(o.payloadType()).isEqualTo(96);
        assertThat(o.law()).isEqualTo(G711.ULAW);
        assertThat(o.rtcpMux()).isTrue();
    }

    @Test
    void noG711NoT38OnlyAndARefusedSectionAreNoOffer() {
        assertThat(AudioSdp.in(HEAD + "m=audio 4000 RTP/AVP 18 9\r\n")).isEmpty();
        assertThat(AudioSdp.in(HEAD + "m=image 4000 udptl t38\r\n")).isEmpty();
        assertThat(AudioSdp.in(HEAD + "m=audio 0 RTP/AVP 0\r\n")).isEmpty();
        assertThat(AudioSdp.in("")).isEqualTo(Optional.empty());
    }

    @Test
    void theAnswerAcceptsTheChosenSectionWithItsOneTypeAndRefusesTheOthers() {
        String sdp = HEAD + "m=image 5000 udptl t38\r\nm=audio 4000 RTP/AVP 0 101\r\na=rtcp-mux\r\n";
        AudioSdp.Offer o = AudioSdp.in(sdp).orElseThrow();
        String answer = AudioSdp.answer("198.51.100.2", 7, 1, SessionSdp.media(sdp), o, 20002);
        assertThat(SessionSdp.media(answer)).extracting(SessionSdp.Media::port).containsExactly(0, 20002);
        assertThat(answer).contains("m=audio 20002 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=ptime:20\r\na=rtcp-mux\r\n");
        assertThat(answer).doesNotContain("101");
        AudioSdp.Offer back = AudioSdp.in(answer).orElseThrow();
        assertThat(back.payloadType()).isZero();
        assertThat(back.media().address()).isEqualTo("198.51.100.2");
    }

    @Test
    void ourOfferListsPcmuThenPcmaAndReadsBackAsPcmu() {
        String offer = SessionSdp.withAudioOffer("203.0.113.5", 1, 1, 20010);
        assertThat(offer).contains("m=audio 20010 RTP/AVP 0 8\r\n").contains("a=ptime:20").contains("a=rtcp-mux");
        assertThat(AudioSdp.in(offer).orElseThrow().law()).isEqualTo(G711.ULAW);
    }
}
