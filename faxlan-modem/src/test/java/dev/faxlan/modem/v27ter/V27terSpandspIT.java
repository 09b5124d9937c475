package dev.faxlan.modem.v27ter;

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

/**
 * V.27ter against spandsp 0.0.6's modem, sample for sample: our transmitter decoded by spandsp's
 * receiver and spandsp's transmitter decoded by ours, bit-exact from the first data bit.
 */
class V27terSpandspIT {

    static byte[] data(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String lawArg(G711 law) {
        return law == G711.ALAW ? "alaw" : "ulaw";
    }

    private static byte[] octets(short[] samples, G711 law) {
        byte[] b = new byte[samples.length];
        for (int i = 0; i < samples.length; i++) b[i] = law.encode(samples[i]);
        return b;
    }

    @ParameterizedTest(name = "{0} bit/s, {1}")
    @CsvSource({"2400, LINEAR", "4800, LINEAR", "2400, ALAW", "4800, ALAW", "2400, ULAW", "4800, ULAW"})
    void spandspDecodesOurTransmitter(int rate, String path) throws Exception {
        byte[] sent = data(rate + path.hashCode(), 3000);
        short[] ours = V27terLink.transmit(rate, -14, sent);
        Received got;
        if (path.equals("LINEAR")) {
            got = ModemOracle.receive(Modem.V27TER, rate, ModemOracle.line(ours), "--count", "3000");
        } else {
            G711 law = G711.valueOf(path);
            got = ModemOracle.receive(Modem.V27TER, rate, octets(ours, law), "--law", lawArg(law), "--count", "3000");
        }
        assertThat(got.trained()).as("spandsp trained on ours: %s", got.log()).isTrue();
        assertThat(got.carriers()).isEqualTo(1);
        assertThat(got.data()).isEqualTo(sent);
    }

    @ParameterizedTest(name = "{0} bit/s, {1}, {2} dBm0")
    @CsvSource({"2400, LINEAR, -10", "4800, LINEAR, -10", "2400, LINEAR, -40", "4800, LINEAR, -40",
            "2400, ALAW, -10", "4800, ALAW, -40", "2400, ULAW, -40", "4800, ULAW, -10",
            "2400, ALAW, -40", "4800, ALAW, -10", "2400, ULAW, -10", "4800, ULAW, -40"})
    void weDecodeSpandspsTransmitter(int rate, String path, double dbm0) throws Exception {
        byte[] sent = data(rate * 7L + path.hashCode() + (long) dbm0, 3000);
        short[] theirs = ModemOracle.samples(
                ModemOracle.transmit(Modem.V27TER, rate, sent, "--level", Double.toString(dbm0)));
        short[] line = Line.throughG711(Line.pad(theirs, 800), path.equals("LINEAR") ? null : G711.valueOf(path));

        ByteBits.Collector got = V27terLink.receive(rate, line, 160);

        assertThat(got.events).containsExactly("up", "down");
        assertThat(got.carrier(0, sent.length)).isEqualTo(sent);
    }

    /**
     * 30 dB SNR and a sample clock 100 ppm fast or slow, over 10 s of data: bit-exact. (spandsp 0.0.6's
     * own V.27ter receiver starts making errors after 3 to 5 s at 100 ppm; see {@link
     * #spandspsOwnReceiverAt100ppm}.)
     */
    @ParameterizedTest(name = "{0} bit/s, {1}, {2} ppm")
    @CsvSource({"2400, ALAW, 100", "2400, ULAW, -100", "4800, ALAW, -100", "4800, ULAW, 100"})
    void weDecodeSpandspAt30dbSnrWithClockDrift(int rate, G711 law, double ppm) throws Exception {
        byte[] sent = data(rate + (long) ppm, rate * 10 / 8);
        double[] line = Line.pad(ModemOracle.samples(ModemOracle.transmit(Modem.V27TER, rate, sent)), 800);
        line = Line.resample(line, ppm);
        Line.addNoise(line, -14 - 30, new Random(rate));

        ByteBits.Collector got = V27terLink.receive(rate, Line.throughG711(line, law), 160);

        assertThat(got.events).containsExactly("up", "down");
        assertThat(got.carrier(0, sent.length)).isEqualTo(sent);
    }

    /** 20 dB SNR: the bit error rate is printed; at these rates it must stay under 1e-4. */
    @ParameterizedTest(name = "{0} bit/s, {1} dBm0")
    @CsvSource({"2400, -14", "4800, -14", "2400, -30", "4800, -30"})
    void weDecodeSpandspAt20dbSnr(int rate, double dbm0) throws Exception {
        byte[] sent = data(rate * 3L, rate * 10 / 8);
        double[] line = Line.pad(ModemOracle.samples(
                ModemOracle.transmit(Modem.V27TER, rate, sent, "--level", Double.toString(dbm0))), 800);
        Line.addNoise(line, dbm0 - 20, new Random(rate + 1));

        ByteBits.Collector got = V27terLink.receive(rate, Line.throughG711(line, G711.ALAW), 160);

        assertThat(got.events).containsExactly("up", "down");
        long errors = bitErrors(sent, got.carrier(0, sent.length));
        System.out.printf("V.27ter %d bit/s at %s dBm0, 20 dB SNR, A-law: %d bit errors in %d bits%n",
                rate, dbm0, errors, sent.length * 8L);
        assertThat(errors).isLessThanOrEqualTo(sent.length * 8L / 10_000);
    }

    /** As T.30 sends them: TCF, 75 ms of silence, the page; one receiver hears both. */
    @ParameterizedTest(name = "{0} bit/s, {1}")
    @CsvSource({"2400, true", "4800, true", "2400, false", "4800, false"})
    void twoCarriersSeventyFiveMillisecondsApart(int rate, boolean sameReceiver) throws Exception {
        byte[] tcf = new byte[rate * 3 / 2 / 8];
        byte[] page = data(rate + 5, 2000);
        short[] first = ModemOracle.samples(ModemOracle.transmit(Modem.V27TER, rate, tcf));
        short[] second = ModemOracle.samples(ModemOracle.transmit(Modem.V27TER, rate, page));
        short[] both = new short[first.length + 600 + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length + 600, second.length);
        short[] line = Line.throughG711(Line.pad(both, 800), G711.ULAW);

        ByteBits.Collector got;
        if (sameReceiver) {
            got = V27terLink.receive(rate, line, 160);
        } else {
            // The front end's way: a fresh receiver once the first carrier is down.
            got = new ByteBits.Collector();
            int split = 800 + first.length + 300;
            V27terReceiver rx = new V27terReceiver(rate, got);
            rx.receive(line, 0, split);
            new V27terReceiver(rate, got).receive(line, split, line.length - split);
        }

        assertThat(got.events).containsExactly("up", "down", "up", "down");
        assertThat(got.carrier(0, tcf.length)).isEqualTo(tcf);
        assertThat(got.carrier(1, page.length)).isEqualTo(page);
    }

    /** The oracle's own limit, written down rather than hidden: spandsp's receiver on its own signal at 100 ppm. */
    @org.junit.jupiter.api.Test
    void spandspsOwnReceiverAt100ppm() throws Exception {
        byte[] sent = data(11, 4800 * 10 / 8);
        double[] line = Line.resample(Line.pad(ModemOracle.samples(ModemOracle.transmit(Modem.V27TER, 4800, sent)), 800), 100);
        Received got = ModemOracle.receive(Modem.V27TER, 4800, ModemOracle.line(Line.throughG711(line, null)),
                "--count", Integer.toString(sent.length));
        long errors = bitErrors(sent, got.data());
        System.out.printf("spandsp's V.27ter 4800 receiver, its own signal at +100 ppm: %d bit errors in %d bits%n",
                errors, sent.length * 8L);
        assertThat(errors).as("spandsp 0.0.6 loses the symbol timing at 100 ppm; if it no longer does, say so in"
                + " docs/fax-engine.md").isPositive();
    }

    static long bitErrors(byte[] sent, byte[] got) {
        long errors = 0;
        for (int i = 0; i < sent.length; i++) {
            errors += Integer.bitCount((sent[i] ^ (i < got.length ? got[i] : ~sent[i])) & 0xFF);
        }
        return errors;
    }

    /**
     * Below 20 dB SNR, with the noise on the whole line, also before and after the carrier: at 4800
     * bit/s 16 dB and at 2400 bit/s 8 dB still give no error, and the carrier's end is still seen.
     * (spandsp 0.0.6's receiver does not train on these lines: noise over its -43 dBm0 threshold
     * starts it before the carrier comes.)
     */
    @ParameterizedTest(name = "{0} bit/s, {1} dB SNR")
    @CsvSource({"4800, 16", "2400, 8"})
    void weDecodeSpandspAtLowSnr(int rate, double snr) throws Exception {
        byte[] sent = data(rate * 5L, rate * 10 / 8);
        double[] line = Line.pad(ModemOracle.samples(
                ModemOracle.transmit(Modem.V27TER, rate, sent, "--level", "-30")), 800);
        Line.addNoise(line, -30 - snr, new Random(7));

        ByteBits.Collector got = V27terLink.receive(rate, Line.throughG711(line, null), 160);

        assertThat(got.events).containsExactly("up", "down");
        assertThat(got.carrier(0, sent.length)).isEqualTo(sent);
    }

    /** A carrier frequency offset of up to 10 Hz (spandsp's receiver is specified for 7). */
    @ParameterizedTest(name = "{0} bit/s, {1} Hz")
    @CsvSource({"4800, -10", "4800, 7", "2400, 10", "2400, -7"})
    void weDecodeSpandspWithACarrierOffset(int rate, double hz) throws Exception {
        byte[] sent = data(rate * 9L, 3000);
        double[] line = V27terLink.shiftFrequency(
                Line.pad(ModemOracle.samples(ModemOracle.transmit(Modem.V27TER, rate, sent)), 800), hz);

        ByteBits.Collector got = V27terLink.receive(rate, Line.throughG711(line, G711.ALAW), 160);

        assertThat(got.events).containsExactly("up", "down");
        assertThat(got.carrier(0, sent.length)).isEqualTo(sent);
    }

    /** spandsp's receiver takes ours with a 7 Hz offset too. */
    @ParameterizedTest(name = "{0} bit/s")
    @CsvSource({"4800", "2400"})
    void spandspDecodesOursWithACarrierOffset(int rate) throws Exception {
        byte[] sent = data(rate * 13L, 2000);
        short[] line = Line.throughG711(
                V27terLink.shiftFrequency(Line.pad(V27terLink.transmit(rate, -14, sent), 800), 7), null);
        Received got = ModemOracle.receive(Modem.V27TER, rate, ModemOracle.line(line), "--count", "2000");
        assertThat(got.trained()).as("spandsp trained on ours: %s", got.log()).isTrue();
        assertThat(got.data()).isEqualTo(sent);
    }

    /**
     * Talker echo protection as some senders put it before the training: 200 ms of unmodulated
     * 1800 Hz carrier just before spandsp's training (whose 32 symbols of silence are too short for
     * the carrier detect to fall), so the receiver must find the reversals within a carrier it is
     * already hearing.
     */
    @ParameterizedTest(name = "{0} bit/s")
    @CsvSource({"4800", "2400"})
    void echoProtectionToneBeforeTheTraining(int rate) throws Exception {
        byte[] sent = data(rate * 17L, 2000);
        short[] theirs = ModemOracle.samples(ModemOracle.transmit(Modem.V27TER, rate, sent));
        short[] line = new short[1600 + theirs.length];
        double peak = dev.faxlan.modem.Levels.sinePeak(-14);
        for (int i = 0; i < 1600; i++) {
            line[i] = (short) Math.round(peak * Math.cos(2 * Math.PI * 1800 * i / 8000.0));
        }
        System.arraycopy(theirs, 0, line, 1600, theirs.length);

        ByteBits.Collector got = V27terLink.receive(rate, Line.throughG711(Line.pad(line, 800), G711.ULAW), 160);

        assertThat(got.events).containsExactly("up", "down");
        assertThat(got.carrier(0, sent.length)).isEqualTo(sent);
    }
}
