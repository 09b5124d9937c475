package dev.faxlan.modem.v27ter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.modem.BitSource;
import dev.faxlan.modem.Levels;
import dev.faxlan.modem.g711.G711;
import dev.faxlan.modem.hdlc.HdlcTransmitter;
import dev.faxlan.modem.testsupport.ByteBits;
import dev.faxlan.modem.testsupport.Line;
import dev.faxlan.modem.tone.ToneGenerator;
import dev.faxlan.modem.v21.V21Channel;
import dev.faxlan.modem.v21.V21Transmitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our V.27ter transmitter into our receiver, and what the receiver must ignore. */
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

        ByteBits.Collector got = V27terLink.receive(rate, line, 160);

        assertThat(got.events).containsExactly("up", "down");
        assertThat(got.carrier(0, sent.length)).isEqualTo(sent);
    }

    /** The same bits whatever block size the samples arrive in, down to one sample. */
    @ParameterizedTest(name = "{0} bit/s")
    @ValueSource(ints = {2400, 4800})
    void blockSizeDoesNotMatter(int rate) {
        byte[] sent = data(rate + 1, 300);
        short[] line = Line.throughG711(Line.pad(V27terLink.transmit(rate, -20, sent), 800), G711.ULAW);

        ByteBits.Collector whole = V27terLink.receive(rate, line, line.length);
        ByteBits.Collector single = V27terLink.receive(rate, line, 1);
        ByteBits.Collector odd = V27terLink.receive(rate, line, 37);

        assertThat(whole.carrier(0, sent.length)).isEqualTo(sent);
        assertThat(single.carrier(0)).isEqualTo(whole.carrier(0));
        assertThat(odd.carrier(0)).isEqualTo(whole.carrier(0));
    }

    /** The training as fax sends it: 32 symbols of silence, 50 reversals, 1074 scrambled, 8 of ones, data. */
    @ParameterizedTest(name = "{0} bit/s")
    @ValueSource(ints = {2400, 4800})
    void trainingLengthAndLevel(int rate) {
        short[] none = V27terLink.transmit(rate, -14, new byte[0]);
        int baud = rate == 4800 ? 1600 : 1200;
        int symbols = 32 + 50 + 1074 + 8 + 32 + 10;   // with the closing ones and the pulse's ring-out
        assertThat(none.length).isBetween(symbols * 8000 / baud - 8, symbols * 8000 / baud + 8);

        short[] page = V27terLink.transmit(rate, -23, data(3, 3000));
        short[] carrier = java.util.Arrays.copyOfRange(page, 8000, page.length - 8000);
        assertThat(Levels.dbm0(Line.meanSquare(carrier))).isCloseTo(-23, org.assertj.core.data.Offset.offset(0.3));
    }

    @Test
    void theSourceIsNotAskedAgainAfterItEnded() {
        int[] calls = {0};
        BitSource once = () -> ++calls[0] <= 5 ? 1 : BitSource.END;
        Line.drain(new V27terTransmitter(4800, -14, once), 8000 * 5);
        assertThat(calls[0]).isEqualTo(6);
    }

    @Test
    void onlyTheTwoRates() {
        assertThatThrownBy(() -> new V27terTransmitter(9600, -14, () -> BitSource.END))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("9600");
        assertThatThrownBy(() -> new V27terReceiver(7200, new ByteBits.Collector()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A training whose last part is drowned: the receiver says so, and the carrier's end. */
    @ParameterizedTest(name = "{0} bit/s")
    @ValueSource(ints = {2400, 4800})
    void aTrainingThatEndsInNoiseFails(int rate) {
        short[] sent = V27terLink.transmit(rate, -14, data(5, 500));
        int baud = rate == 4800 ? 1600 : 1200;
        int from = (32 + 50 + 1074 - 40) * 8000 / baud;
        Random r = new Random(1);
        double sigma = Math.sqrt(Levels.meanSquare(-14));
        for (int i = from; i < sent.length; i++) {
            sent[i] = (short) Math.round(sigma * r.nextGaussian());
        }

        ByteBits.Collector got = V27terLink.receive(rate, Line.throughG711(Line.pad(sent, 800), null), 160);

        assertThat(got.events).containsExactly("failed", "down");
        assertThat(got.bits()).isZero();
    }

    /** A carrier cut off after its reversals and a few scrambled symbols: too short to train. */
    @ParameterizedTest(name = "{0} bit/s")
    @ValueSource(ints = {2400, 4800})
    void aCarrierCutShortFailsItsTraining(int rate) {
        short[] sent = V27terLink.transmit(rate, -14, data(6, 500));
        int baud = rate == 4800 ? 1600 : 1200;
        short[] cut = java.util.Arrays.copyOf(sent, (32 + 50 + 10) * 8000 / baud);

        ByteBits.Collector got = V27terLink.receive(rate, Line.throughG711(Line.pad(cut, 800), null), 160);

        assertThat(got.events).containsExactly("failed", "down");
        assertThat(got.bits()).isZero();
    }

    @ParameterizedTest(name = "{0} bit/s")
    @ValueSource(ints = {2400, 4800})
    void silenceAndNoiseAreIgnored(int rate) {
        double[] line = new double[8000 * 5];
        Line.addNoise(line, -30, new Random(rate));
        short[] noisy = Line.throughG711(Line.pad(Line.throughG711(line, null), 8000), G711.ALAW);

        assertThat(V27terLink.receive(rate, noisy, 160).events).isEmpty();
        assertThat(V27terLink.receive(rate, new short[8000], 160).events).isEmpty();
    }

    @ParameterizedTest(name = "{0} bit/s")
    @ValueSource(ints = {2400, 4800})
    void v21AndTonesAreIgnored(int rate) {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            frames.add(data(i, 30));
        }
        short[] v21 = Line.drain(new V21Transmitter(V21Channel.CHANNEL_2, HdlcTransmitter.forT30(frames)), 8000 * 10);
        short[] ced = Line.drain(ToneGenerator.ced(-11, 8000 * 3), 8000 * 4);
        short[] ansam = Line.drain(ToneGenerator.ansam(-11, 8000 * 3), 8000 * 4);
        short[] cng = Line.drain(ToneGenerator.cng(-11), 8000 * 4);
        short[] carrierOnly = new short[8000 * 2];
        for (int i = 0; i < carrierOnly.length; i++) {
            carrierOnly[i] = (short) Math.round(Levels.sinePeak(-14) * Math.cos(2 * Math.PI * 1800 * i / 8000.0));
        }
        for (short[] s : List.of(v21, ced, ansam, cng, carrierOnly)) {
            assertThat(V27terLink.receive(rate, Line.throughG711(Line.pad(s, 800), G711.ULAW), 160).events).isEmpty();
        }
    }

    /** A 4800 bit/s receiver on a 2400 bit/s carrier (and the reverse) does not claim it. */
    @Test
    void theWrongRateIsNotTrained() {
        short[] at2400 = Line.throughG711(Line.pad(V27terLink.transmit(2400, -14, data(1, 500)), 800), null);
        short[] at4800 = Line.throughG711(Line.pad(V27terLink.transmit(4800, -14, data(1, 500)), 800), null);
        assertThat(V27terLink.receive(4800, at2400, 160).events).doesNotContain("up");
        assertThat(V27terLink.receive(2400, at4800, 160).events).doesNotContain("up");
    }

    /** Symbol timing is followed, not just corrected once: 20 s of data with the clocks 1000 ppm apart. */
    @ParameterizedTest(name = "{0} bit/s")
    @ValueSource(ints = {2400, 4800})
    void clocksFarApartOverALongCarrier(int rate) {
        byte[] sent = data(rate * 11L, rate * 20 / 8);
        double[] line = Line.pad(V27terLink.transmit(rate, -20, sent), 800);
        for (double ppm : new double[] {-1000, 1000}) {
            ByteBits.Collector got = V27terLink.receive(rate, Line.throughG711(Line.resample(line, ppm), null), 160);
            assertThat(got.events).as("%.0f ppm", ppm).containsExactly("up", "down");
            assertThat(got.carrier(0, sent.length)).as("%.0f ppm", ppm).isEqualTo(sent);
        }
    }
}
