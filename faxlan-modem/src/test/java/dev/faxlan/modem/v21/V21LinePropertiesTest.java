package dev.faxlan.modem.v21;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.modem.g711.G711;
import dev.faxlan.modem.testsupport.Line;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;

/**
 * Random T.30-sized HDLC frames through our V.21 transmitter, a line and our receiver arrive
 * exactly: G.711 µ-law or A-law, a level from -10 to -40 dBm0, white noise 20 dB under the signal
 * (on the whole line, also in the silence around it), and the receiving end's sample clock up to
 * 100 ppm off the sender's.
 */
class V21LinePropertiesTest {

    @Property(tries = 60)
    void framesCrossAnImpairedLine(@ForAll @Size(min = 1, max = 3) List<@Size(min = 1, max = 64) byte[]> frames,
            @ForAll G711 law, @ForAll @DoubleRange(min = -40, max = -10) double dbm0,
            @ForAll @DoubleRange(min = -100, max = 100) double ppm, @ForAll long seed) {
        short[] sent = V21Link.transmit(frames, dbm0);
        double[] line = Line.pad(sent, 2400);
        line = Line.resample(line, ppm);
        Line.addNoise(line, dbm0 - 20, new Random(seed));
        short[] received = Line.throughG711(line, law);

        V21Link.Received r = V21Link.receive(received, 160);

        assertThat(r.frames).as("frames at %.1f dBm0, %.0f ppm, %s", dbm0, ppm, law).hasSize(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            assertThat(r.frames.get(i)).isEqualTo(frames.get(i));
        }
    }
}
