package dev.faxlan.modem.v29;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.modem.g711.G711;
import dev.faxlan.modem.oracle.ModemOracle;
import dev.faxlan.modem.oracle.ModemOracle.Modem;
import dev.faxlan.modem.oracle.ModemOracle.Received;
import dev.faxlan.modem.testsupport.Line;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Our V.29 against spandsp 0.0.6's, sample for sample: our transmitter into its receiver, its transmitter into ours. */
class V29SpandspIT {

    static byte[] data(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static short[] transmit(int rate, double dbm0, byte[] data) {
        return Line.drain(new V29Transmitter(rate, dbm0, ByteBits.source(data)), 10_000_000);
    }

    @ParameterizedTest(name = "{0} bit/s, {1}")
    @CsvSource({"9600, linear", "9600, alaw", "9600, ulaw", "7200, linear", "7200, alaw", "7200, ulaw"})
    void ourTransmitterIsDecodedBySpandspBitExact(int rate, String law) throws Exception {
        byte[] sent = data(rate + law.hashCode(), 3000);
        short[] samples = transmit(rate, -14, sent);

        Received got;
        if (law.equals("linear")) {
            got = ModemOracle.receive(Modem.V29, rate, Line.toLittleEndian(samples), "--count", "3000");
        } else {
            G711 g = law.equals("alaw") ? G711.ALAW : G711.ULAW;
            byte[] octets = new byte[samples.length];
            for (int i = 0; i < samples.length; i++) {
                octets[i] = g.encode(samples[i]);
            }
            got = ModemOracle.receive(Modem.V29, rate, octets, "--law", law, "--count", "3000");
        }

        assertThat(got.trained()).as("spandsp trained: %s", got.log()).isTrue();
        assertThat(got.carriers()).isEqualTo(1);
        assertThat(got.data()).isEqualTo(sent);
    }
}
