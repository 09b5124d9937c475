package dev.faxlan.modem.v27ter;

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
 * Laws of V.27ter: the scrambler is undone by the descrambler from any state; and random data
 * through our transmitter, an impaired line (G.711 µ-law or A-law, -10 to -40 dBm0, white noise
 * 25 dB under the signal over the whole line, the receiving sample clock up to 100 ppm off) and our
 * receiver arrive bit-exact.
 */
class V27terLinePropertiesTest {

    @Property
    void descramblingUndoesScrambling(@ForAll @Size(max = 2000) byte[] data,
            @ForAll @IntRange(min = 0, max = 0xFFF) int state, @ForAll @IntRange(min = 0, max = 33) int run) {
        V27terScrambler tx = new V27terScrambler();
        V27terScrambler rx = new V27terScrambler();
        tx.reset(state, run);
        rx.reset(state, run);
        for (byte b : data) {
            for (int i = 0; i < 8; i++) {
                int bit = (b >> i) & 1;
                assertThat(rx.descramble(tx.scramble(bit))).isEqualTo(bit);
            }
        }
    }

    /** All ones would be a constant phase step without the guard; it inverts a bit within every 34. */
    @Property
    void theGuardBreaksLongRuns(@ForAll @IntRange(min = 0, max = 1) int bit) {
        V27terScrambler s = new V27terScrambler();
        int longest = 0;
        int run = 0;
        int[] hist = new int[13];
        for (int i = 0; i < 5000; i++) {
            int line = s.scramble(bit);
            System.arraycopy(hist, 0, hist, 1, 12);
            hist[0] = line;
            boolean repeats = i >= 12 && (line == hist[8] || line == hist[9] || line == hist[12]);
            run = repeats ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        assertThat(longest).isLessThanOrEqualTo(34);
    }

    @Property(tries = 30)
    void dataCrossAnImpairedLine(@ForAll @Size(min = 1, max = 400) byte[] data, @ForAll boolean fast,
            @ForAll G711 law, @ForAll @DoubleRange(min = -40, max = -10) double dbm0,
            @ForAll @DoubleRange(min = -100, max = 100) double ppm, @ForAll long seed) {
        int rate = fast ? 4800 : 2400;
        double[] line = Line.pad(V27terLink.transmit(rate, dbm0, data), 1600);
        line = Line.resample(line, ppm);
        Line.addNoise(line, dbm0 - 25, new Random(seed));

        ByteBits.Collector got = V27terLink.receive(rate, Line.throughG711(line, law), 160);

        assertThat(got.events).as("%d bit/s at %.1f dBm0, %.0f ppm, %s", rate, dbm0, ppm, law)
                .containsExactly("up", "down");
        assertThat(got.carrier(0, data.length)).isEqualTo(data);
    }

    /** The comparisons that pick a point agree with rounding the angle. */
    @Property
    void decisionsAreTheNearestPoint(@ForAll @DoubleRange(min = -3.14, max = 3.14) double angle,
            @ForAll @DoubleRange(min = 0.01, max = 5) double radius) {
        double re = radius * Math.cos(angle);
        double im = radius * Math.sin(angle);
        double eighths = angle * 4 / Math.PI;
        double quarters = angle * 2 / Math.PI;
        // Away from the boundaries, where rounding is exact.
        net.jqwik.api.Assume.that(Math.abs(eighths - Math.floor(eighths) - 0.5) > 1e-6);
        net.jqwik.api.Assume.that(Math.abs(quarters - Math.floor(quarters) - 0.5) > 1e-6);
        assertThat(V27terReceiver.nearestOctant(re, im)).isEqualTo((int) Math.round(eighths) & 7);
        assertThat(V27terReceiver.nearestQuadrant(re, im)).isEqualTo(((int) Math.round(quarters) & 3) * 2);
    }
}
