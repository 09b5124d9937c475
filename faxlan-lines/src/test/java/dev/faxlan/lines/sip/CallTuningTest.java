package dev.faxlan.lines.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** T38FaxMaxDatagram read both ways, the per-line override, and redundancy only where the far end takes it. */
class CallTuningTest {
    private static T38Sdp.Params farEnd(String datagramLine, String ec) {
        return T38Sdp.parse("v=0\r\nm=image 4000 udptl t38\r\na=T38FaxVersion:0\r\n" + datagramLine + "a=T38FaxUdpEC:" + ec + "\r\n").orElseThrow();
    }

    @Test
    void theStrictReadingLimitsTheWholePacket() {
        assertThat(CallTuning.DEFAULTS.sendLimit(farEnd("a=T38FaxMaxDatagram:160\r\n", "t38UDPRedundancy"))).isEqualTo(160);
        assertThat(CallTuning.DEFAULTS.sendLimit(farEnd("", "t38UDPRedundancy"))).as("absent: Asterisk's 400").isEqualTo(400);
    }

    @Test
    void readAsAnIfpLimitThePacketMayCarryItsRedundancy() {
        CallTuning ifp = new CallTuning(3, 3, 400, 0, CallTuning.DatagramMeaning.IFP, Duration.ofSeconds(5));
        assertThat(ifp.sendLimit(farEnd("a=T38FaxMaxDatagram:72\r\n", "t38UDPRedundancy"))).isEqualTo(CallTuning.MTU_SAFE_DATAGRAM);
    }

    @Test
    void theLineOverridesWhatTheFarEndAnnounces() {
        CallTuning override = new CallTuning(3, 3, 400, 200, CallTuning.DatagramMeaning.UDPTL, Duration.ofSeconds(5));
        assertThat(override.sendLimit(farEnd("a=T38FaxMaxDatagram:1400\r\n", "t38UDPRedundancy"))).isEqualTo(200);
    }

    @Test
    void redundancyOnlyWhenTheFarEndTakesIt() {
        CallTuning five = new CallTuning(3, 5, 400, 0, CallTuning.DatagramMeaning.UDPTL, Duration.ofSeconds(5));
        assertThat(five.redundancyFor(farEnd("", "t38UDPRedundancy"))).isEqualTo(5);
        assertThat(five.redundancyFor(farEnd("", "t38UDPNoEC"))).isZero();
    }

    @Test
    void ourAnnouncedDatagramGoesIntoOffersAndAnswers() {
        assertThat(T38Sdp.format(T38Sdp.faxlanOffer(5000, 1400))).contains("a=T38FaxMaxDatagram:1400");
        assertThat(T38Sdp.format(T38Sdp.answer(farEnd("", "t38UDPRedundancy"), 5000, 200))).contains("a=T38FaxMaxDatagram:200");
    }

    @Test
    void valuesAreChecked() {
        assertThatThrownBy(() -> new CallTuning(0, 3, 400, 0, CallTuning.DatagramMeaning.UDPTL, Duration.ofSeconds(5))).hasMessageContaining("1 to 10");
        assertThatThrownBy(() -> new CallTuning(3, 3, 400, 50, CallTuning.DatagramMeaning.UDPTL, Duration.ofSeconds(5))).hasMessageContaining("override");
        assertThatThrownBy(() -> new CallTuning(3, 3, 400, 0, CallTuning.DatagramMeaning.UDPTL, Duration.ofMinutes(2))).hasMessageContaining("bye grace");
    }
}
