package dev.faxlan.modem.v17;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.modem.g711.G711;
import dev.faxlan.modem.oracle.ModemOracle;
import dev.faxlan.modem.oracle.ModemOracle.Modem;
import dev.faxlan.modem.oracle.ModemOracle.Received;
import dev.faxlan.modem.testsupport.ByteBits;
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
        return Line.drain(new V17Transmitter(rate, shortTraining, level, ByteBits.source(data)), 60 * 8000);
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
    static ByteBits.Collector ours(int rate, byte[] data, double level, double ppm, double snrDb, G711 law, long seed,
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
                ByteBits.Collector c = ours(rate, data, level, 0, Double.NaN, law, 1);
                assertThat(c.events).as("%d bit/s, %s, %s dBm0", rate, law, level).containsExactly("up", "down");
                assertThat(bitErrors(data, c.carrier(0))).as("bit errors at %d bit/s, %s, %s dBm0", rate, law, level)
                        .isZero();
            }
        }
    }

    /** White noise 30 dB under the signal and the sample clock 100 ppm fast or slow, both laws: bit-exact. */
    @ParameterizedTest
    @ValueSource(ints = {14400, 12000, 9600, 7200})
    void weReceiveSpandspThroughNoiseAndDrift(int rate) throws Exception {
        byte[] data = data(rate + 11, 20000);
        for (G711 law : G711.values()) {
            for (double ppm : new double[] {100, -100}) {
                ByteBits.Collector c = ours(rate, data, -14, ppm, 30, law, rate);
                assertThat(c.events).as("%d bit/s, %s ppm, %s", rate, ppm, law).containsExactly("up", "down");
                assertThat(bitErrors(data, c.carrier(0))).as("bit errors at %d bit/s, %s ppm, 30 dB SNR, %s", rate, ppm, law)
                        .isZero();
            }
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
        ByteBits.Collector c = ours(rate, data, -14, 0, Double.NaN, G711.ALAW, 1, "--split", Integer.toString(tcf));
        assertThat(c.events).containsExactly("up", "down", "up", "down");
        assertThat(Arrays.copyOf(c.carrier(0), tcf)).isEqualTo(new byte[tcf]);
        assertThat(bitErrors(page, c.carrier(1))).isZero();
    }

    /**
     * White noise 20 dB under the signal from the carrier's first sample, A-law, 240,000 bits: our bit
     * errors against spandsp's receiver on the same line. 9600 and 7200 must be error-free; no rate may
     * do worse than spandsp. Measured: 14400 215 (spandsp 8,809), 12000 0 (spandsp 73), 9600 and 7200 0.
     */
    @ParameterizedTest
    @ValueSource(ints = {14400, 12000, 9600, 7200})
    void noiseAt20DbSnrAgainstSpandsp(int rate) throws Exception {
        byte[] data = data(rate, 30000);
        short[] tx = ModemOracle.samples(ModemOracle.transmit(Modem.V17, rate, data));
        // No leading silence: spandsp's receiver, once it has tried to train on noise alone, waits for the noise to stop.
        double[] x = Line.pad(tx, 0);
        Line.addNoise(x, -14 - 20, new Random(3));
        short[] line = Line.throughG711(x, G711.ALAW);
        ByteBits.Collector c = V17Test.receive(rate, false, line);
        long ours = c.carriers() == 0 ? data.length * 8L : bitErrors(data, c.carrier(0));
        byte[] law = new byte[line.length];
        for (int i = 0; i < line.length; i++) {
            law[i] = G711.ALAW.encode(line[i]);
        }
        Received r = ModemOracle.receive(Modem.V17, rate, law, "--law", "alaw", "--count", Integer.toString(data.length));
        long theirs = bitErrors(data, r.data());
        System.out.printf("V.17 %d at 20 dB SNR: faxlan %d bit errors, spandsp %d, in %d bits%n", rate, ours, theirs,
                data.length * 8);
        assertThat(c.events).startsWith("up");
        assertThat(ours).as("our bit errors at %d bit/s (spandsp's: %d)", rate, theirs).isLessThanOrEqualTo(theirs);
        if (rate <= 9600) {
            assertThat(ours).isZero();
        }
    }

    /**
     * spandsp's TCF then short-trained page through impairments: 30 dB SNR with +-100 ppm, and -30
     * dBm0, A-law; our receiver (one object) must get the page bit-exact. spandsp 0.0.6's own receiver
     * fails the 14400 short training in these two cells (docs/fax-engine.md, audio fax test harness);
     * that is a fact about the oracle and does not lower the bar for ours.
     */
    @ParameterizedTest
    @ValueSource(ints = {14400, 12000, 9600, 7200})
    void weReceiveSpandspsShortTrainingThroughImpairments(int rate) throws Exception {
        int tcf = rate * 3 / 2 / 8;
        byte[] data = new byte[tcf + 6000];
        byte[] page = data(rate + 5, 6000);
        System.arraycopy(page, 0, data, tcf, page.length);
        String[] split = {"--split", Integer.toString(tcf)};
        for (double ppm : new double[] {100, -100}) {
            ByteBits.Collector c = ours(rate, data, -14, ppm, 30, G711.ALAW, rate, split);
            assertThat(c.events).as("%d bit/s, 30 dB SNR, %s ppm", rate, ppm).containsExactly("up", "down", "up", "down");
            assertThat(bitErrors(page, c.carrier(1))).as("page bit errors, %d bit/s, %s ppm", rate, ppm).isZero();
        }
        ByteBits.Collector c = ours(rate, data, -30, 0, Double.NaN, G711.ALAW, 1, split);
        assertThat(c.events).as("%d bit/s, -30 dBm0", rate).containsExactly("up", "down", "up", "down");
        assertThat(bitErrors(page, c.carrier(1))).as("page bit errors, %d bit/s, -30 dBm0", rate).isZero();
    }

    /** spandsp's TCF then short-trained page with the carrier 7 Hz off either way, A-law: bit-exact. */
    @ParameterizedTest
    @ValueSource(doubles = {7, -7})
    void weReceiveSpandspWithTheCarrierOff(double hz) throws Exception {
        for (int rate : new int[] {14400, 7200}) {
            int tcf = rate * 3 / 2 / 8;
            byte[] data = new byte[tcf + 4000];
            byte[] page = data(rate + 9, 4000);
            System.arraycopy(page, 0, data, tcf, page.length);
            short[] tx = ModemOracle.samples(ModemOracle.transmit(Modem.V17, rate, data, "--split", Integer.toString(tcf)));
            double[] x = CarrierOffset.shift(Line.pad(tx, 800), hz);
            ByteBits.Collector c = V17Test.receive(rate, true, Line.throughG711(x, G711.ALAW));
            assertThat(c.events).as("%d bit/s, %s Hz", rate, hz).containsExactly("up", "down", "up", "down");
            assertThat(bitErrors(page, c.carrier(1))).as("page bit errors, %d bit/s, %s Hz", rate, hz).isZero();
        }
    }

    /** Our transmitter through 30 dB SNR and +-100 ppm, A-law, into spandsp's receiver: bit-exact (long training). */
    @ParameterizedTest
    @ValueSource(ints = {14400, 9600})
    void spandspReceivesOurTransmitterThroughNoiseAndDrift(int rate) throws Exception {
        byte[] data = data(rate + 13, 10000);
        for (double ppm : new double[] {100, -100}) {
            double[] x = Line.resample(Line.pad(transmit(rate, false, -14, data), 0), ppm);
            Line.addNoise(x, -14 - 30, new Random(rate));
            short[] line = Line.throughG711(x, G711.ALAW);
            byte[] law = new byte[line.length];
            for (int i = 0; i < line.length; i++) {
                law[i] = G711.ALAW.encode(line[i]);
            }
            Received r = ModemOracle.receive(Modem.V17, rate, law, "--law", "alaw", "--count", Integer.toString(data.length));
            assertThat(r.trained()).as("spandsp trained, %d bit/s, %s ppm: %s", rate, ppm, r.log()).isTrue();
            assertThat(bitErrors(data, r.data())).as("spandsp's bit errors, %d bit/s, %s ppm", rate, ppm).isZero();
        }
    }
}
