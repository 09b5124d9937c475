package dev.faxlan.modem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.faxlan.modem.level.PowerMeter;
import org.junit.jupiter.api.Test;

class LevelsTest {

    @Test
    void aFullScaleSineIsThreePointOneFourDbm0() {
        assertThat(Levels.sinePeak(3.14)).isCloseTo(32767, within(0.5));
        // The note's figures: -14 dBm0 peaks at about 4554, -43 dBm0 at about 162.
        assertThat(Levels.sinePeak(-14)).isCloseTo(4554, within(3.0));
        assertThat(Levels.sinePeak(-43)).isCloseTo(162, within(1.0));
    }

    @Test
    void powerMeterReadsASineAtItsLevel() {
        for (double level : new double[] {-10, -14, -30, -43}) {
            PowerMeter m = new PowerMeter(256);
            double a = Levels.sinePeak(level);
            for (int i = 0; i < 8000; i++) {
                m.update((int) Math.round(a * Math.sin(2 * Math.PI * 1000 * i / 8000.0)));
            }
            assertThat(m.dbm0()).as("%s dBm0", level).isCloseTo(level, within(0.3));
        }
    }

    @Test
    void silenceIsMinusInfinity() {
        PowerMeter m = new PowerMeter(8);
        m.update(0);
        assertThat(m.dbm0()).isEqualTo(Double.NEGATIVE_INFINITY);
    }
}
