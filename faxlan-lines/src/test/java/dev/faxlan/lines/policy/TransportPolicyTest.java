package dev.faxlan.lines.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TransportPolicyTest {
    @Test
    void settingsParseToTheirPolicyAndBack() {
        for (TransportPolicy p : TransportPolicy.values()) assertThat(TransportPolicy.parse(p.setting())).isEqualTo(p);
        assertThat(TransportPolicy.parse(" T38-Then-G711 ")).isEqualTo(TransportPolicy.T38_THEN_G711);
        assertThat(TransportPolicy.T38_THEN_G711.order()).containsExactly(Media.T38, Media.G711);
        assertThat(TransportPolicy.G711_THEN_T38.order()).containsExactly(Media.G711, Media.T38);
    }

    @Test
    void anUnknownPolicyIsRefusedNamingTheValuesThatAreTaken() {
        assertThatThrownBy(() -> TransportPolicy.parse("t38-only")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'t38-only' is not a transport policy: t38, g711, t38-then-g711 or g711-then-t38");
        assertThatThrownBy(() -> Media.parse("pcmu")).hasMessage("'pcmu' is not a fax media: t38 or g711");
    }

    @Test
    void onlyTheFallbackPoliciesAreReorderedByWhatStartsFirst() {
        assertThat(TransportPolicy.T38_THEN_G711.startingWith(Media.G711)).isEqualTo(TransportPolicy.G711_THEN_T38);
        assertThat(TransportPolicy.G711_THEN_T38.startingWith(Media.T38)).isEqualTo(TransportPolicy.T38_THEN_G711);
        assertThat(TransportPolicy.T38_THEN_G711.startingWith(Media.T38)).isEqualTo(TransportPolicy.T38_THEN_G711);
        assertThat(TransportPolicy.T38.startingWith(Media.G711)).isEqualTo(TransportPolicy.T38);
        assertThat(TransportPolicy.G711.startingWith(Media.T38)).isEqualTo(TransportPolicy.G711);
        for (TransportPolicy p : TransportPolicy.values()) {
            for (Media m : Media.values()) assertThat(p.startingWith(m).order()).containsExactlyInAnyOrderElementsOf(p.order());
        }
        assertThat(List.of(Media.T38.other(), Media.G711.other())).containsExactly(Media.G711, Media.T38);
    }
}
