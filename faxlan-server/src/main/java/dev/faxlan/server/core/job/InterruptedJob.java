package dev.faxlan.server.core.job;

import dev.faxlan.server.service.JobState;

/** A job a stopped server left mid-attempt, with its unfinished attempts (that one included). */
public record InterruptedJob(long id, String state, int unfinishedAttempts) {
    public JobState jobState() {
        return JobState.fromWire(state);
    }
}
