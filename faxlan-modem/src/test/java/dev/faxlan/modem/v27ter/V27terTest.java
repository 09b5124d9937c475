package dev.faxlan.modem.v27ter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.modem.testsupport.Line;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our V.27ter transmitter into our receiver. */
class V27terTest {

    static byte[] data(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @ParameterizedTest(name = "{0} bit/s")
    @ValueSource(ints = {2400, 4800})
    void roundTripIsBitExact(int rate) {
        byte[] sent = data(rate, 2000);
        short[] line = Line.throughG711(Line.pad(V27terLink.transmit(rate, -14, sent), 800), null);

        V27terLink.Received got = V27terLink.receive(rate, line, 160);

        assertThat(got.events).containsExactly("up", "down");
        assertThat(got.data(0, sent.length)).isEqualTo(sent);
    }
}
