package dev.faxlan.web.page;

import dev.faxlan.sdk.Job;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** One job as the outbox lists it. */
public record JobRow(long id, String to, String subject, String state, String reason, String created, boolean finished) {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    static JobRow of(Job j) {
        return new JobRow(j.id(), j.to(), j.subject() == null ? "" : j.subject(), j.state(), j.reason() == null ? "" : j.reason(),
                TIME.format(Instant.ofEpochMilli(j.created())), j.finished());
    }
}
