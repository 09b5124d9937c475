package dev.faxlan.modem.level;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.modem.Levels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnergyDetectorTest {
    private final List<String> events = new ArrayList<>();
    private final EnergyDetector detector = EnergyDetector.forFax((on, at) -> events.add((on ? "on@" : "off@") + at));

    private void tone(double dbm0, int samples) {
        double a = Levels.sinePeak(dbm0);
        short[] x = new short[samples];
        for (int i = 0; i < samples; i++) {
            x[i] = (short) Math.round(a * Math.sin(2 * Math.PI * 1800 * i / 8000.0));
        }
        detector.receive(x, 0, x.length);
    }

    @Test
    void signalAboveTheOnLevelTurnsItOnAndSilenceOff() {
        tone(-30, 800);
        assertThat(detector.signal()).isTrue();
        tone(-90, 800);
        assertThat(detector.signal()).isFalse();
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).startsWith("on@");
        assertThat(events.get(1)).startsWith("off@");
    }

    @Test
    void levelBetweenTheThresholdsKeepsWhateverStateItFinds() {
        tone(-45.5, 4000);
        assertThat(detector.signal()).as("-45.5 dBm0 does not turn it on").isFalse();
        tone(-40, 400);
        assertThat(detector.signal()).isTrue();
        tone(-45.5, 4000);
        assertThat(detector.signal()).as("-45.5 dBm0 does not turn it off").isTrue();
        assertThat(events).hasSize(1);
    }

    @Test
    void aShortDropOutDoesNotEndTheSignal() {
        tone(-20, 800);
        detector.receive(new short[80], 0, 80);
        tone(-20, 800);
        assertThat(events).hasSize(1);
    }
}
