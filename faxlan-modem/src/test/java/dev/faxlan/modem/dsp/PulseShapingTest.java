package dev.faxlan.modem.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The modulator and the matched-filter front end together give back the symbols: no intersymbol interference. */
class PulseShapingTest {

    @Test
    void twoRootRaisedCosinesInCascadeAreNyquist() {
        for (double alpha : new double[] {0.25, 0.5}) {
            for (int k = 0; k <= 4; k++) {
                double sum = 0;
                double dt = 1e-3;
                for (double t = -12; t <= 12; t += dt) {
                    sum += RaisedCosine.root(t, alpha) * RaisedCosine.root(k - t, alpha) * dt;
                }
                assertThat(sum).as("alpha %s at %d symbols", alpha, k).isCloseTo(k == 0 ? 1.0 : 0.0, within(2e-3));
            }
        }
    }

    @ParameterizedTest(name = "{0} baud, {1} Hz, roll-off {2}")
    @CsvSource({"2400, 1700, 0.25", "2400, 1800, 0.25", "1600, 1800, 0.5", "1200, 1800, 0.5"})
    void symbolsComeBackAtTheirInstants(int baud, int hz, double alpha) {
        int span = 12;
        PassbandModulator mod = new PassbandModulator(baud, hz, alpha, span);
        MatchedFilterSampler rx = new MatchedFilterSampler(baud, hz, alpha, span);
        double sps = 8000.0 / baud;
        double half = sps / 2;
        // Output m of the sampler is at line time (m + 1) half - 1 - C; symbol k's centre is at k sps + delay.
        double target = mod.delaySymbols() * sps + 1 + rx.delaySamples();
        double shift = target - Math.floor(target / half) * half;
        rx.adjust(shift);
        Random random = new Random(baud + hz);
        int n = 400;
        double[][] sent = new double[n][2];
        int next = 0;
        double[] got = new double[2 * 4 * n];
        int outputs = 0;
        for (int i = 0; i < (n + span) * sps + 40; i++) {
            if (mod.symbolDue()) {
                if (next < n) {
                    sent[next][0] = random.nextInt(3) - 1;
                    sent[next][1] = random.nextInt(3) - 1;
                    mod.putSymbol(sent[next][0], sent[next][1]);
                    next++;
                } else {
                    mod.putSymbol(0, 0);
                }
            }
            if (rx.push(mod.nextSample())) {
                got[2 * outputs] = rx.re();
                got[2 * outputs + 1] = rx.im();
                outputs++;
            }
        }
        // The first symbol's centre comes out at output index (target - shift) / half - 1.
        int first = (int) Math.round((target - shift) / half) - 1;
        double worst = 0;
        for (int k = span; k < n - span; k++) {
            int m = first + 2 * k;
            worst = Math.max(worst, Math.hypot(got[2 * m] - sent[k][0], got[2 * m + 1] - sent[k][1]));
        }
        assertThat(worst).as("largest error on symbols of magnitude up to 1.4").isLessThan(0.05);
    }

    @Test
    void theLevelIsTheOneAskedFor() {
        PassbandModulator mod = new PassbandModulator(2400, 1700, 0.25, 12);
        mod.setLevel(1000.0, 2.0);
        Random random = new Random(3);
        double sum = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            if (mod.symbolDue()) {
                mod.putSymbol(random.nextBoolean() ? 1 : -1, random.nextBoolean() ? 1 : -1);
            }
            double x = mod.nextSample();
            sum += x * x;
        }
        assertThat(sum / n).isCloseTo(1000.0, within(20.0));
    }
}
