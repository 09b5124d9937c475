package dev.faxlan.ipp;

import static dev.faxlan.sdk.JobState.CANCELLED;
import static dev.faxlan.sdk.JobState.CONVERTING;
import static dev.faxlan.sdk.JobState.DIALING;
import static dev.faxlan.sdk.JobState.DONE;
import static dev.faxlan.sdk.JobState.FAILED;
import static dev.faxlan.sdk.JobState.QUEUED;
import static dev.faxlan.sdk.JobState.RETRY_WAIT;
import static dev.faxlan.sdk.JobState.SENDING;
import static dev.faxlan.sdk.JobState.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import com.hp.jipp.model.JobState;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobStatesTest {
    @Test
    void eachFaxStateHasItsIppState() {
        assertThat(JobStates.of(QUEUED)).isEqualTo(JobState.pending);
        assertThat(JobStates.of(RETRY_WAIT)).isEqualTo(JobState.pending);
        assertThat(JobStates.of(CONVERTING)).isEqualTo(JobState.processing);
        assertThat(JobStates.of(DIALING)).isEqualTo(JobState.processing);
        assertThat(JobStates.of(SENDING)).isEqualTo(JobState.processing);
        assertThat(JobStates.of(UNKNOWN)).as("a state a newer server adds is not taken for finished").isEqualTo(JobState.processing);
        assertThat(JobStates.of(DONE)).isEqualTo(JobState.completed);
        assertThat(JobStates.of(FAILED)).isEqualTo(JobState.aborted);
        assertThat(JobStates.of(CANCELLED)).isEqualTo(JobState.canceled);
    }

    @Test
    void aJobOfSeveralFaxesIsAsFarAsItsLeastAdvancedFax() {
        assertThat(JobStates.combined(List.of())).isEqualTo(JobState.pendingHeld);
        assertThat(JobStates.combined(List.of(DONE, SENDING, QUEUED))).isEqualTo(JobState.processing);
        assertThat(JobStates.combined(List.of(DONE, RETRY_WAIT))).isEqualTo(JobState.pending);
        assertThat(JobStates.combined(List.of(DONE, DONE))).isEqualTo(JobState.completed);
        assertThat(JobStates.combined(List.of(DONE, FAILED, CANCELLED))).isEqualTo(JobState.aborted);
        assertThat(JobStates.combined(List.of(DONE, CANCELLED))).isEqualTo(JobState.canceled);
    }

    @Test
    void reasonsGoWithTheirStates() {
        assertThat(JobStates.reason(JobState.pendingHeld)).isEqualTo("job-incoming");
        assertThat(JobStates.reason(JobState.completed)).isEqualTo("job-completed-successfully");
        assertThat(JobStates.finished(JobState.aborted)).isTrue();
        assertThat(JobStates.finished(JobState.pending)).isFalse();
    }
}
