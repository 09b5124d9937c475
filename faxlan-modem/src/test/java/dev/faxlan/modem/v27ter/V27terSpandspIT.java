package dev.faxlan.modem.v27ter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.modem.g711.G711;
import dev.faxlan.modem.oracle.ModemOracle;
import dev.faxlan.modem.oracle.ModemOracle.Modem;
import dev.faxlan.modem.oracle.ModemOracle.Received;
import dev.faxlan.modem.testsupport.Line;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * V.27ter against spandsp 0.0.6's modem, sample for sample: our transmitter decoded by spandsp's
 * receiver and spandsp's transmitter decoded by ours, bit-exact from the first data bit.
 */
class V27terSpandspIT {

    static byte[] data(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String lawArg(G711 law) {
        return law == G711.ALAW ? "alaw" : "ulaw";
    }

    private static byte[] octets(short[] samples, G711 law) {
        byte[] b = new byte[samples.length];
        for (int i = 0; i < samples.length; i++) b[i] = law.encode(samples[i]);
        return b;
    }

    @ParameterizedTest(name = "{0} bit/s, {1}")
    @CsvSource({"2400, LINEAR", "4800, LINEAR", "2400, ALAW", "4800, ALAW", "2400, ULAW", "4800, ULAW"})
    void spandspDecodesOurTransmitter(int rate, String path) throws Exception {
        byte[] sent = data(rate + path.hashCode(), 3000);
        short[] ours = V27terLink.transmit(rate, -14, sent);
        Received got;
        if (path.equals("LINEAR")) {
            got = ModemOracle.receive(Modem.V27TER, rate, ModemOracle.line(ours), "--count", "3000");
        } else {
            G711 law = G711.valueOf(path);
            got = ModemOracle.receive(Modem.V27TER, rate, octets(ours, law), "--law", lawArg(law), "--count", "3000");
        }
        assertThat(got.trained()).as("spandsp trained on ours: %s", got.log()).isTrue();
        assertThat(got.carriers()).isEqualTo(1);
        assertThat(got.data()).isEqualTo(sent);
    }

    @ParameterizedTest(name = "{0} bit/s, {1}, {2} dBm0")
    @CsvSource({"2400, LINEAR, -10", "4800, LINEAR, -10", "2400, LINEAR, -40", "4800, LINEAR, -40",
            "2400, ALAW, -10", "4800, ALAW, -40", "2400, ULAW, -40", "4800, ULAW, -10",
            "2400, ALAW, -40", "4800, ALAW, -10", "2400, ULAW, -10", "4800, ULAW, -40"})
    void weDecodeSpandspsTransmitter(int rate, String path, double dbm0) throws Exception {
        byte[] sent = data(rate * 7L + path.hashCode() + (long) dbm0, 3000);
        short[] theirs = ModemOracle.samples(
                ModemOracle.transmit(Modem.V27TER, rate, sent, "--level", Double.toString(dbm0)));
        short[] line = Line.throughG711(Line.pad(theirs, 800), path.equals("LINEAR") ? null : G711.valueOf(path));

        V27terLink.Received got = V27terLink.receive(rate, line, 160);

        assertThat(got.events).containsExactly("up", "down");
        assertThat(got.data(0, sent.length)).isEqualTo(sent);
    }
}
