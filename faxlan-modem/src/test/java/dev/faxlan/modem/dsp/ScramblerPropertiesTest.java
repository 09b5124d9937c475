package dev.faxlan.modem.dsp;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

class ScramblerPropertiesTest {

    @Property
    void descramblingUndoesScramblingOnceTheRegisterHasFilled(@ForAll @Size(min = 30, max = 400) boolean[] data,
            @ForAll int txState, @ForAll int rxState) {
        for (int[] taps : new int[][] {{18, 23}, {6, 7}}) {
            Scrambler tx = new Scrambler(taps[0], taps[1]);
            Scrambler rx = new Scrambler(taps[0], taps[1]);
            tx.setState(txState);
            rx.setState(rxState);
            for (int i = 0; i < data.length; i++) {
                int bit = data[i] ? 1 : 0;
                int back = rx.descramble(tx.scramble(bit));
                if (i >= taps[1]) {
                    assertThat(back).as("bit %d with taps %d,%d", i, taps[0], taps[1]).isEqualTo(bit);
                }
            }
        }
    }

    @Property
    void linesBitsAreTheDataAddedToTheBitsEighteenAndTwentyThreeBefore(@ForAll @Size(min = 30, max = 200) boolean[] data) {
        Scrambler s = new Scrambler(18, 23);
        int[] line = new int[data.length];
        for (int i = 0; i < data.length; i++) {
            line[i] = s.scramble(data[i] ? 1 : 0);
            int expected = (data[i] ? 1 : 0) ^ (i >= 18 ? line[i - 18] : 0) ^ (i >= 23 ? line[i - 23] : 0);
            assertThat(line[i]).isEqualTo(expected);
        }
    }

    /** Except from the all-ones state, which ones keep as it is (why V.27ter adds a guard). */
    @Property
    void allOnesAreScrambledIntoSomethingThatIsNotAllOnes(@ForAll int state) {
        Assume.that((state & 0x7FFFFF) != 0x7FFFFF);
        Scrambler s = new Scrambler(18, 23);
        s.setState(state);
        int ones = 0;
        for (int i = 0; i < 1000; i++) {
            ones += s.scramble(1);
        }
        assertThat(ones).isBetween(300, 700);
    }
}
