package dev.faxlan.modem.v17;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.modem.g711.G711;
import dev.faxlan.modem.hdlc.HdlcTransmitter;
import dev.faxlan.modem.testsupport.ByteBits;
import dev.faxlan.modem.testsupport.Line;
import dev.faxlan.modem.tone.ToneGenerator;
import dev.faxlan.modem.v21.V21Channel;
import dev.faxlan.modem.v21.V21Transmitter;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our V.17 transmitter into our receiver on a clean line. */
class V17Test {

    static ByteBits.Collector receive(int rate, boolean shortTraining, short[] line) {
        ByteBits.Collector c = new ByteBits.Collector();
        Line.feed(new V17Receiver(rate, shortTraining, c), line, 160);
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
        ByteBits.Collector c = receive(rate, false, line);
        assertThat(c.events).containsExactly("up", "down");
        assertThat(Arrays.copyOf(c.carrier(0), data.length)).isEqualTo(data);
    }

    static short[] transmit(int rate, boolean shortTraining, double level, byte[] data) {
        return Line.drain(new V17Transmitter(rate, shortTraining, level, ByteBits.source(data)), 60 * 8000);
    }

    /**
     * T.30's order on one receiver object: TCF long-trained, 75 ms, a page short-trained, then (as
     * after FTT or a new DCS) a long-trained TCF again and a short-trained page, 75 ms between each:
     * the receiver tells the long training from the short one by itself.
     */
    @ParameterizedTest
    @ValueSource(ints = {14400, 12000, 9600, 7200})
    void tcfThenShortTrainedPagesOnOneReceiver(int rate) {
        byte[] tcf = new byte[rate * 3 / 2 / 8];
        byte[] page1 = new byte[5000];
        byte[] page2 = new byte[3000];
        new Random(rate).nextBytes(page1);
        new Random(rate + 1).nextBytes(page2);
        short[] line = gapped(600, transmit(rate, false, -14, tcf), transmit(rate, true, -14, page1),
                transmit(rate, false, -14, tcf), transmit(rate, true, -14, page2));
        ByteBits.Collector c = receive(rate, true, line);
        assertThat(c.events).containsExactly("up", "down", "up", "down", "up", "down", "up", "down");
        assertThat(Arrays.copyOf(c.carrier(0), tcf.length)).isEqualTo(tcf);
        assertThat(Arrays.copyOf(c.carrier(1), page1.length)).isEqualTo(page1);
        assertThat(Arrays.copyOf(c.carrier(2), tcf.length)).isEqualTo(tcf);
        assertThat(Arrays.copyOf(c.carrier(3), page2.length)).isEqualTo(page2);
    }

    /** With short training off, every carrier is long-trained, and two in a row are both received. */
    @Test
    void twoLongTrainedCarriers() {
        byte[] a = new byte[2000];
        byte[] b = new byte[2000];
        new Random(1).nextBytes(a);
        new Random(2).nextBytes(b);
        ByteBits.Collector c = receive(9600, false, gapped(600, transmit(9600, false, -14, a), transmit(9600, false, -14, b)));
        assertThat(c.events).containsExactly("up", "down", "up", "down");
        assertThat(Arrays.copyOf(c.carrier(0), a.length)).isEqualTo(a);
        assertThat(Arrays.copyOf(c.carrier(1), b.length)).isEqualTo(b);
    }

    /** A long-trained carrier where the receiver expects a short one is not taken for data. */
    @Test
    void shortTrainingWithoutAnEarlierLongOneIsNotData() {
        byte[] a = new byte[500];
        ByteBits.Collector c = receive(14400, true, gapped(600, transmit(14400, true, -14, a)));
        assertThat(c.events).doesNotContain("up");
    }

    static short[] gapped(int gap, short[]... carriers) {
        int n = gap;
        for (short[] c : carriers) {
            n += c.length + gap;
        }
        short[] out = new short[n];
        int pos = gap;
        for (short[] c : carriers) {
            System.arraycopy(c, 0, out, pos, c.length);
            pos += c.length + gap;
        }
        return out;
    }

    /** Our transmitter to our receiver through a line: level, clock offset, noise, G.711. */
    @Property(tries = 12)
    void roundTripThroughLine(@ForAll("rates") int rate, @ForAll("levels") double level, @ForAll("ppms") double ppm,
            @ForAll("laws") G711 law, @ForAll @Size(min = 1, max = 2000) byte[] data) {
        double[] x = Line.pad(transmit(rate, false, level, data), 800);
        x = Line.resample(x, ppm);
        Line.addNoise(x, level - 30, new Random(data.length));
        ByteBits.Collector c = receive(rate, false, Line.throughG711(x, law));
        assertThat(c.events).as("%d bit/s, %s dBm0, %s ppm, %s", rate, level, ppm, law).startsWith("up");
        assertThat(Arrays.copyOf(c.carrier(0), data.length)).isEqualTo(data);
    }

    @Provide
    Arbitrary<Integer> rates() {
        return Arbitraries.of(14400, 12000, 9600, 7200);
    }

    @Provide
    Arbitrary<Double> levels() {
        return Arbitraries.of(-10.0, -14.0, -26.0, -40.0);
    }

    @Provide
    Arbitrary<Double> ppms() {
        return Arbitraries.of(-100.0, 0.0, 100.0);
    }

    @Provide
    Arbitrary<G711> laws() {
        return Arbitraries.of(G711.ALAW, G711.ULAW);
    }

    /** Silence, white noise, V.21 frames, CNG and CED: no carrierUp, no bits, no training failures. */
    @Test
    void otherSignalsAreNotV17() {
        Random r = new Random(5);
        double[] noise = new double[8000 * 3];
        Line.addNoise(noise, -20, r);
        short[] v21 = Line.drain(new V21Transmitter(V21Channel.CHANNEL_2,
                HdlcTransmitter.forT30(List.of(new byte[] {(byte) 0xFF, 0x13, (byte) 0x80, 0, 0x0E, (byte) 0xEA}))), 8000 * 5);
        short[][] signals = {new short[8000 * 3], Line.throughG711(noise, G711.ALAW), v21,
            Line.drain(ToneGenerator.cng(-11), 8000 * 4), Line.drain(ToneGenerator.ced(-11, 8000 * 3), 8000 * 4)};
        for (int rate : new int[] {14400, 7200}) {
            for (short[] s : signals) {
                ByteBits.Collector c = receive(rate, true, gapped(800, s, s));
                assertThat(c.events).isEmpty();
                assertThat(c.bits()).isZero();
            }
        }
    }

    /** A carrier that ends in the middle of its CDBA segment: trainingFailed, no carrierUp, no bits. */
    @Test
    void carrierCutShortInTrainingFails() {
        short[] tx = transmit(14400, false, -14, new byte[3000]);
        ByteBits.Collector c = receive(14400, true, gapped(800, Arrays.copyOf(tx, 8000 * 6 / 10)));
        assertThat(c.events).containsExactly("failed");
        assertThat(c.bits()).isZero();
    }

    /** 14400 bit/s under noise only 8 dB below it trains on nothing: trainingFailed, and the next clean carrier still trains. */
    @Test
    void tooNoisyForTheRateFailsThenRecovers() {
        byte[] data = new byte[3000];
        new Random(8).nextBytes(data);
        double[] noisy = Line.pad(transmit(14400, false, -14, data), 0);
        Line.addNoise(noisy, -14 - 8, new Random(8));
        short[] line = gapped(800, Line.throughG711(noisy, null), transmit(14400, false, -14, data));
        ByteBits.Collector c = receive(14400, false, line);
        assertThat(c.events).containsExactly("failed", "up", "down");
        assertThat(Arrays.copyOf(c.carrier(0), data.length)).isEqualTo(data);
    }

    /** The carrier up to 10 Hz off (V.17 asks receivers for 7; an analogue leg shifts frequency), long then short training. */
    @ParameterizedTest
    @ValueSource(doubles = {10, -10, 7, -7})
    void carrierOffset(double hz) {
        for (int rate : new int[] {14400, 9600}) {
            byte[] tcf = new byte[rate * 3 / 2 / 8];
            byte[] page = new byte[4000];
            new Random(rate).nextBytes(page);
            short[] line = gapped(600, transmit(rate, false, -14, tcf), transmit(rate, true, -14, page));
            double[] x = CarrierOffset.shift(Line.pad(line, 0), hz);
            ByteBits.Collector c = receive(rate, true, Line.throughG711(x, G711.ALAW));
            assertThat(c.events).as("%d bit/s, %s Hz", rate, hz).containsExactly("up", "down", "up", "down");
            assertThat(Arrays.copyOf(c.carrier(1), page.length)).as("%d bit/s, %s Hz", rate, hz).isEqualTo(page);
        }
    }

    /**
     * carrierDown comes during the transmitter's closing 48 symbols of silence (160 samples), not
     * before them, so no closing one is lost and the front end can start its 75 ms turnaround.
     */
    @ParameterizedTest
    @ValueSource(ints = {14400, 7200})
    void carrierDownComesWithTheClosingSilence(int rate) {
        short[] tx = transmit(rate, false, -14, new byte[1000]);
        short[] line = gapped(2000, tx);
        long[] down = {-1};
        V17Receiver rx = new V17Receiver(rate, false, new dev.faxlan.modem.BitSink() {
            @Override
            public void bit(int bit) {
            }

            @Override
            public void carrierDown(long sample) {
                down[0] = sample;
            }
        });
        rx.receive(line, 0, line.length);
        long silenceStarts = 2000 + tx.length - 160;
        assertThat(down[0]).isBetween(silenceStarts, silenceStarts + 160 + 80);
    }
}
