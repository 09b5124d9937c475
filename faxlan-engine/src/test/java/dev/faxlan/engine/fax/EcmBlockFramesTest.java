package dev.faxlan.engine.fax;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.t30.Fcf;
import dev.faxlan.engine.t30.T30Frame;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The lengths a block tells the front end up front are those of the frames it makes later. */
class EcmBlockFramesTest {
    @Test
    void lengthsToldUpFrontAreTheMadeFramesLengths() {
        byte[] coded = new byte[EcmSender.ECM_FRAME * 5 + 17]; // the last frame is padded
        new Random(7).nextBytes(coded);
        byte[] rcp = new T30Frame(Fcf.RCP, false, false, new byte[0]).encode();
        EcmSender.BlockFrames frames = new EcmSender.BlockFrames(coded, 2, new int[] {0, 1, 3}, rcp);
        assertThat(frames).hasSize(6);
        for (int i = 0; i < frames.size(); i++) {
            assertThat(frames.length(i)).as("frame %d", i).isEqualTo(frames.get(i).length);
        }
        assertThat(frames.get(5)).isEqualTo(rcp);
    }
}
