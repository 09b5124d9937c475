package dev.faxlan.lines.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class JitterBufferTest {
    private static final byte SILENCE = (byte) 0xFF;
    private static final int FRAME = 160;

    /** Frame {@code n}: 160 octets that say which frame they are, never the silence octet. */
    private static byte[] frame(int n) {
        byte[] f = new byte[FRAME];
        for (int i = 0; i < FRAME; i++) f[i] = (byte) ((n * 7 + i) % 200);
        return f;
    }

    private static byte[] take(JitterBuffer b) {
        byte[] out = new byte[FRAME];
        b.take(out, 0, FRAME);
        return out;
    }

    private static byte[] silence() {
        byte[] s = new byte[FRAME];
        java.util.Arrays.fill(s, SILENCE);
        return s;
    }

    @Test
    void playsSilenceUntilTheFirstPacketThenTrailsItByTheDelay() {
        JitterBuffer b = new JitterBuffer(2 * FRAME, SILENCE);
        assertThat(take(b)).isEqualTo(silence());
        assertThat(b.put(1000, frame(0), 0, FRAME)).isEqualTo(JitterBuffer.Arrival.FIRST);
        assertThat(take(b)).isEqualTo(silence());
        assertThat(take(b)).isEqualTo(silence());
        assertThat(take(b)).isEqualTo(frame(0));
        assertThat(b.stats().silenceSamples()).isEqualTo(2 * FRAME);
    }

    @Test
    void packetsReorderedWithinTheDelayPlayInOrder() {
        JitterBuffer b = new JitterBuffer(3 * FRAME, SILENCE);
        int[] order = {0, 2, 1, 4, 3, 5};
        for (int n : order) b.put(n * FRAME, frame(n), 0, FRAME);
        for (int i = 0; i < 3; i++) take(b);
        for (int n = 0; n < 6; n++) assertThat(take(b)).as("frame %d", n).isEqualTo(frame(n));
        assertThat(b.stats().stored()).isEqualTo(6);
    }

    @Test
    void aLostPacketIsSilenceAndTimeDoesNotSlip() {
        JitterBuffer b = new JitterBuffer(FRAME, SILENCE);
        b.put(0, frame(0), 0, FRAME);
        take(b);
        for (int n = 1; n < 5; n++) {
            if (n != 2) b.put(n * FRAME, frame(n), 0, FRAME);
            assertThat(take(b)).as("frame %d", n - 1).isEqualTo(n - 1 == 2 ? silence() : frame(n - 1));
        }
        assertThat(b.stats().silenceSamples()).isEqualTo(2 * FRAME); // the delay, then the lost frame
    }

    @Test
    void duplicatesChangeNothingAndLatePacketsAreDropped() {
        JitterBuffer b = new JitterBuffer(FRAME, SILENCE);
        b.put(0, frame(0), 0, FRAME);
        assertThat(b.put(0, frame(9), 0, FRAME)).isEqualTo(JitterBuffer.Arrival.DUPLICATE);
        take(b);
        assertThat(take(b)).isEqualTo(frame(0));
        assertThat(b.put(0, frame(0), 0, FRAME)).isEqualTo(JitterBuffer.Arrival.LATE);
        assertThat(b.stats().duplicates()).isEqualTo(1);
        assertThat(b.stats().late()).isEqualTo(1);
    }

    @Test
    void theTimestampWrapsWithoutAGlitch() {
        JitterBuffer b = new JitterBuffer(FRAME, SILENCE);
        int start = -3 * FRAME; // 0xFFFFFE20: the stream wraps after three frames
        for (int n = 0; n < 8; n++) b.put(start + n * FRAME, frame(n), 0, FRAME);
        take(b);
        for (int n = 0; n < 8; n++) assertThat(take(b)).as("frame %d", n).isEqualTo(frame(n));
        assertThat(b.stats().dropped()).isZero();
    }

    @Test
    void aSingleFarOffPacketIsDroppedAndARunOfThemRestartsTheStream() {
        JitterBuffer b = new JitterBuffer(FRAME, SILENCE);
        b.put(0, frame(0), 0, FRAME);
        take(b);
        assertThat(b.put(0x4000_0000, frame(50), 0, FRAME)).isEqualTo(JitterBuffer.Arrival.OUT_OF_WINDOW);
        b.put(FRAME, frame(1), 0, FRAME);
        assertThat(take(b)).isEqualTo(frame(0));
        assertThat(take(b)).isEqualTo(frame(1));
        // the sender restarts far away: the third packet in a row moves the playout there
        int base = 0x7000_0000;
        assertThat(b.put(base, frame(100), 0, FRAME)).isEqualTo(JitterBuffer.Arrival.OUT_OF_WINDOW);
        assertThat(b.put(base + FRAME, frame(101), 0, FRAME)).isEqualTo(JitterBuffer.Arrival.OUT_OF_WINDOW);
        assertThat(b.put(base + 2 * FRAME, frame(102), 0, FRAME)).isEqualTo(JitterBuffer.Arrival.RESYNC);
        b.put(base + 3 * FRAME, frame(103), 0, FRAME);
        take(b);
        assertThat(take(b)).isEqualTo(frame(102));
        assertThat(take(b)).isEqualTo(frame(103));
        assertThat(b.stats().resyncs()).isEqualTo(1);
    }

    @Test
    void packetsOfAnotherSizeFillTheirPlace() {
        JitterBuffer b = new JitterBuffer(0, SILENCE);
        byte[] f = frame(3);
        b.put(0, f, 0, 80); // 10 ms packets
        b.put(80, f, 80, 80);
        assertThat(take(b)).isEqualTo(f);
    }

    /**
     * Whatever the order, duplication and loss within the delay, every frame that arrived plays at its
     * own time and every one that did not is silence: the output is the input stream with holes.
     */
    @Property(tries = 200)
    void playsTheStreamWithSilenceForWhatWasLost(@ForAll long seed, @ForAll int firstTimestamp, @ForAll @IntRange(max = 30) int lossPercent) {
        Random r = new Random(seed);
        int frames = 60;
        int depth = 4;
        JitterBuffer b = new JitterBuffer(depth * FRAME, SILENCE);
        boolean[] lost = new boolean[frames];
        for (int n = 1; n < frames; n++) lost[n] = r.nextInt(100) < lossPercent;
        // each tick, the packets sent in that tick arrive shuffled with some of the last tick's (jitter under the delay)
        List<Integer> late = new ArrayList<>();
        List<byte[]> played = new ArrayList<>();
        for (int tick = 0; tick < frames + depth + 2; tick++) {
            List<Integer> now = new ArrayList<>(late);
            late.clear();
            if (tick < frames && !lost[tick]) {
                if (tick > 0 && r.nextBoolean()) late.add(tick);
                else now.add(tick);
                if (r.nextInt(10) == 0) now.add(tick); // duplicate
            }
            Collections.shuffle(now, r);
            if (tick == 0) now.remove(Integer.valueOf(0)); // keep frame 0 first: it anchors playout
            if (tick == 0) b.put(firstTimestamp, frame(0), 0, FRAME);
            for (int n : now) b.put(firstTimestamp + n * FRAME, frame(n), 0, FRAME);
            played.add(take(b));
        }
        for (int n = 0; n < frames; n++) {
            assertThat(played.get(n + depth)).as("frame %d", n).isEqualTo(lost[n] ? silence() : frame(n));
        }
    }
}
