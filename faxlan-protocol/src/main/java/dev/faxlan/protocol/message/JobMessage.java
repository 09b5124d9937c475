package dev.faxlan.protocol.message;

import java.util.List;
import java.util.Map;

/** {@code submit}, {@code job.list}, {@code job.get} and {@code job.cancel}. */
public sealed interface JobMessage {
    /**
     * {@code to}: fax numbers or phonebook names; {@code documents}: SHA-256 of uploaded documents;
     * {@code at}: earliest send time, epoch milliseconds; {@code fields}: cover page fields, text values;
     * {@code owner}: the user the jobs belong to, when not the caller (administrators and gateway accounts).
     */
    record Submit(List<String> to, List<String> documents, @MayBeAbsent String subject, @MayBeAbsent String cover,
            @MayBeAbsent String resolution, @MayBeAbsent Long at, @MayBeAbsent Long priority, @MayBeAbsent Map<String, Object> fields,
            @MayBeAbsent String owner) implements JobMessage, CpiRequest<Submitted> {
        /** A submit for the caller's own account. */
        public Submit(List<String> to, List<String> documents, String subject, String cover, String resolution, Long at, Long priority,
                Map<String, Object> fields) {
            this(to, documents, subject, cover, resolution, at, priority, fields, null);
        }
    }

    /** {@code submission}: the id (hex text) shared by the jobs of one submit, one job per recipient. */
    record Submitted(String submission, List<Job> jobs) implements JobMessage {}

    /** {@code all}: finished jobs too. */
    record ListJobs(@MayBeAbsent Boolean all) implements JobMessage, CpiRequest<Jobs> {}

    record Jobs(List<Job> jobs) implements JobMessage {}

    record GetJob(long job) implements JobMessage, CpiRequest<OneJob> {}

    record CancelJob(long job) implements JobMessage, CpiRequest<OneJob> {}

    record OneJob(Job job) implements JobMessage {}

    /**
     * An outgoing fax job. Times are epoch milliseconds. {@code submitter}: the account that submitted it
     * for its owner (a mail gateway, an administrator); absent when the owner did.
     */
    record Job(long id, @MayBeAbsent String owner, @MayBeAbsent String submitter, @MayBeAbsent String submission, String to, String state, @MayBeAbsent String subject,
            @MayBeAbsent String cover, @MayBeAbsent String resolution, @MayBeAbsent Long at, @MayBeAbsent Long created,
            @MayBeAbsent Long updated, @MayBeAbsent String reason, @MayBeAbsent List<String> documents, @MayBeAbsent List<String> names,
            @MayBeAbsent Long priority, @MayBeAbsent Long attempts, @MayBeAbsent Map<String, String> fields) {}
}
