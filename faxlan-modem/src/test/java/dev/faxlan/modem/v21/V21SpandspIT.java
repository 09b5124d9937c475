package dev.faxlan.modem.v21;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.modem.g711.G711;
import dev.faxlan.modem.testsupport.Line;
import dev.faxlan.modem.testsupport.ModemPeer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * V.21 channel 2 with HDLC against spandsp's fsk_tx/fsk_rx and hdlc_tx/hdlc_rx, sample for sample:
 * our transmitter's frames decoded by spandsp, spandsp's decoded by ours, through G.711.
 */
class V21SpandspIT {
    private static final HexFormat HEX = HexFormat.of();

    /** T.30-like frames and random ones, some with octets that need stuffing. */
    private static List<byte[]> frames(long seed) {
        Random r = new Random(seed);
        List<byte[]> f = new ArrayList<>();
        f.add(HEX.parseHex("ff03400000ee7e7e"));
        f.add(HEX.parseHex("ff0320414243444546474849"));
        for (int i = 0; i < 3; i++) {
            byte[] b = new byte[1 + r.nextInt(60)];
            r.nextBytes(b);
            f.add(b);
        }
        f.add(HEX.parseHex("ff1380000eea1f8001"));
        return f;
    }

    private static List<String> hex(List<byte[]> frames) {
        return frames.stream().map(HEX::formatHex).toList();
    }

    /** Both directions at -14 and -40 dBm0 with white noise 20 dB under the signal. */
    @Test
    void spandspReceivesOurFrames() throws Exception {
        for (G711 law : G711.values()) {
            for (double dbm0 : new double[] {-14, -40}) {
                List<byte[]> sent = frames(law.ordinal() * 10 + (long) -dbm0);
                double[] line = Line.pad(V21Link.transmit(sent, dbm0), 800);
                Line.addNoise(line, dbm0 - 20, new Random(9));
                short[] samples = Line.throughG711(line, law);
                String out = new String(ModemPeer.run(Line.toLittleEndian(samples), "v21-rx"), StandardCharsets.US_ASCII);
                List<String> got = out.lines().filter(l -> l.startsWith("frame ")).map(l -> l.substring(6)).toList();
                assertThat(got).as("spandsp's frames from ours, %s, %s dBm0; its output:\n%s", law, dbm0, out)
                        .isEqualTo(hex(sent));
                assertThat(out.lines().filter(l -> l.startsWith("bad")).toList()).isEmpty();
            }
        }
    }

    @Test
    void weReceiveSpandspsFrames() throws Exception {
        for (G711 law : G711.values()) {
            for (String dbm0 : new String[] {"-14", "-40"}) {
                List<byte[]> sent = frames(100 + law.ordinal());
                String input = String.join("\n", hex(sent)) + "\n";
                short[] theirs = Line.fromLittleEndian(ModemPeer.run(input.getBytes(StandardCharsets.US_ASCII), "v21-tx", dbm0));
                double[] line = Line.pad(theirs, 800);
                Line.addNoise(line, Double.parseDouble(dbm0) - 20, new Random(5));
                V21Link.Received r = V21Link.receive(Line.throughG711(line, law), 160);
                assertThat(hex(r.frames)).as("our frames from spandsp's, %s, %s dBm0", law, dbm0).isEqualTo(hex(sent));
            }
        }
    }

    @Test
    void spandspHearsOneFrameWithNothingElse() throws Exception {
        // One frame right after the preamble: nothing of it may be lost to either side's start-up.
        List<byte[]> one = List.of(HEX.parseHex("ff13800000"));
        short[] ours = Line.throughG711(Line.pad(V21Link.transmit(one, -14), 800), null);
        String out = new String(ModemPeer.run(Line.toLittleEndian(ours), "v21-rx"), StandardCharsets.US_ASCII);
        assertThat(out.lines().toList()).containsExactly("carrier up", "frame ff13800000", "carrier down");
    }
}
