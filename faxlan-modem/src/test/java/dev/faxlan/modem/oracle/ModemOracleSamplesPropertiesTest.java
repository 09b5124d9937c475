package dev.faxlan.modem.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The oracle's sample format (16-bit signed little-endian) as Java reads and writes it. */
class ModemOracleSamplesPropertiesTest {

    @Property(tries = 300)
    void samplesRoundTrip(@ForAll short[] samples) {
        assertThat(ModemOracle.samples(ModemOracle.line(samples))).isEqualTo(samples);
    }

    @Property(tries = 300)
    void lineRoundTripsAndIsLittleEndian(@ForAll byte[] bytes) {
        byte[] even = java.util.Arrays.copyOf(bytes, bytes.length & ~1);
        short[] s = ModemOracle.samples(even);

        assertThat(ModemOracle.line(s)).isEqualTo(even);
        for (int i = 0; i < s.length; i++) {
            assertThat(s[i] & 0xFF).isEqualTo(even[2 * i] & 0xFF);
        }
    }
}
