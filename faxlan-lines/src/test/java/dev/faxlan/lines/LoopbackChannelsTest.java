package dev.faxlan.lines;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The loopback line's free channels count what its answering side will hold once every call placed
 * has reached it. Seen in the three-node crash test: a burst of calls, while the answering side still
 * held a call its caller had ended, was refused there with "486 all channels busy", and each refused
 * job waited two minutes for a retry with an attempt counted.
 */
class LoopbackChannelsTest {

    @Test
    void aCallPlacedButNotAnsweredYetCountsAgainstTheAnsweringSide() {
        // Two channels; the answering side still holds one call whose caller has ended; one call placed, its INVITE on the way.
        // Once it arrives the answering side holds two: a second call now would be refused as busy.
        assertThat(Line.freeLoopbackChannels(2, 1, 1, 1)).isZero();
        // The same once the placed call is answered: the answering side holds both.
        assertThat(Line.freeLoopbackChannels(2, 1, 0, 2)).isZero();
        // The ended call's BYE handled: one channel free again.
        assertThat(Line.freeLoopbackChannels(2, 1, 0, 1)).isEqualTo(1);
    }

    @Test
    void callsTheAnsweringSideNoLongerHoldsStillCountOnTheCallingSide() {
        // The answering side has let go of a call whose caller has not finished yet (its DCN and BYE on the way).
        assertThat(Line.freeLoopbackChannels(2, 2, 0, 1)).isZero();
        assertThat(Line.freeLoopbackChannels(8, 3, 1, 2)).isEqualTo(5);
        assertThat(Line.freeLoopbackChannels(8, 0, 0, 0)).isEqualTo(8);
    }

    @Test
    void aCallAnsweredJustNowThatCountsTwiceForAMomentLeavesNoNegativeCount() {
        // The answering side holds the call, the calling side has not seen the answer yet: counted on both, never below zero.
        assertThat(Line.freeLoopbackChannels(1, 1, 1, 1)).isZero();
    }
}
