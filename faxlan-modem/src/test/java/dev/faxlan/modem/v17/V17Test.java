package dev.faxlan.modem.v17;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our V.17 transmitter into our receiver on a clean line. */
class V17Test {

    static V17Bits.Collector receive(int rate, boolean shortTraining, short[] line) {
        V17Bits.Collector c = new V17Bits.Collector();
        V17Receiver rx = new V17Receiver(rate, shortTraining, c);
        for (int off = 0; off < line.length; off += 160) {
            rx.receive(line, off, Math.min(160, line.length - off));
        }
        return c;
    }

    static short[] withSilence(short[]... carriers) {
        int n = 800;
        for (short[] c : carriers) {
            n += c.length + 800;
        }
        short[] out = new short[n];
        int pos = 800;
        for (short[] c : carriers) {
            System.arraycopy(c, 0, out, pos, c.length);
            pos += c.length + 800;
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {14400, 12000, 9600, 7200})
    void roundTripLongTraining(int rate) {
        byte[] data = new byte[3000];
        new Random(rate).nextBytes(data);
        short[] line = withSilence(V17SpandspIT.transmit(rate, false, -14, data));
        V17Bits.Collector c = receive(rate, false, line);
        assertThat(c.events).containsExactly("up", "down");
        assertThat(Arrays.copyOf(c.carrier(0), data.length)).isEqualTo(data);
    }
}
