package dev.faxlan.modem.v29;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.modem.Levels;
import dev.faxlan.modem.g711.G711;
import dev.faxlan.modem.testsupport.ByteBits;
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

    static ByteBits.Collector receive(int rate, short[] line, int block) {
        ByteBits.Collector sink = new ByteBits.Collector();
        Line.feed(new V29Receiver(rate, sink), line, block);
        return sink;
    }

    @ParameterizedTest(name = "{0} bit/s")
    @ValueSource(ints = {7200, 9600})
    void loopbackIsBitExact(int rate) {
        byte[] sent = data(rate, 2000);
        short[] line = Line.throughG711(Line.pad(V29SpandspIT.transmit(rate, -14, sent), 800), null);

        ByteBits.Collector sink = receive(rate, line, 160);

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

    /** A carrier that stops in the middle of segment 3, after the receiver has started training on it. */
    @ParameterizedTest(name = "{0} bit/s")
    @ValueSource(ints = {7200, 9600})
    void aCarrierCutShortFailsItsTraining(int rate) {
        short[] full = V29SpandspIT.transmit(rate, -14, data(3, 500));
        int cut = (V29Signal.SEGMENT_1 + V29Signal.SEGMENT_2 + V29Signal.SEGMENT_3 / 2) * 10 / 3;
        short[] line = Line.throughG711(Line.pad(java.util.Arrays.copyOf(full, cut), 800), null);

        ByteBits.Collector sink = receive(rate, line, 160);

        assertThat(sink.events).containsExactly("failed", "down");
        assertThat(sink.bits()).isZero();
    }

    /** After the last data bit: the closing ones, then at most a little noise before carrierDown. */
    @ParameterizedTest(name = "{0} bit/s")
    @ValueSource(ints = {7200, 9600})
    void theCarrierEndsSoonAfterTheClosingOnes(int rate) {
        byte[] sent = data(4, 1000);
        short[] line = Line.throughG711(Line.pad(V29SpandspIT.transmit(rate, -14, sent), 800), null);

        ByteBits.Collector sink = receive(rate, line, 160);

        long extra = sink.bits() - sent.length * 8L;
        int closing = V29Signal.CLOSING_ONES * rate / 2400;
        System.out.printf("V.29 %d: %d bits after the data (%d closing ones)%n", rate, extra, closing);
        assertThat(extra).isBetween((long) closing - 8, (long) closing + 40L * rate / 2400);
        byte[] tail = java.util.Arrays.copyOfRange(sink.carrier(0), sent.length, sent.length + closing / 8 - 1);
        for (byte b : tail) {
            assertThat(b & 0xFF).isEqualTo(0xFF);
        }
    }

    /** V.29 asks a receiver to cope with a carrier up to 7 Hz off (an analogue leg's frequency shift); we take 10. */
    @ParameterizedTest(name = "{0} bit/s, {1} Hz")
    @org.junit.jupiter.params.provider.CsvSource({"9600, 7", "9600, -10", "7200, -7", "7200, 10"})
    void aCarrierOffsetIsFollowed(int rate, double hz) {
        byte[] sent = data(5, 3000);
        double[] x = FrequencyShift.shift(Line.pad(V29SpandspIT.transmit(rate, -14, sent), 800), hz);

        ByteBits.Collector sink = receive(rate, Line.throughG711(x, G711.ALAW), 160);

        assertThat(sink.events).containsExactly("up", "down");
        assertThat(sink.carrier(0, sent.length)).isEqualTo(sent);
    }
}
