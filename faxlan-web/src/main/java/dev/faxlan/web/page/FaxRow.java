package dev.faxlan.web.page;

import dev.faxlan.sdk.InboxFax;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** One received fax as the inbox and the viewer show it; {@code viewable} when it has pages to draw. */
public record FaxRow(long id, String received, String from, String to, String mailbox, int pages, boolean read, String result, boolean viewable) {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    static FaxRow of(InboxFax f) {
        String from = !f.csid().isBlank() ? f.csid() : !f.caller().isBlank() ? f.caller() : "unknown";
        return new FaxRow(f.id(), TIME.format(Instant.ofEpochMilli(f.received())), from, f.did(), f.mailbox() == null ? "" : f.mailbox(),
                f.pages(), f.read(), f.result(), f.pages() > 0 && f.sha256() != null);
    }
}
