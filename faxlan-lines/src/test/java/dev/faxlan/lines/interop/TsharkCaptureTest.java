package dev.faxlan.lines.interop;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TsharkCaptureTest {

    @Test
    void parsesARequestWithSdp() {
        TsharkCapture.SipRecord r = TsharkCapture.parse(
                "7|5070|5060|INVITE||1-1@h|1 INVITE|image 6000 udptl t38|T38FaxVersion:0\u001fT38MaxBitRate:14400");

        assertThat(r.frame()).isEqualTo(7);
        assertThat(r.srcPort()).isEqualTo(5070);
        assertThat(r.dstPort()).isEqualTo(5060);
        assertThat(r.isRequest()).isTrue();
        assertThat(r.label()).isEqualTo("INVITE");
        assertThat(r.status()).isEqualTo(-1);
        assertThat(r.callId()).isEqualTo("1-1@h");
        assertThat(r.cseq()).isEqualTo("1 INVITE");
        assertThat(r.media()).containsExactly("image 6000 udptl t38");
        assertThat(r.mediaAttributes()).containsExactly("T38FaxVersion:0", "T38MaxBitRate:14400");
    }

    @Test
    void parsesAResponseWithoutBody() {
        TsharkCapture.SipRecord r = TsharkCapture.parse("8|5060|5070||401|1-1@h|1 REGISTER||");

        assertThat(r.isRequest()).isFalse();
        assertThat(r.label()).isEqualTo("401");
        assertThat(r.media()).isEmpty();
        assertThat(r.mediaAttributes()).isEmpty();
    }
}
