package dev.faxlan.modem.v17;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.modem.g711.G711;
import dev.faxlan.modem.oracle.ModemOracle;
import dev.faxlan.modem.oracle.ModemOracle.Modem;
import dev.faxlan.modem.oracle.ModemOracle.Received;
import dev.faxlan.modem.testsupport.Line;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * V.17 against spandsp 0.0.6, sample for sample: our transmitter decoded by spandsp's receiver
 * bit-exact, and spandsp's transmitter decoded by ours.
 */
class V17SpandspIT {

    static byte[] data(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static short[] transmit(int rate, boolean shortTraining, double level, byte[] data) {
        return Line.drain(new V17Transmitter(rate, shortTraining, level, V17Bits.source(data)), 60 * 8000);
    }

    /** Every rate, linear and both laws: spandsp's receiver gets exactly our data. */
    @ParameterizedTest
    @ValueSource(ints = {14400, 12000, 9600, 7200})
    void spandspReceivesOurTransmitter(int rate) throws Exception {
        byte[] data = data(rate, 3000);
        short[] line = transmit(rate, false, -14, data);
        for (G711 law : new G711[] {null, G711.ALAW, G711.ULAW}) {
            byte[] bytes;
            String[] opts;
            if (law == null) {
                bytes = Line.toLittleEndian(line);
                opts = new String[] {"--count", Integer.toString(data.length)};
            } else {
                bytes = new byte[line.length];
                for (int i = 0; i < line.length; i++) {
                    bytes[i] = law.encode(line[i]);
                }
                opts = new String[] {"--count", Integer.toString(data.length), "--law", law == G711.ALAW ? "alaw" : "ulaw"};
            }
            Received r = ModemOracle.receive(Modem.V17, rate, bytes, opts);
            assertThat(r.trained()).as("spandsp trained on our %d carrier (%s): %s", rate, law, r.log()).isTrue();
            assertThat(r.carriers()).isEqualTo(1);
            assertThat(Arrays.equals(r.data(), data)).as("spandsp's bits from our %d carrier (%s)", rate, law).isTrue();
        }
    }

    /** TCF long-trained, 75 ms of silence, then a page short-trained: spandsp receives both (every rate, A-law). */
    @ParameterizedTest
    @ValueSource(ints = {14400, 12000, 9600, 7200})
    void spandspReceivesOurLongThenShortTraining(int rate) throws Exception {
        byte[] tcf = new byte[rate * 3 / 2 / 8];
        byte[] page = data(rate + 1, 4000);
        short[] first = transmit(rate, false, -14, tcf);
        short[] second = transmit(rate, true, -14, page);
        short[] line = new short[first.length + 600 + second.length];
        System.arraycopy(first, 0, line, 0, first.length);
        System.arraycopy(second, 0, line, first.length + 600, second.length);
        byte[] bytes = new byte[line.length];
        for (int i = 0; i < line.length; i++) {
            bytes[i] = G711.ALAW.encode(line[i]);
        }
        Received r = ModemOracle.receive(Modem.V17, rate, bytes, "--short-train", "--law", "alaw",
                "--count", tcf.length + "," + page.length);
        assertThat(r.trained()).as("spandsp trained on both carriers: %s", r.log()).isTrue();
        assertThat(r.carriers()).isEqualTo(2);
        byte[] expected = new byte[tcf.length + page.length];
        System.arraycopy(page, 0, expected, tcf.length, page.length);
        assertThat(Arrays.equals(r.data(), expected)).as("TCF zeros then the page, bit-exact").isTrue();
    }

    /** Our level is spandsp's: both at -14 dBm0 send the same mean power over a long carrier, within 0.2 dB. */
    @ParameterizedTest
    @ValueSource(ints = {14400, 7200})
    void levelMatchesSpandsp(int rate) throws Exception {
        byte[] data = data(5, 20000);
        short[] ours = transmit(rate, false, -14, data);
        short[] theirs = ModemOracle.samples(ModemOracle.transmit(Modem.V17, rate, data));
        double db = 10 * Math.log10(Line.meanSquare(ours) / Line.meanSquare(theirs));
        assertThat(Math.abs(db)).as("our power over spandsp's, dB").isLessThan(0.2);
    }

    /** spandsp's transmitter at {@code level}, through a line, into our receiver. */
    static V17Bits.Collector ours(int rate, byte[] data, double level, double ppm, double snrDb, G711 law, long seed,
            String... txOptions) throws Exception {
        String[] opts = Arrays.copyOf(txOptions, txOptions.length + 2);
        opts[txOptions.length] = "--level";
        opts[txOptions.length + 1] = Double.toString(level);
        short[] tx = ModemOracle.samples(ModemOracle.transmit(Modem.V17, rate, data, opts));
        double[] x = Line.pad(tx, 800);
        if (ppm != 0) {
            x = Line.resample(x, ppm);
        }
        if (!Double.isNaN(snrDb)) {
            Line.addNoise(x, level - snrDb, new Random(seed));
        }
        short[] line = Line.throughG711(x, law);
        return V17Test.receive(rate, txOptions.length > 0, line);
    }

    static long bitErrors(byte[] sent, byte[] got) {
        long errors = 0;
        for (int i = 0; i < sent.length; i++) {
            errors += Integer.bitCount((sent[i] ^ (i < got.length ? got[i] : ~sent[i])) & 0xFF);
        }
        return errors;
    }

    /** Every rate, linear and both laws, at -10 and -40 dBm0: our receiver gets exactly spandsp's data. */
    @ParameterizedTest
    @ValueSource(ints = {14400, 12000, 9600, 7200})
    void weReceiveSpandspsTransmitter(int rate) throws Exception {
        byte[] data = data(rate + 7, 3000);
        for (G711 law : new G711[] {null, G711.ALAW, G711.ULAW}) {
            for (double level : new double[] {-10, -40}) {
                V17Bits.Collector c = ours(rate, data, level, 0, Double.NaN, law, 1);
                assertThat(c.events).as("%d bit/s, %s, %s dBm0", rate, law, level).containsExactly("up", "down");
                assertThat(bitErrors(data, c.carrier(0))).as("bit errors at %d bit/s, %s, %s dBm0", rate, law, level)
                        .isZero();
            }
        }
    }

    /** White noise 30 dB under the signal and the sample clock 100 ppm fast or slow, A-law: bit-exact. */
    @ParameterizedTest
    @ValueSource(ints = {14400, 12000, 9600, 7200})
    void weReceiveSpandspThroughNoiseAndDrift(int rate) throws Exception {
        byte[] data = data(rate + 11, 20000);
        for (double ppm : new double[] {100, -100}) {
            V17Bits.Collector c = ours(rate, data, -14, ppm, 30, G711.ALAW, rate);
            assertThat(c.events).as("%d bit/s, %s ppm", rate, ppm).containsExactly("up", "down");
            assertThat(bitErrors(data, c.carrier(0))).as("bit errors at %d bit/s, %s ppm, 30 dB SNR", rate, ppm).isZero();
        }
    }

    /** TCF long-trained then a page short-trained, spandsp sending; one receiver object takes both. */
    @ParameterizedTest
    @ValueSource(ints = {14400, 12000, 9600, 7200})
    void weReceiveSpandspsLongThenShortTraining(int rate) throws Exception {
        int tcf = rate * 3 / 2 / 8;
        byte[] data = new byte[tcf + 4000];
        byte[] page = data(rate + 3, 4000);
        System.arraycopy(page, 0, data, tcf, page.length);
        V17Bits.Collector c = ours(rate, data, -14, 0, Double.NaN, G711.ALAW, 1, "--split", Integer.toString(tcf));
        assertThat(c.events).containsExactly("up", "down", "up", "down");
        assertThat(Arrays.copyOf(c.carrier(0), tcf)).isEqualTo(new byte[tcf]);
        assertThat(bitErrors(page, c.carrier(1))).isZero();
    }
}
