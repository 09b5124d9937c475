package dev.faxlan.modem.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LoopsTest {

    @Test
    void theCarrierLoopFollowsAPhaseAndAFrequencyOffset() {
        CarrierLoop loop = new CarrierLoop(0.1, 0.005);
        Random random = new Random(5);
        double offset = 0.7;
        double step = 0.002;
        double err = 0;
        for (int k = 0; k < 3000; k++) {
            double re = random.nextBoolean() ? 1 : -1;
            double im = random.nextBoolean() ? 1 : -1;
            double c = Math.cos(offset + step * k);
            double s = Math.sin(offset + step * k);
            loop.derotate(re * c - im * s, re * s + im * c);
            double dRe = Math.signum(loop.re());
            double dIm = Math.signum(loop.im());
            err = Math.hypot(loop.re() - re, loop.im() - im);
            loop.update(dRe, dIm);
        }
        assertThat(err).isLessThan(0.02);
        assertThat(loop.frequency()).isCloseTo(step, within(2e-4));
    }

    @Test
    void theEqualiserLearnsAGainAPhaseAndAnEcho() {
        Equalizer eq = new Equalizer(17);
        eq.reset(1, 0);
        Random random = new Random(8);
        int n = 4000;
        double[] re = new double[n];
        double[] im = new double[n];
        // Channel: gain 0.5 at 60 degrees, and an echo of 0.2 of the previous symbol; two samples a symbol.
        double gr = 0.25;
        double gi = 0.433;
        double last = 0;
        int delay = eq.delayHalfSymbols() / 2;
        for (int k = 1; k < n; k++) {
            re[k] = random.nextBoolean() ? 1 : -1;
            im[k] = random.nextBoolean() ? 1 : -1;
            double midRe = 0.5 * (re[k - 1] + re[k]);
            double midIm = 0.5 * (im[k - 1] + im[k]);
            eq.push(gr * midRe - gi * midIm, gr * midIm + gi * midRe);
            eq.push(gr * re[k] - gi * im[k] + 0.2 * re[k - 1], gr * im[k] + gi * re[k] + 0.2 * im[k - 1]);
            eq.output();
            if (k > delay) {
                double er = re[k - delay] - eq.re();
                double ei = im[k - delay] - eq.im();
                last = Math.hypot(er, ei);
                eq.adapt(er, ei, 0.01);
            }
        }
        assertThat(eq.finite()).isTrue();
        assertThat(last).isLessThan(0.05);
    }
}
