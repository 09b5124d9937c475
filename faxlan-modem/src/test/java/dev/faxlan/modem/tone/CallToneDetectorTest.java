package dev.faxlan.modem.tone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.modem.Levels;
import dev.faxlan.modem.ModemTransmitter;
import dev.faxlan.modem.g711.G711;
import dev.faxlan.modem.testsupport.Line;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CallToneDetectorTest {
    private final List<String> events = new ArrayList<>();
    private final List<Long> starts = new ArrayList<>();
    private final CallToneDetector detector = new CallToneDetector(new CallToneDetector.Listener() {
        @Override
        public void toneStarted(CallTone tone, long sample) {
            events.add("start " + tone);
            starts.add(sample);
        }

        @Override
        public void toneEnded(CallTone tone, long sample) {
            events.add("end " + tone);
        }
    });

    private void feed(ModemTransmitter tx, int samples) {
        short[] x = new short[samples];
        int n = tx.fill(x, 0, samples);
        detector.receive(x, 0, n);
        detector.receive(new short[samples - n], 0, samples - n);
    }

    private void sine(double hz, double dbm0, int samples) {
        double a = Levels.sinePeak(dbm0);
        short[] x = new short[samples];
        for (int i = 0; i < samples; i++) {
            x[i] = (short) Math.round(a * Math.sin(2 * Math.PI * hz * i / 8000.0 + 0.3));
        }
        detector.receive(x, 0, x.length);
        detector.receive(new short[4000], 0, 4000);
    }

    @Test
    void cngIsDetectedInEachBurstAfterFourHundredMilliseconds() {
        feed(ToneGenerator.cng(-11), 8 * 8000);
        // Bursts start at 0, 3.5 s and 7 s.
        assertThat(events).containsExactly("start CNG", "end CNG", "start CNG", "end CNG", "start CNG", "end CNG");
        assertThat(starts.get(0)).isBetween(400L * 8, 420L * 8);
        assertThat(starts.get(1) - 28000).isBetween(400L * 8, 420L * 8);
    }

    @Test
    void cedAndAnsamAreToldApart() {
        feed(ToneGenerator.ced(-11, 3 * 8000), 4 * 8000);
        feed(ToneGenerator.ansam(-12, 3 * 8000), 4 * 8000);
        assertThat(events).containsExactly("start CED", "end CED", "start ANSAM", "end ANSAM");
        assertThat(starts.get(0)).isBetween(500L * 8, 520L * 8);
    }

    @Test
    void toneWithinFortyHertzIsAcceptedAndBeyondEightyRejected() {
        sine(1100 + 38, -20, 8000);
        sine(1100 - 38, -20, 8000);
        sine(2100 + 23, -20, 8000);
        sine(2100 - 23, -20, 8000);
        assertThat(events).containsExactly("start CNG", "end CNG", "start CNG", "end CNG",
                "start CED", "end CED", "start CED", "end CED");
        events.clear();
        sine(1100 + 80, -20, 8000);
        sine(1100 - 80, -20, 8000);
        sine(2100 + 80, -20, 8000);
        sine(2100 - 80, -20, 8000);
        sine(1650, -20, 8000);
        assertThat(events).isEmpty();
    }

    @Test
    void levelThresholdIsMinusFortyThreeDbm0() {
        sine(1100, -42, 8000);
        assertThat(events).containsExactly("start CNG", "end CNG");
        events.clear();
        sine(1100, -45, 8000);
        assertThat(events).isEmpty();
    }

    @Test
    void tooShortABurstIsNotATone() {
        sine(1100, -11, 300 * 8);
        sine(2100, -11, 450 * 8);
        assertThat(events).isEmpty();
    }

    @Test
    void whiteNoiseIsNotATone() {
        double[] x = new double[10 * 8000];
        Line.addNoise(x, -10, new Random(7));
        short[] s = Line.throughG711(x, null);
        detector.receive(s, 0, s.length);
        assertThat(events).isEmpty();
    }

    @Test
    void cedIsFoundThroughALawAt20DbSnr() {
        short[] tone = Line.drain(ToneGenerator.ced(-30, 8000), 8000);
        double[] x = Line.pad(tone, 800);
        Line.addNoise(x, -50, new Random(3));
        short[] s = Line.throughG711(x, G711.ALAW);
        detector.receive(s, 0, s.length);
        assertThat(events).containsExactly("start CED", "end CED");
    }
}
