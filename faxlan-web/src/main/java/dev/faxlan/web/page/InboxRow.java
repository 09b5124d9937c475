package dev.faxlan.web.page;

import dev.faxlan.sdk.InboxFax;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;

/** One received fax as the inbox and the viewer show it: who sent it ({@code from}: caller, else the fax's CSID), to which number, when. */
public record InboxRow(long id, String from, String did, String received, int pages, String mailbox, boolean read, boolean hasPages) {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    /** Unread first, then newest first. */
    static final Comparator<InboxFax> ORDER = Comparator.comparing(InboxFax::read).thenComparing(Comparator.comparingLong(InboxFax::received).reversed());

    static InboxRow of(InboxFax f) {
        String from = !f.caller().isEmpty() ? f.caller() : !f.csid().isEmpty() ? f.csid() : "unknown";
        return new InboxRow(f.id(), from, f.did().isEmpty() ? "–" : f.did(), TIME.format(Instant.ofEpochMilli(f.received())), f.pages(),
                f.mailbox() == null ? "" : f.mailbox(), f.read(), f.sha256() != null);
    }
}
