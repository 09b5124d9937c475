package dev.faxlan.protocol.message;

import java.util.List;
import java.util.Map;

/** {@code submit}, {@code job.list}, {@code job.get}, {@code job.cancel} and {@code job.thumbnail}. */
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

    /** {@code width}: the picture's width in pixels (default 300); {@code page}: which page, from 1, the cover page first (default 1). */
    record GetThumbnail(long job, @MayBeAbsent Long width, @MayBeAbsent Long page) implements JobMessage, CpiRequest<Thumbnail> {}

    /**
     * Page 1 of a job as it is faxed, as a grayscale PNG of {@code width} pixels across; {@code pageWidth}
     * and {@code pageHeight} are that fax page's size in pels.
     */
    record Thumbnail(long job, @WireName("page_width") long pageWidth, @WireName("page_height") long pageHeight, byte[] png) implements JobMessage {}

    /**
     * An outgoing fax job. Times are epoch milliseconds; {@code submitter}: the account that submitted it
     * for its owner (a mail gateway, an administrator), absent when the owner did; {@code pages} the pages
     * the receiver confirmed in the last call, {@code duration} that call's length in milliseconds (both
     * absent before a call); {@code calls} each call attempt's media and carrier ({@code job.get} only).
     */
    record Job(long id, @MayBeAbsent String owner, @MayBeAbsent String submitter, @MayBeAbsent String submission, String to, String state, @MayBeAbsent String subject,
            @MayBeAbsent String cover, @MayBeAbsent String resolution, @MayBeAbsent Long at, @MayBeAbsent Long created,
            @MayBeAbsent Long updated, @MayBeAbsent String reason, @MayBeAbsent List<String> documents, @MayBeAbsent List<String> names,
            @MayBeAbsent Long priority, @MayBeAbsent Long attempts, @MayBeAbsent Map<String, String> fields, @MayBeAbsent Long pages,
            @MayBeAbsent Long duration, @MayBeAbsent List<Call> calls) {
        /** A job map without its calls, as {@code job.list} sends it. */
        public Job(long id, String owner, String submitter, String submission, String to, String state, String subject, String cover,
                String resolution, Long at, Long created, Long updated, String reason, List<String> documents, List<String> names, Long priority,
                Long attempts, Map<String, String> fields, Long pages, Long duration) {
            this(id, owner, submitter, submission, to, state, subject, cover, resolution, at, created, updated, reason, documents, names, priority,
                    attempts, fields, pages, duration, null);
        }

        /** A job map without the call's figures (pages, duration), as before there was a call. */
        public Job(long id, String owner, String submission, String to, String state, String subject, String cover, String resolution, Long at,
                Long created, Long updated, String reason, List<String> documents, List<String> names, Long priority, Long attempts,
                Map<String, String> fields) {
            this(id, owner, null, submission, to, state, subject, cover, resolution, at, created, updated, reason, documents, names, priority, attempts,
                    fields, null, null);
        }
    }

    /**
     * One call attempt of a job. {@code attempt} counts from 1; {@code started}, {@code ended}: times;
     * {@code plan}: the media the attempt started with and why (the line's policy, or the number's
     * media memory); {@code media}: {@code t38} or {@code g711}, the media the call ended on (absent
     * when the line did not say); {@code mediaWhy}: why that media, naming what failed on a fallback;
     * {@code carrier}: the carrier trained after any step-down ("9,600 bit/s V.29, ECM"; absent when
     * none trained); {@code outcome}: {@code success}, {@code busy}, {@code no-answer}, {@code rejected},
     * {@code t38-not-supported}, {@code network-error}, {@code t30-failure} or {@code cancelled} (a
     * client treats another value as a failure); {@code reason}: the attempt's end as the job's reason said it.
     */
    record Call(long attempt, long started, long ended, String line, String plan, @MayBeAbsent String media, @WireName("media_why") String mediaWhy,
            @MayBeAbsent String carrier, String outcome, long pages, String reason) {}
}
