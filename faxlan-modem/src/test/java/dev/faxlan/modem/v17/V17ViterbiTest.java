package dev.faxlan.modem.v17;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The Viterbi decoder scores each received point against only the points its cell table names; those
 * must give the same nearest point of every subset, at the same distance, as scoring the whole
 * constellation.
 */
class V17ViterbiTest {
    private static final int[] RATES = {14400, 12000, 9600, 7200};

    @Property(tries = 2000)
    void theCellTableFindsTheNearestPointOfEverySubset(@ForAll @IntRange(min = 0, max = 3) int rate,
            @ForAll @DoubleRange(min = -14, max = 14) double re, @ForAll @DoubleRange(min = -14, max = 14) double im) {
        assertSameAsScoringAll(RATES[rate], re, im);
    }

    @Test
    void cellEdgesCornersAndThePointsThemselvesScoreAsScoringAll() {
        // Quarter steps land on every cell edge and corner and on every constellation point, where ties are.
        for (int rate : RATES) {
            for (double re = -13; re <= 13; re += 0.25) {
                for (double im = -13; im <= 13; im += 0.25) {
                    assertSameAsScoringAll(rate, re, im);
                    assertSameAsScoringAll(rate, Math.nextDown(re), Math.nextUp(im));
                }
            }
        }
    }

    private static void assertSameAsScoringAll(int rate, double re, double im) {
        V17Constellation k = V17Constellation.forRate(rate);
        V17Viterbi viterbi = new V17Viterbi(k, 24);
        viterbi.scoreSubsets(re, im);
        double[] distance = new double[8];
        int[] nearest = new int[8];
        V17Viterbi.scoreAll(k, re, im, distance, nearest);
        assertThat(viterbi.subsetPoint).as("nearest points at %d for (%s, %s)", rate, re, im).containsExactly(nearest);
        assertThat(viterbi.subsetDistance).as("distances at %d for (%s, %s)", rate, re, im).containsExactly(distance);
    }
}
