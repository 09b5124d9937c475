package dev.faxlan.modem.v17;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The trellis code's laws, without the modem around it: what the encoder codes, the Viterbi decoder gives back. */
class V17TrellisPropertiesTest {

    /**
     * Any symbols, coded, moved by noise of up to 0.35 of the constellation spacing on each axis
     * and turned by any multiple of 90 degrees, decode to the same data after the first symbol: the
     * differential coding of Y1 Y2 makes the code blind to quarter turns.
     */
    @Property(tries = 200)
    void viterbiUndoesTheEncoder(@ForAll("rates") int rate, @ForAll @Size(min = 1, max = 300) int[] symbols,
            @ForAll @IntRange(min = 0, max = 3) int quarterTurns, @ForAll long seed) {
        V17Constellation c = V17Constellation.forRate(rate);
        int mask = (1 << c.bitsPerSymbol) - 1;
        int depth = 24;
        V17Trellis.Encoder encoder = new V17Trellis.Encoder();
        encoder.reset(1);
        V17Viterbi viterbi = new V17Viterbi(c, depth);
        Random noise = new Random(seed);
        int[] decided = new int[symbols.length + depth];
        int n = 0;
        int total = symbols.length + depth - 1;
        for (int k = 0; k < total; k++) {
            int bits = k < symbols.length ? symbols[k] & mask : mask;
            int index = encoder.encode(bits);
            double re = c.re[index];
            double im = c.im[index];
            for (int t = 0; t < quarterTurns; t++) {
                double r = -im;
                im = re;
                re = r;
            }
            double reach = 0.35 * c.spacing;
            re += (noise.nextDouble() * 2 - 1) * reach;
            im += (noise.nextDouble() * 2 - 1) * reach;
            int d = viterbi.decode(re, im);
            if (d >= 0) {
                decided[n++] = d;
            }
        }
        int previous = -1;
        for (int k = 0; k < symbols.length; k++) {
            int pair = (decided[k] >> 1) & 3;
            if (k > 0) {
                int bits = ((decided[k] >> 1) & ~3) | ((pair - previous) & 3);
                assertThat(bits).as("symbol %d of %d at %d bit/s, %d quarter turns", k, symbols.length, rate, quarterTurns)
                        .isEqualTo(symbols[k] & mask);
            }
            previous = pair;
        }
    }

    @Provide
    Arbitrary<Integer> rates() {
        return Arbitraries.of(14400, 12000, 9600, 7200);
    }
}
