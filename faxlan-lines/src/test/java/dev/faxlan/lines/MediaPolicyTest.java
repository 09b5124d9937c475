package dev.faxlan.lines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class MediaPolicyTest {
    @Test
    void settingsParseToTheirPolicyAndBack() {
        for (MediaPolicy p : MediaPolicy.values()) assertThat(MediaPolicy.parse(p.setting())).contains(p);
        assertThat(MediaPolicy.parse(" T38-Then-G711 ")).contains(MediaPolicy.T38_THEN_G711);
        assertThat(MediaPolicy.parse("t38-only")).isEmpty();
        assertThat(MediaPolicy.T38_THEN_G711.order()).containsExactly(Media.T38, Media.G711);
        assertThat(MediaPolicy.G711_THEN_T38.order()).containsExactly(Media.G711, Media.T38);
    }

    @Test
    void aLineTakesTheFallbackPoliciesAndAnUnknownOneIsAProblemNamingTheValues() {
        Properties p = new Properties();
        p.setProperty("line.loopback.policy", "t38-then-g711");
        assertThat(LinesConfig.parse(p).lines().get(0).policy()).isEqualTo(MediaPolicy.T38_THEN_G711);
        p.setProperty("line.loopback.policy", "t38-only");
        assertThatThrownBy(() -> LinesConfig.parse(p)).isInstanceOf(LinesConfigException.class)
                .hasMessageContaining("line.loopback.policy=t38-only: unknown policy (t38, g711, t38-then-g711 or g711-then-t38)");
        assertThatThrownBy(() -> Media.parse("pcmu")).hasMessage("'pcmu' is not a fax media: t38 or g711");
    }

    @Test
    void theMediaMemoryIsSetInDaysWithinAYear() {
        assertThat(LinesConfig.parse(new Properties()).mediaMemory()).isEqualTo(java.time.Duration.ofDays(7));
        Properties p = new Properties();
        p.setProperty("lines.media-memory-days", "0");
        assertThat(LinesConfig.parse(p).mediaMemory()).isZero();
        p.setProperty("lines.media-memory-days", "400");
        assertThatThrownBy(() -> LinesConfig.parse(p)).isInstanceOf(LinesConfigException.class).hasMessageContaining("lines.media-memory-days=400");
    }

    @Test
    void onlyTheFallbackPoliciesAreReorderedByWhatStartsFirst() {
        assertThat(MediaPolicy.T38_THEN_G711.startingWith(Media.G711)).isEqualTo(MediaPolicy.G711_THEN_T38);
        assertThat(MediaPolicy.G711_THEN_T38.startingWith(Media.T38)).isEqualTo(MediaPolicy.T38_THEN_G711);
        assertThat(MediaPolicy.T38_THEN_G711.startingWith(Media.T38)).isEqualTo(MediaPolicy.T38_THEN_G711);
        assertThat(MediaPolicy.T38.startingWith(Media.G711)).isEqualTo(MediaPolicy.T38);
        assertThat(MediaPolicy.G711.startingWith(Media.T38)).isEqualTo(MediaPolicy.G711);
        for (MediaPolicy p : MediaPolicy.values()) {
            for (Media m : Media.values()) assertThat(p.startingWith(m).order()).containsExactlyInAnyOrderElementsOf(p.order());
        }
        assertThat(List.of(Media.T38.other(), Media.G711.other())).containsExactly(Media.G711, Media.T38);
    }

    @Test
    void onlyRefusalsAndFailuresBeforePageOneAreMediaFailures() {
        assertThat(result(CallOutcome.T38_NOT_SUPPORTED, 488, "488 Not Acceptable Here", 0).mediaFailure()).contains("was refused (488 Not Acceptable Here)");
        assertThat(result(CallOutcome.T30_FAILURE, 200, "no answer to DCS", 0).mediaFailure()).contains("failed before page 1 (no answer to DCS)");
        assertThat(result(CallOutcome.T30_FAILURE, 200, "RTN", 2).mediaFailure()).isEmpty();
        assertThat(result(CallOutcome.BUSY, 486, "486 Busy Here", 0).mediaFailure()).isEmpty();
        assertThat(result(CallOutcome.SUCCESS, 200, "", 3).mediaFailure()).isEmpty();
    }

    private static CallResult result(CallOutcome o, int sip, String detail, int pages) {
        return new CallResult(o, null, sip, detail, pages, "", 0);
    }
}
