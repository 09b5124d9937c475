package dev.faxlan.modem.v29;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.modem.hdlc.HdlcTransmitter;
import dev.faxlan.modem.testsupport.ByteBits;
import dev.faxlan.modem.testsupport.Line;
import dev.faxlan.modem.tone.ToneGenerator;
import dev.faxlan.modem.v21.V21Channel;
import dev.faxlan.modem.v21.V21Transmitter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What is not a V.29 carrier makes the receiver say nothing: no carrierUp, no trainingFailed, no bits. */
class V29QuietTest {

    private static void assertSilent(int rate, short[] line) {
        ByteBits.Collector sink = V29Test.receive(rate, line, 160);
        assertThat(sink.events).isEmpty();
        assertThat(sink.bits()).isZero();
    }

    @ParameterizedTest(name = "{0} bit/s")
    @ValueSource(ints = {7200, 9600})
    void silence(int rate) {
        assertSilent(rate, new short[80_000]);
    }

    @ParameterizedTest(name = "{0} bit/s")
    @ValueSource(ints = {7200, 9600})
    void whiteNoiseAtMinus20And0Dbm0(int rate) {
        for (double dbm0 : new double[] {-20, 0}) {
            double[] x = new double[80_000];
            Line.addNoise(x, dbm0, new Random(rate + (long) dbm0));
            assertSilent(rate, Line.throughG711(x, null));
        }
    }

    @ParameterizedTest(name = "{0} bit/s")
    @ValueSource(ints = {7200, 9600})
    void v21Frames(int rate) {
        byte[] dis = new byte[20];
        new Random(rate).nextBytes(dis);
        V21Transmitter tx = new V21Transmitter(V21Channel.CHANNEL_2, HdlcTransmitter.forT30(List.of(dis, dis)));
        assertSilent(rate, Line.drain(tx, 80_000));
    }

    @ParameterizedTest(name = "{0} bit/s")
    @ValueSource(ints = {7200, 9600})
    void cedAndCngTones(int rate) {
        assertSilent(rate, Line.drain(ToneGenerator.ced(-11, 24_000), 24_000));
        assertSilent(rate, Line.drain(ToneGenerator.ansam(-11, 24_000), 24_000));
        assertSilent(rate, Line.drain(ToneGenerator.cng(-11), 40_000));
    }

    /** A V.29 carrier at the other rate trains nothing: segment 2's B differs between 9600 and 7200. */
    @ParameterizedTest(name = "{0} bit/s receiver")
    @ValueSource(ints = {7200, 9600})
    void theOtherRate(int rate) {
        short[] line = V29SpandspIT.transmit(rate == 9600 ? 7200 : 9600, -14, V29Test.data(1, 1000));
        ByteBits.Collector sink = V29Test.receive(rate, Line.throughG711(Line.pad(line, 800), null), 160);
        assertThat(sink.events).doesNotContain("up");
        assertThat(sink.bits()).isZero();
    }
}
