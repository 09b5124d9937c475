package dev.faxlan.lines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.protocol.HostPort;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LineConfigTest {
    static final NumberPlan BERLIN = NumberPlan.forCountry("49").withAreaCode("30");

    static LineConfig trunk(List<String> dids, List<String> routes, Optional<String> password) {
        return new LineConfig("trunk1", LineConfig.Kind.SIP, new HostPort("sip.example.net", 5060), Optional.empty(), "fax", null, password,
                Optional.empty(), null, 2, "+49301234567", dids, true, 300, LineConfig.Transport.UDP, BERLIN, routes, List.of(), false);
    }

    @Test
    void authUserAndDomainDefaultToUserAndRegistrarHost() {
        LineConfig l = trunk(List.of(), List.of(), Optional.empty());
        assertThat(l.authUser()).isEqualTo("fax");
        assertThat(l.domain()).isEqualTo("sip.example.net");
        assertThat(l.isLoopback()).isFalse();
    }

    @Test
    void toStringNeverShowsThePassword() {
        LineConfig l = trunk(List.of(), List.of(), Optional.of("correct horse battery staple"));
        assertThat(l.toString()).doesNotContain("correct horse").contains("password=(set)").contains("registrar=sip.example.net:5060");
        assertThat(trunk(List.of(), List.of(), Optional.empty()).toString()).contains("password=(none)");
    }

    @Test
    void receivesItsDidsInAnyFormTheTrunkSends() {
        LineConfig l = trunk(List.of("+49301234567", "+49301234568"), List.of(), Optional.empty());
        assertThat(l.receives("+49301234567")).isTrue();
        assertThat(l.receives("0301234568")).isTrue();
        assertThat(l.receives("00491234568")).isFalse();
        assertThat(l.receives("1234568")).isTrue();
        assertThat(l.receives("+49301234569")).isFalse();
        assertThat(l.receives("anonymous")).isFalse();
        assertThat(trunk(List.of(), List.of(), Optional.empty()).receives("anything")).isTrue();
    }

    @Test
    void routeMatchIsTheLongestMatchingPrefix() {
        LineConfig l = trunk(List.of(), List.of("+49", "+4930"), Optional.empty());
        assertThat(l.routeMatch("+49301234567")).isEqualTo(5);
        assertThat(l.routeMatch("+4989123456")).isEqualTo(3);
        assertThat(l.routeMatch("+442079460000")).isEqualTo(-1);
        assertThat(trunk(List.of(), List.of(), Optional.empty()).routeMatch("+442079460000")).isZero();
    }

    @Test
    void theConstructorChecksWhatTheParserChecks() {
        assertThatThrownBy(() -> new LineConfig("trunk 1", LineConfig.Kind.SIP, new HostPort("h", 5060), Optional.empty(), "u", null,
                Optional.empty(), Optional.empty(), null, 2, "+49301234567", List.of(), true, 300, LineConfig.Transport.UDP, BERLIN,
                List.of(), List.of(), false)).hasMessage("line name 'trunk 1' must be 1 to 32 letters, digits, '-' or '_'");
        assertThatThrownBy(() -> new LineConfig("t", LineConfig.Kind.SIP, new HostPort("h", 5060), Optional.empty(), "u", null,
                Optional.empty(), Optional.empty(), null, 2, "0301234567", List.of(), true, 300, LineConfig.Transport.UDP, BERLIN,
                List.of(), List.of(), false)).hasMessage("the number of SIP line t must be E.164 (+ and 7 to 15 digits): 0301234567");
        assertThatThrownBy(() -> LineConfig.loopback(0, "0000", List.of(), BERLIN)).hasMessage("channels 0 outside 1..1000");
        assertThatThrownBy(() -> trunk(List.of(), List.of("49"), Optional.empty()))
                .hasMessage("route '49' is not an E.164 prefix (+ and digits)");
    }

    @Test
    void theLoopbackLineNeverRegisters() {
        LineConfig l = LineConfig.loopback(4, "0000", List.of(), BERLIN);
        assertThat(l.isLoopback()).isTrue();
        assertThat(l.register()).isFalse();
        assertThat(l.registrar()).isNull();
        assertThat(l.toString()).isEqualTo("LineConfig[name=loopback, kind=LOOPBACK, channels=4, number=0000, dids=[], numberPlan="
                + BERLIN + "]");
    }
}
