package dev.faxlan.modem.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.modem.oracle.ModemOracle.Modem;
import dev.faxlan.modem.oracle.ModemOracle.Received;
import dev.faxlan.testkit.SpandspBuild;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The modem oracle against itself: spandsp's transmitter decoded by spandsp's receiver, bit-exact,
 * for every fax modem and rate, before it judges faxlan's modems.
 */
class ModemOracleTest {

    @BeforeAll
    static void compile() throws Exception {
        SpandspBuild.binary("modemoracle");
    }

    static Stream<Arguments> modemsAndRates() {
        List<Arguments> cells = new ArrayList<>();
        for (Modem m : Modem.values()) {
            for (int rate : m.rates()) cells.add(Arguments.of(m, rate));
        }
        return cells.stream();
    }

    private static byte[] data(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("modemsAndRates")
    void roundTripIsBitExact(Modem modem, int rate) throws Exception {
        byte[] sent = data(rate + modem.ordinal(), rate / 8);   // one second of data

        byte[] line = ModemOracle.transmit(modem, rate, sent);
        Received got = ModemOracle.receive(modem, rate, line, "--count", Integer.toString(sent.length));

        assertThat(got.trained()).as("training: %s", got.log()).isTrue();
        assertThat(got.carriers()).isEqualTo(1);
        assertThat(got.data()).isEqualTo(sent);
        // Training plus a second of data plus the closing sequence, at 8000 samples/s.
        assertThat(ModemOracle.samples(line).length).isGreaterThan(8000);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("modemsAndRates")
    void roundTripThroughG711(Modem modem, int rate) throws Exception {
        byte[] sent = data(rate * 3L + modem.ordinal(), 500);
        String law = rate % 2400 == 0 ? "alaw" : "ulaw";

        byte[] line = ModemOracle.transmit(modem, rate, sent, "--law", law);
        Received got = ModemOracle.receive(modem, rate, line, "--law", law, "--count", "500");

        assertThat(got.trained()).as("training: %s", got.log()).isTrue();
        assertThat(got.data()).isEqualTo(sent);
    }

    /** As T.30 sends TCF then a page: a long-trained carrier, 75 ms of silence, a short-trained one. */
    @ParameterizedTest(name = "V.17 {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {7200, 9600, 12000, 14400})
    void v17ShortTrainingAfterALongOne(int rate) throws Exception {
        byte[] sent = data(rate, 1200);

        byte[] line = ModemOracle.transmit(Modem.V17, rate, sent, "--split", "400");
        Received got = ModemOracle.receive(Modem.V17, rate, line, "--short-train", "--count", "400,800");

        assertThat(got.trained()).as("training: %s", got.log()).isTrue();
        assertThat(got.carriers()).isEqualTo(2);
        assertThat(got.data()).isEqualTo(sent);
    }

    /** V.17's training is the same at every rate, so a receiver at the wrong rate trains, but its bits are wrong. */
    @Test
    void theWrongRateGarblesTheData() throws Exception {
        byte[] sent = data(7, 1800);
        byte[] line = ModemOracle.transmit(Modem.V17, 14400, sent);

        Received got = ModemOracle.receive(Modem.V17, 7200, line, "--count", "1800");

        assertThat(got.carriers()).isEqualTo(1);
        assertThat(got.data()).as("V.17 7200 receiver on a 14400 carrier").isNotEqualTo(sent);
    }

    @Test
    void silenceHasNoCarrier() throws Exception {
        Received got = ModemOracle.receive(Modem.V29, 9600, new byte[16000]);

        assertThat(got.trained()).isFalse();
        assertThat(got.carriers()).isZero();
        assertThat(got.data()).isEmpty();
    }

    @Test
    void aCorruptedLineIsNotDecodedExactly() throws Exception {
        byte[] sent = data(9, 1200);
        short[] s = ModemOracle.samples(ModemOracle.transmit(Modem.V29, 9600, sent));
        // Invert 10 ms in the middle of the data: the receiver must notice in the bits.
        int mid = s.length * 2 / 3;
        for (int i = mid; i < mid + 80; i++) s[i] = (short) -s[i];

        Received got = ModemOracle.receive(Modem.V29, 9600, ModemOracle.line(s), "--count", "1200");

        assertThat(Arrays.equals(got.data(), sent)).isFalse();
    }
}
