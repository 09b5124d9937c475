package dev.faxlan.modem.tone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.modem.g711.G711;
import dev.faxlan.modem.testsupport.Line;
import dev.faxlan.modem.testsupport.ModemPeer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** spandsp's modem connect tone generator, heard by our detector through G.711 with noise. */
class CallToneSpandspIT {

    private static List<String> detect(String kind, double seconds, G711 law) throws Exception {
        short[] theirs = Line.fromLittleEndian(ModemPeer.run(new byte[0], "tone", kind, Double.toString(seconds)));
        double[] line = Line.pad(theirs, 800);
        // spandsp sends at -11/-12 dBm0: noise 30 dB under that.
        Line.addNoise(line, -42, new Random(11));
        short[] s = Line.throughG711(line, law);
        List<String> events = new ArrayList<>();
        CallToneDetector d = new CallToneDetector(new CallToneDetector.Listener() {
            @Override
            public void toneStarted(CallTone tone, long sample) {
                events.add("start " + tone + "@" + (sample - 800) / 8 + "ms");
            }

            @Override
            public void toneEnded(CallTone tone, long sample) {
                events.add("end " + tone);
            }
        });
        Line.feed(d::receive, s, 160);
        return events;
    }

    @Test
    void spandspsCngIsDetectedOncePerBurst() throws Exception {
        for (G711 law : G711.values()) {
            List<String> e = detect("cng", 8.0, law);
            assertThat(e).as("%s", law).hasSize(6);
            assertThat(e.get(0)).startsWith("start CNG@");
            assertThat(e.get(2)).startsWith("start CNG@");
            assertThat(e.get(4)).startsWith("start CNG@");
            assertThat(e).filteredOn(s -> s.startsWith("end")).containsOnly("end CNG");
        }
    }

    @Test
    void spandspsCedIsCed() throws Exception {
        for (G711 law : G711.values()) {
            List<String> e = detect("ced", 4.0, law);
            assertThat(e).as("%s", law).hasSize(2);
            // spandsp starts CED after 200 ms of silence; we report it 500 ms into the tone.
            assertThat(e.get(0)).matches("start CED@7[0-2][0-9]ms");
            assertThat(e.get(1)).isEqualTo("end CED");
        }
    }

    @Test
    void spandspsAnsamIsAnsam() throws Exception {
        List<String> e = detect("ansam", 6.0, G711.ALAW);
        assertThat(e).hasSize(2);
        assertThat(e.get(0)).startsWith("start ANSAM@");
    }

    @Test
    void spandspsAnsamWithPhaseReversalsIsAnsamToo() throws Exception {
        List<String> e = detect("ansam-pr", 6.0, G711.ULAW);
        assertThat(e).hasSize(2);
        assertThat(e.get(0)).startsWith("start ANSAM@");
    }
}
