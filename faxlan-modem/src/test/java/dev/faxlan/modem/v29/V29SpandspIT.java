package dev.faxlan.modem.v29;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.modem.g711.G711;
import dev.faxlan.modem.oracle.ModemOracle;
import dev.faxlan.modem.oracle.ModemOracle.Modem;
import dev.faxlan.modem.oracle.ModemOracle.Received;
import dev.faxlan.modem.testsupport.ByteBits;
import dev.faxlan.modem.testsupport.Line;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Our V.29 against spandsp 0.0.6's, sample for sample: our transmitter into its receiver, its transmitter into ours. */
class V29SpandspIT {

    static byte[] data(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static short[] transmit(int rate, double dbm0, byte[] data) {
        return Line.drain(new V29Transmitter(rate, dbm0, ByteBits.source(data)), 10_000_000);
    }

    @ParameterizedTest(name = "{0} bit/s, {1}")
    @CsvSource({"9600, linear", "9600, alaw", "9600, ulaw", "7200, linear", "7200, alaw", "7200, ulaw"})
    void ourTransmitterIsDecodedBySpandspBitExact(int rate, String law) throws Exception {
        byte[] sent = data(rate + law.hashCode(), 3000);
        short[] samples = transmit(rate, -14, sent);

        Received got;
        if (law.equals("linear")) {
            got = ModemOracle.receive(Modem.V29, rate, Line.toLittleEndian(samples), "--count", "3000");
        } else {
            G711 g = law.equals("alaw") ? G711.ALAW : G711.ULAW;
            byte[] octets = new byte[samples.length];
            for (int i = 0; i < samples.length; i++) {
                octets[i] = g.encode(samples[i]);
            }
            got = ModemOracle.receive(Modem.V29, rate, octets, "--law", law, "--count", "3000");
        }

        assertThat(got.trained()).as("spandsp trained: %s", got.log()).isTrue();
        assertThat(got.carriers()).isEqualTo(1);
        assertThat(got.data()).isEqualTo(sent);
    }

    /** spandsp's samples at {@code dbm0} (it sends at -14), through {@code law} (or linear). */
    static short[] spandspLine(int rate, byte[] sent, double dbm0, String law) throws Exception {
        short[] theirs = Line.fromLittleEndian(ModemOracle.transmit(Modem.V29, rate, sent, "--level", Double.toString(dbm0)));
        return Line.throughG711(Line.pad(theirs, 800), lawOf(law));
    }

    static G711 lawOf(String law) {
        return switch (law) {
            case "alaw" -> G711.ALAW;
            case "ulaw" -> G711.ULAW;
            default -> null;
        };
    }

    @ParameterizedTest(name = "{0} bit/s, {1}, {2} dBm0")
    @CsvSource({"9600, linear, -10", "9600, alaw, -10", "9600, ulaw, -10", "9600, linear, -40", "9600, alaw, -40",
            "9600, ulaw, -40", "7200, linear, -10", "7200, alaw, -10", "7200, ulaw, -10", "7200, linear, -40",
            "7200, alaw, -40", "7200, ulaw, -40"})
    void spandspsTransmitterIsDecodedByOursBitExact(int rate, String law, double dbm0) throws Exception {
        byte[] sent = data(rate * 7L + law.hashCode() + (long) dbm0, 3000);
        short[] line = spandspLine(rate, sent, dbm0, law);

        ByteBits.Collector sink = V29Test.receive(rate, line, 160);

        assertThat(sink.events).containsExactly("up", "down");
        assertThat(sink.carrier(0, sent.length)).isEqualTo(sent);
    }

    /** Bits of {@code got} that differ from {@code sent}, over the length of {@code sent} (missing bytes count whole). */
    static long bitErrors(byte[] sent, byte[] got) {
        long errors = 0;
        for (int i = 0; i < sent.length; i++) {
            errors += i < got.length ? Integer.bitCount((sent[i] ^ got[i]) & 0xFF) : 8;
        }
        return errors;
    }

    /** spandsp at -14 dBm0 through noise and a sample clock {@code ppm} off, then {@code law}. */
    static short[] impaired(int rate, byte[] sent, double snrDb, double ppm, String law, long seed) throws Exception {
        short[] theirs = Line.fromLittleEndian(ModemOracle.transmit(Modem.V29, rate, sent));
        double[] x = Line.resample(Line.pad(theirs, 800), ppm);
        Line.addNoise(x, -14 - snrDb, new Random(seed));
        return Line.throughG711(x, lawOf(law));
    }

    /**
     * spandsp's carrier at -35 dBm0 with noise {@code snrDb} under it on the whole line: quieter than
     * spandsp's carrier detect (on at -43 dBm0), which otherwise wakes on the noise before the carrier,
     * sets its gain from it and fails the training (0.0.6 does that at 20 dB SNR on a -14 dBm0 carrier).
     */
    static short[] quietNoisyLine(int rate, byte[] sent, double snrDb, String law, long seed) throws Exception {
        short[] theirs = Line.fromLittleEndian(ModemOracle.transmit(Modem.V29, rate, sent, "--level", "-35"));
        double[] x = Line.pad(theirs, 800);
        Line.addNoise(x, -35 - snrDb, new Random(seed));
        return Line.throughG711(x, lawOf(law));
    }

    @ParameterizedTest(name = "{0} bit/s, {1}, {2} ppm")
    @CsvSource({"9600, alaw, 100", "9600, ulaw, -100", "9600, linear, 100", "7200, alaw, -100", "7200, ulaw, 100",
            "7200, linear, -100"})
    void thirtyDbSnrWithClockDriftIsBitExact(int rate, String law, double ppm) throws Exception {
        byte[] sent = data(rate + (long) ppm, 12_000);   // 10 to 13 s: 2.4 to 3.2 symbols of drift
        short[] line = impaired(rate, sent, 30, ppm, law, rate);

        ByteBits.Collector sink = V29Test.receive(rate, line, 160);

        assertThat(sink.events).containsExactly("up", "down");
        assertThat(sink.carrier(0, sent.length)).isEqualTo(sent);
    }

    @ParameterizedTest(name = "{0} bit/s, {1}")
    @CsvSource({"9600, alaw", "9600, ulaw", "7200, alaw", "7200, ulaw"})
    void twentyDbSnr(int rate, String law) throws Exception {
        byte[] sent = data(rate * 3L, 12_000);
        long errors = 0;
        long bits = 0;
        for (int run = 0; run < 3; run++) {
            short[] line = impaired(rate, sent, 20, run == 1 ? 100 : run == 2 ? -100 : 0, law, run);
            ByteBits.Collector sink = V29Test.receive(rate, line, 160);
            assertThat(sink.events).as("run %d", run).startsWith("up");
            errors += bitErrors(sent, sink.carrier(0, sent.length));
            bits += sent.length * 8L;
        }
        double ber = (double) errors / bits;
        System.out.printf(java.util.Locale.ROOT, "V.29 %d %s at 20 dB SNR (0, +100, -100 ppm): %d bit errors in %d, BER %.2e%n",
                rate, law, errors, bits, ber);
        assertThat(ber).isLessThan(rate == 9600 ? 1e-4 : 1e-5);
    }

    /** As T.30 sends them: TCF (1.5 s of zeros), 75 ms of silence, then the page, each a carrier with its own training. */
    @ParameterizedTest(name = "{0} bit/s, {1}")
    @CsvSource({"9600, alaw", "7200, ulaw"})
    void tcfThenPageAreBothReceivedByOneReceiver(int rate, String law) throws Exception {
        byte[] tcf = new byte[rate * 3 / 2 / 8];
        byte[] page = data(rate + 11, 4000);
        short[] line = twoCarriers(rate, tcf, page, law);

        ByteBits.Collector sink = V29Test.receive(rate, line, 160);

        assertThat(sink.events).containsExactly("up", "down", "up", "down");
        assertThat(sink.carrier(0, tcf.length)).isEqualTo(tcf);
        assertThat(sink.carrier(1, page.length)).isEqualTo(page);
    }

    @ParameterizedTest(name = "{0} bit/s")
    @org.junit.jupiter.params.provider.ValueSource(ints = {7200, 9600})
    void aNewReceiverForThePageReceivesItToo(int rate) throws Exception {
        byte[] tcf = new byte[rate * 3 / 2 / 8];
        byte[] page = data(rate + 12, 4000);
        short[] line = twoCarriers(rate, tcf, page, "alaw");
        int split = firstCarrierEnd(line);

        ByteBits.Collector first = new ByteBits.Collector();
        V29Receiver a = new V29Receiver(rate, first);
        a.receive(line, 0, split);
        ByteBits.Collector second = new ByteBits.Collector();
        V29Receiver b = new V29Receiver(rate, second);
        b.receive(line, split, line.length - split);

        assertThat(first.events).containsExactly("up", "down");
        assertThat(first.carrier(0, tcf.length)).isEqualTo(tcf);
        assertThat(second.events).containsExactly("up", "down");
        assertThat(second.carrier(0, page.length)).isEqualTo(page);
    }

    static short[] twoCarriers(int rate, byte[] first, byte[] second, String law) throws Exception {
        short[] a = Line.fromLittleEndian(ModemOracle.transmit(Modem.V29, rate, first));
        short[] b = Line.fromLittleEndian(ModemOracle.transmit(Modem.V29, rate, second));
        double[] x = new double[800 + a.length + 600 + b.length + 800];
        for (int i = 0; i < a.length; i++) {
            x[800 + i] = a[i];
        }
        for (int i = 0; i < b.length; i++) {
            x[800 + a.length + 600 + i] = b[i];
        }
        return Line.throughG711(x, lawOf(law));
    }

    /** Halfway through the 75 ms gap. */
    private static int firstCarrierEnd(short[] line) {
        int quiet = 0;
        for (int i = 800; i < line.length; i++) {
            quiet = Math.abs(line[i]) < 16 ? quiet + 1 : 0;
            if (quiet == 300) {
                return i;
            }
        }
        throw new AssertionError("no gap between the carriers");
    }

    @ParameterizedTest(name = "{0} bit/s, {1} Hz")
    @CsvSource({"9600, 7", "9600, -7", "7200, 7", "7200, -7"})
    void spandspsCarrierSevenHertzOffIsDecodedBitExact(int rate, double hz) throws Exception {
        byte[] sent = data(rate + (long) hz, 3000);
        short[] theirs = Line.fromLittleEndian(ModemOracle.transmit(Modem.V29, rate, sent));
        double[] x = FrequencyShift.shift(Line.pad(theirs, 800), hz);
        Line.addNoise(x, -14 - 30, new Random(rate));

        ByteBits.Collector sink = V29Test.receive(rate, Line.throughG711(x, G711.ULAW), 160);

        assertThat(sink.events).containsExactly("up", "down");
        assertThat(sink.carrier(0, sent.length)).isEqualTo(sent);
    }

    /** With noise 20 dB under the signal the line is never quiet: the carrier's end must still be seen, and the page trained. */
    @ParameterizedTest(name = "{0} bit/s, {1}")
    @CsvSource({"9600, alaw", "7200, ulaw"})
    void tcfThenPageThroughTwentyDbSnr(int rate, String law) throws Exception {
        byte[] tcf = new byte[rate * 3 / 2 / 8];
        byte[] page = data(rate + 13, 4000);
        short[] clean = twoCarriers(rate, tcf, page, "linear");
        double[] x = new double[clean.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = clean[i];
        }
        Line.addNoise(x, -14 - 20, new Random(rate));

        ByteBits.Collector sink = V29Test.receive(rate, Line.throughG711(x, lawOf(law)), 160);

        assertThat(sink.events).containsExactly("up", "down", "up", "down");
        assertThat(sink.carrier(0, tcf.length)).isEqualTo(tcf);
        assertThat(sink.carrier(1, page.length)).isEqualTo(page);
    }

    /**
     * Bit error rates of ours and spandsp's receiver on the same noisy lines (3 runs of 12,000 bytes,
     * A-law, carrier at -35 dBm0; a carrier that fails to train counts as all its bits wrong): ours makes
     * at most twice spandsp's errors (or 1 in 10,000).
     */
    @ParameterizedTest(name = "{0} bit/s, {1} dB SNR")
    @CsvSource({"9600, 20", "9600, 17", "9600, 15", "7200, 16", "7200, 13", "7200, 11"})
    void bitErrorRateAgainstSpandspsReceiver(int rate, double snr) throws Exception {
        byte[] sent = data(rate * 5L, 12_000);
        long ours = 0;
        long theirs = 0;
        long bits = 0;
        for (int run = 0; run < 3; run++) {
            short[] line = quietNoisyLine(rate, sent, snr, "alaw", 100 + run);
            ByteBits.Collector sink = V29Test.receive(rate, line, 160);
            ours += sink.carriers() == 0 ? sent.length * 8L : bitErrors(sent, sink.carrier(0, sent.length));
            byte[] octets = new byte[line.length];
            for (int i = 0; i < line.length; i++) {
                octets[i] = G711.ALAW.encode(line[i]);
            }
            Received got = ModemOracle.receive(Modem.V29, rate, octets, "--law", "alaw", "--count", Integer.toString(sent.length));
            theirs += bitErrors(sent, got.data());
            bits += sent.length * 8L;
        }
        System.out.printf(java.util.Locale.ROOT, "V.29 %d at %.0f dB SNR, -35 dBm0, A-law: BER faxlan %.2e, spandsp %.2e (%d bits)%n",
                rate, snr, (double) ours / bits, (double) theirs / bits, bits);
        assertThat(ours).as("our errors against spandsp's %d", theirs).isLessThanOrEqualTo(Math.max(2 * theirs, bits / 10_000));
    }
}
