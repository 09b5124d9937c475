package dev.faxlan.modem.g711;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class G711Test {

    @Test
    void everyCodeSurvivesDecodeThenEncode() {
        for (int c = 0; c < 256; c++) {
            byte code = (byte) c;
            assertThat(G711.ALAW.encode(G711.ALAW.decode(code))).as("A-law %02x", c).isEqualTo(code);
            if (c == 0x7F) {
                // µ-law has two zeros; 0 encodes as 0xFF, the positive one.
                assertThat(G711.ULAW.decode(code)).isZero();
                assertThat(G711.ULAW.encode(0)).isEqualTo((byte) 0xFF);
                continue;
            }
            assertThat(G711.ULAW.encode(G711.ULAW.decode(code))).as("µ-law %02x", c).isEqualTo(code);
        }
    }

    @Test
    void knownValuesFromTheRecommendation() {
        assertThat(G711.ULAW.encode(0)).isEqualTo((byte) 0xFF);
        assertThat(G711.ULAW.encode(-1)).isEqualTo((byte) 0x7F);
        assertThat(G711.ULAW.decode((byte) 0x00)).isEqualTo((short) -32124);
        assertThat(G711.ULAW.decode((byte) 0x80)).isEqualTo((short) 32124);
        assertThat(G711.ALAW.encode(0)).isEqualTo((byte) 0xD5);
        assertThat(G711.ALAW.encode(-1)).isEqualTo((byte) 0x55);
        assertThat(G711.ALAW.decode((byte) 0xD5)).isEqualTo((short) 8);
        assertThat(G711.ALAW.decode((byte) 0xAA)).isEqualTo((short) 32256);
        assertThat(G711.ALAW.decode((byte) 0x2A)).isEqualTo((short) -32256);
    }

    @Test
    void tablesMatchTheSegmentRulesForEverySample() {
        for (int x = Short.MIN_VALUE; x <= Short.MAX_VALUE; x++) {
            assertThat(G711.ULAW.encode(x) & 0xFF).as("µ-law of %d", x).isEqualTo(G711.linearToUlaw(x));
            assertThat(G711.ALAW.encode(x) & 0xFF).as("A-law of %d", x).isEqualTo(G711.linearToAlaw(x));
        }
    }

    @Test
    void valuesBeyondSixteenBitsSaturate() {
        assertThat(G711.ULAW.encode(1_000_000)).isEqualTo(G711.ULAW.encode(Short.MAX_VALUE));
        assertThat(G711.ALAW.encode(-1_000_000)).isEqualTo(G711.ALAW.encode(Short.MIN_VALUE));
    }

    /** µ-law's step in the segment of x is (|x| + 132) / 16 at most; decoding lands mid-step. */
    @Property
    void ulawErrorIsWithinHalfAStep(@ForAll @IntRange(min = -32124, max = 32124) int x) {
        int y = G711.ULAW.decode(G711.ULAW.encode(x));
        assertThat(Math.abs(y - x)).isLessThanOrEqualTo((Math.abs(x) + 132) / 32 + 1);
    }

    /** A-law's step is 16 below 256 and |x| / 16 at most above; decoding lands mid-step. */
    @Property
    void alawErrorIsWithinHalfAStep(@ForAll @IntRange(min = -32256, max = 32256) int x) {
        int y = G711.ALAW.decode(G711.ALAW.encode(x));
        assertThat(Math.abs(y - x)).isLessThanOrEqualTo(Math.max(8, Math.abs(x) / 32) + 1);
    }

    @Property
    void compandingKeepsOrder(@ForAll short a, @ForAll short b) {
        for (G711 law : G711.values()) {
            int ya = law.decode(law.encode(a));
            int yb = law.decode(law.encode(b));
            if (a <= b) {
                assertThat(ya).as(law + " of %d and %d", a, b).isLessThanOrEqualTo(yb);
            }
        }
    }
}
