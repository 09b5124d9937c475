package dev.faxlan.modem.v29;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.modem.g711.G711;
import dev.faxlan.modem.testsupport.ByteBits;
import dev.faxlan.modem.testsupport.Line;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Random data through our V.29 transmitter, a line and our receiver arrives bit for bit: either rate,
 * G.711 µ-law or A-law, a level from -10 to -40 dBm0, white noise 25 dB under the signal (on the whole
 * line, also in the silence around it), the receiving end's sample clock up to 100 ppm off the
 * sender's, and samples arriving in blocks of any size.
 */
class V29LinePropertiesTest {

    @Property(tries = 25)
    void dataCrossesAnImpairedLine(@ForAll @Size(min = 1, max = 3000) byte[] data, @ForAll boolean fast,
            @ForAll G711 law, @ForAll @DoubleRange(min = -40, max = -10) double dbm0,
            @ForAll @DoubleRange(min = -100, max = 100) double ppm, @ForAll @IntRange(min = 1, max = 400) int block,
            @ForAll long seed) {
        int rate = fast ? 9600 : 7200;
        double[] line = Line.pad(V29SpandspIT.transmit(rate, dbm0, data), 800);
        line = Line.resample(line, ppm);
        Line.addNoise(line, dbm0 - 25, new Random(seed));

        ByteBits.Collector sink = V29Test.receive(rate, Line.throughG711(line, law), block);

        assertThat(sink.events).as("%d bit/s at %.1f dBm0, %.0f ppm, %s", rate, dbm0, ppm, law)
                .containsExactly("up", "down");
        assertThat(sink.carrier(0, data.length)).isEqualTo(data);
    }
}
