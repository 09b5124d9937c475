package dev.faxlan.sdk;

import dev.faxlan.protocol.message.JobMessage;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An outgoing fax job as the server reports it. Times are epoch milliseconds; {@code at} may be null.
 *
 * @param names the documents' file names as uploaded, in the order of {@code documents} ("" where unknown)
 * @param fields the cover page fields the job carries (submit's fields, and To/Company from a phonebook entry)
 * @param submitter the account that submitted the job for its owner (a mail gateway, an administrator); null when the owner did
 * @param pages the pages the receiver confirmed in the last call (0 before a call)
 * @param callMillis how long the last call lasted, null when there was none
 * @param calls each call attempt: its media and why, its carrier ({@link FaxlanClient#job} only; empty in lists)
 */
public record Job(long id, String owner, String submission, String to, String state, String subject, String cover,
        String resolution, Long at, long created, long updated, String reason, List<String> documents,
        int priority, int attempts, List<String> names, Map<String, String> fields, String submitter, int pages, Long callMillis,
        List<JobCall> calls) {

    /** A job without its calls, as a listing reports it. */
    public Job(long id, String owner, String submission, String to, String state, String subject, String cover, String resolution, Long at,
            long created, long updated, String reason, List<String> documents, int priority, int attempts, List<String> names,
            Map<String, String> fields, String submitter, int pages, Long callMillis) {
        this(id, owner, submission, to, state, subject, cover, resolution, at, created, updated, reason, documents, priority, attempts, names, fields,
                submitter, pages, callMillis, List.of());
    }

    /** A job its owner submitted, as a server without the call's figures reports it. */
    public Job(long id, String owner, String submission, String to, String state, String subject, String cover, String resolution, Long at,
            long created, long updated, String reason, List<String> documents, int priority, int attempts, List<String> names,
            Map<String, String> fields) {
        this(id, owner, submission, to, state, subject, cover, resolution, at, created, updated, reason, documents, priority, attempts, names, fields,
                null, 0, null);
    }

    static Job from(JobMessage.Job j) {
        return new Job(j.id(), Objects.requireNonNullElse(j.owner(), ""), Objects.requireNonNullElse(j.submission(), ""), j.to(), j.state(),
                j.subject(), j.cover(), Objects.requireNonNullElse(j.resolution(), "fine"), j.at(), FaxlanClient.or(j.created(), 0),
                FaxlanClient.or(j.updated(), 0), j.reason(), Objects.requireNonNullElse(j.documents(), List.of()),
                (int) FaxlanClient.or(j.priority(), SubmitRequest.DEFAULT_PRIORITY), (int) FaxlanClient.or(j.attempts(), 0),
                Objects.requireNonNullElse(j.names(), List.of()), j.fields() == null ? Map.of() : Map.copyOf(j.fields()), j.submitter(),
                (int) FaxlanClient.or(j.pages(), 0), j.duration(),
                j.calls() == null ? List.of() : j.calls().stream().map(JobCall::from).toList());
    }

    /** The state as the enum ({@link JobState#UNKNOWN} for one this client does not know). */
    public JobState status() {
        return JobState.of(state);
    }

    /** True once the job will not change any more (done, failed or cancelled). */
    public boolean finished() {
        return status().finished();
    }
}
