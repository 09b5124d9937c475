package dev.faxlan.lines.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ReceptionStatsTest {
    @Test
    void theSequenceWrapsIntoTheNextCycle() {
        ReceptionStats s = new ReceptionStats();
        for (int seq : new int[] {65534, 65535, 0, 1}) s.received(seq);
        assertThat(s.extendedHighest()).isEqualTo(65536 + 1);
        assertThat(s.expected()).isEqualTo(4);
        assertThat(s.lost()).isZero();
    }

    @Test
    void aLatePacketFromBeforeTheWrapDoesNotCountACycle() {
        ReceptionStats s = new ReceptionStats();
        for (int seq : new int[] {65533, 65535, 0, 65534, 2}) s.received(seq);
        assertThat(s.extendedHighest()).isEqualTo(65536 + 2);
        assertThat(s.expected()).isEqualTo(6);
        assertThat(s.lost()).isEqualTo(1); // 1 never came
    }

    @Test
    void duplicatesMakeLossNegativeAsTheRfcAllows() {
        ReceptionStats s = new ReceptionStats();
        for (int seq : new int[] {10, 11, 11, 12}) s.received(seq);
        assertThat(s.lost()).isEqualTo(-1);
        assertThat(new ReceptionStats().extendedHighest()).isZero();
    }

    /** A stream of any length from any start, with every k-th packet lost: the counts are exact across any number of wraps. */
    @Property(tries = 100)
    void countsAreExactAcrossWraps(@ForAll @IntRange(max = 65535) int start, @ForAll @IntRange(min = 1, max = 200_000) int packets,
            @ForAll @IntRange(min = 2, max = 50) int lossEvery) {
        ReceptionStats s = new ReceptionStats();
        long lost = 0;
        for (int i = 0; i < packets; i++) {
            if (i > 0 && i < packets - 1 && i % lossEvery == 0) {
                lost++;
                continue;
            }
            s.received((start + i) & 0xFFFF);
        }
        assertThat(s.expected()).isEqualTo(packets);
        assertThat(s.lost()).isEqualTo(lost);
        assertThat(s.extendedHighest()).isEqualTo(start + packets - 1L);
    }
}
