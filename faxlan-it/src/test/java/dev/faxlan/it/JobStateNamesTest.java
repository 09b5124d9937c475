package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The SDK knows every state the server can put a job in, by the same names, and the same ones as final. */
class JobStateNamesTest {
    @Test
    void theSdkAndTheServerNameTheSameStatesAndAgreeWhichAreFinal() {
        for (dev.faxlan.server.service.JobState s : dev.faxlan.server.service.JobState.values()) {
            dev.faxlan.sdk.JobState known = dev.faxlan.sdk.JobState.of(s.wire());
            assertThat(known).as(s.wire()).isNotEqualTo(dev.faxlan.sdk.JobState.UNKNOWN);
            assertThat(known.finished()).as(s.wire()).isEqualTo(s.terminal());
        }
        assertThat(Arrays.stream(dev.faxlan.sdk.JobState.values()).filter(s -> s != dev.faxlan.sdk.JobState.UNKNOWN)).hasSize(
                dev.faxlan.server.service.JobState.values().length);
        assertThat(dev.faxlan.sdk.JobState.of("a-state-from-a-newer-server")).isEqualTo(dev.faxlan.sdk.JobState.UNKNOWN);
        assertThat(dev.faxlan.sdk.JobState.UNKNOWN.finished()).isFalse();
    }
}
