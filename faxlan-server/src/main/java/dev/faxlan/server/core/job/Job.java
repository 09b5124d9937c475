package dev.faxlan.server.core.job;

import dev.faxlan.server.service.JobState;
import java.util.List;

/**
 * An outgoing fax job: one recipient of a submission, its documents and where it stands.
 * {@code unfinishedAttempts} counts the stops that cut its conversion off since it last dialed: a job
 * with one converts alone.
 */
public record Job(long id, long userId, String owner, String submission, String recipient, String state,
        String subject, String cover, String resolution, Long sendAt, long created, long updated, String reason,
        int unfinishedAttempts, List<String> documents) {
    /** The state as the enum: the row keeps its wire text, code above storage compares {@link JobState}s. */
    public JobState jobState() {
        return JobState.fromWire(state);
    }
}
