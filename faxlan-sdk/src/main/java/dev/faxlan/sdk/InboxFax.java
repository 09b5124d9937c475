package dev.faxlan.sdk;

import dev.faxlan.protocol.message.InboxMessage;
import java.util.Objects;

/**
 * A received fax as the server reports it. {@code did} is the number that was called, {@code csid} the
 * sender's fax identification; {@code sha256} is null when the call ended before page 1.
 */
public record InboxFax(long id, long received, String line, String caller, String did, String csid, String subaddress, String sender,
        int pages, int badLines, long durationMs, String result, long size, String sha256, String mailbox, boolean read) {

    static InboxFax from(InboxMessage.Fax f) {
        return new InboxFax(f.id(), FaxlanClient.or(f.received(), 0), Objects.requireNonNullElse(f.line(), ""),
                Objects.requireNonNullElse(f.caller(), ""), Objects.requireNonNullElse(f.did(), ""), Objects.requireNonNullElse(f.csid(), ""),
                Objects.requireNonNullElse(f.subaddress(), ""), Objects.requireNonNullElse(f.sender(), ""), (int) FaxlanClient.or(f.pages(), 0),
                (int) FaxlanClient.or(f.badLines(), 0), FaxlanClient.or(f.duration(), 0), Objects.requireNonNullElse(f.result(), ""),
                FaxlanClient.or(f.size(), 0), f.sha256(), f.mailbox(), Boolean.TRUE.equals(f.read()));
    }
}
