package dev.faxlan.modem.v29;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.modem.Levels;
import dev.faxlan.modem.g711.G711;
import dev.faxlan.modem.testsupport.Line;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our V.29 transmitter to our receiver, with and without line impairments. */
class V29Test {

    static byte[] data(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static ByteBits.Sink receive(int rate, short[] line, int block) {
        ByteBits.Sink sink = new ByteBits.Sink();
        V29Receiver rx = new V29Receiver(rate, sink);
        for (int off = 0; off < line.length; off += block) {
            rx.receive(line, off, Math.min(block, line.length - off));
        }
        return sink;
    }

    @ParameterizedTest(name = "{0} bit/s")
    @ValueSource(ints = {7200, 9600})
    void loopbackIsBitExact(int rate) {
        byte[] sent = data(rate, 2000);
        short[] line = Line.throughG711(Line.pad(V29SpandspIT.transmit(rate, -14, sent), 800), null);

        ByteBits.Sink sink = receive(rate, line, 160);

        assertThat(sink.events).containsExactly("up", "down");
        assertThat(sink.carrier(0, sent.length)).isEqualTo(sent);
    }

    @Test
    void theTransmitterSendsAtTheLevelAskedFor() {
        short[] line = V29SpandspIT.transmit(9600, -20, data(1, 3000));
        // The data part only: after the 253 ms of training.
        short[] dataPart = java.util.Arrays.copyOfRange(line, 2400, line.length - 200);
        assertThat(Levels.dbm0(Line.meanSquare(dataPart))).isBetween(-20.5, -19.5);
    }
}
