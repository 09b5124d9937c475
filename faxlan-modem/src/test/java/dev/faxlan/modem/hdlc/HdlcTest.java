package dev.faxlan.modem.hdlc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.modem.BitSource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class HdlcTest {

    /** What a receiver saw, as strings. */
    static final class Recorder implements HdlcReceiver.Listener {
        final List<byte[]> frames = new ArrayList<>();
        final List<String> events = new ArrayList<>();

        @Override
        public void frame(byte[] frame) {
            frames.add(frame);
            events.add("frame " + frame.length);
        }

        @Override
        public void badFrame(int octets) {
            events.add("bad " + octets);
        }

        @Override
        public void aborted() {
            events.add("abort");
        }
    }

    static List<Integer> bits(BitSource source) {
        List<Integer> out = new ArrayList<>();
        for (int b = source.nextBit(); b != BitSource.END; b = source.nextBit()) {
            out.add(b);
        }
        return out;
    }

    static void feed(HdlcReceiver rx, List<Integer> bits) {
        for (int b : bits) {
            rx.bit(b);
        }
    }

    @Test
    void crcOfTheStandardCheckString() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        // CRC-16/X.25 (ITU-T's HDLC FCS): check value 0x906E.
        assertThat(Crc16.fcs(check, 0, check.length)).isEqualTo(0x906E);
        byte[] withFcs = {'1', '2', '3', '4', '5', '6', '7', '8', '9', 0x6E, (byte) 0x90};
        assertThat(Crc16.update(Crc16.PRESET, withFcs, 0, withFcs.length)).isEqualTo(Crc16.GOOD_RESIDUE);
    }

    @Test
    void t30PreambleIsOneSecondWithinFifteenPercent() {
        int flags = HdlcTransmitter.t30PreambleFlags(300);
        double seconds = flags * 8 / 300.0;
        assertThat(seconds).isBetween(0.85, 1.15);
        assertThat(flags).isEqualTo(38);
        List<Integer> b = bits(HdlcTransmitter.forT30(List.of(new byte[] {(byte) 0xFF, 0x13, (byte) 0x80})));
        // Leading flags, bit for bit.
        for (int f = 0; f < flags; f++) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                s.append(b.get(f * 8 + i));
            }
            assertThat(s.toString()).as("flag %d", f).isEqualTo("01111110");
        }
    }

    @Test
    void dataThatLooksLikeFlagsIsStuffed() {
        byte[] frame = {0x7E, (byte) 0xFF, (byte) 0xFF, 0x7E, 0x1F};
        List<Integer> b = bits(new HdlcTransmitter(1, List.of(frame)));
        // Between the first flag and the closing flags no six 1s in a row appear.
        String all = b.stream().map(String::valueOf).reduce("", String::concat);
        String body = all.substring(8, all.length() - 16);
        assertThat(body).doesNotContain("111111");
        Recorder r = new Recorder();
        HdlcReceiver rx = new HdlcReceiver(r);
        feed(rx, b);
        assertThat(r.frames).hasSize(1);
        assertThat(r.frames.get(0)).isEqualTo(frame);
    }

    @Test
    void aDamagedFrameIsReportedBadAndTheNextStillArrives() {
        byte[] a = {(byte) 0xFF, 0x03, 0x40, 0x11, 0x22};
        byte[] c = {(byte) 0xFF, 0x13, (byte) 0x80};
        List<Integer> b = bits(new HdlcTransmitter(4, List.of(a, c)));
        // Flip a bit inside the first frame's address field (after 4 flags).
        int at = 4 * 8 + 12;
        b.set(at, 1 - b.get(at));
        Recorder r = new Recorder();
        feed(new HdlcReceiver(r), b);
        assertThat(r.events).hasSize(2);
        assertThat(r.events.get(0)).startsWith("bad");
        assertThat(r.frames).hasSize(1);
        assertThat(r.frames.get(0)).isEqualTo(c);
    }

    @Test
    void aFrameSentWithABadFcsIsReportedBadAndTheOthersArrive() {
        byte[] a = {(byte) 0xFF, 0x03, 0x40, 0x11, 0x22};
        byte[] c = {(byte) 0xFF, 0x13, (byte) 0x80};
        java.util.BitSet bad = new java.util.BitSet();
        bad.set(1);
        Recorder r = new Recorder();
        feed(new HdlcReceiver(r), bits(new HdlcTransmitter(4, List.of(a, c, a), bad)));
        assertThat(r.events).containsExactly("frame 5", "bad 5", "frame 5");
    }

    @Test
    void sevenOnesAbortTheFrameInProgress() {
        byte[] a = {(byte) 0xFF, 0x03, 0x40, 0x11, 0x22, 0x33, 0x44};
        List<Integer> b = bits(new HdlcTransmitter(2, List.of(a)));
        List<Integer> cut = new ArrayList<>(b.subList(0, 2 * 8 + 30));
        for (int i = 0; i < 10; i++) {
            cut.add(1);
        }
        cut.addAll(bits(new HdlcTransmitter(2, List.of(a))));
        Recorder r = new Recorder();
        HdlcReceiver rx = new HdlcReceiver(r);
        feed(rx, cut);
        assertThat(r.events).containsExactly("abort", "frame " + a.length);
        assertThat(rx.aborts()).isEqualTo(1);
    }

    @Test
    void aFrameLongerThanTheLimitIsCountedNotCollected() {
        byte[] big = new byte[1000];
        List<Integer> b = bits(new HdlcTransmitter(2, List.of(big, new byte[] {1, 2, 3})));
        Recorder r = new Recorder();
        feed(new HdlcReceiver(r, 400), b);
        assertThat(r.events).containsExactly("bad 1002", "frame 3");
    }

    @Test
    void tooShortAFrameIsBad() {
        // One octet between flags cannot hold an FCS.
        List<Integer> b = new ArrayList<>();
        for (int f = 0; f < 2; f++) {
            for (int i = 0; i < 8; i++) {
                b.add((0x7E >> i) & 1);
            }
            if (f == 0) {
                for (int i = 0; i < 8; i++) {
                    b.add((0x41 >> i) & 1);
                }
            }
        }
        Recorder r = new Recorder();
        feed(new HdlcReceiver(r), b);
        assertThat(r.events).containsExactly("bad 1");
    }

    @Property
    void framesSurviveFramingAndDeframing(@ForAll @Size(min = 1, max = 8) List<@Size(min = 1, max = 400) byte[]> frames) {
        Recorder r = new Recorder();
        feed(new HdlcReceiver(r), bits(new HdlcTransmitter(3, frames)));
        assertThat(r.frames).hasSize(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            assertThat(r.frames.get(i)).isEqualTo(frames.get(i));
        }
    }
}
