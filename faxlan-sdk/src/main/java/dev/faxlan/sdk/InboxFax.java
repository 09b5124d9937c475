package dev.faxlan.sdk;

import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.Fields;

/**
 * A received fax as the server reports it. {@code did} is the number that was called, {@code csid} the
 * sender's fax identification; {@code sha256} is null when the call ended before page 1.
 */
public record InboxFax(long id, long received, String line, String caller, String did, String csid, String subaddress, String sender,
        int pages, int badLines, long durationMs, String result, long size, String sha256, String mailbox, boolean read) {

    static InboxFax from(Fields f) throws CpiException {
        return new InboxFax(f.integer("id"), f.integer("received", 0), f.string("line", ""), f.string("caller", ""), f.string("did", ""),
                f.string("csid", ""), f.string("subaddress", ""), f.string("sender", ""), (int) f.integer("pages", 0),
                (int) f.integer("bad_lines", 0), f.integer("duration", 0), f.string("result", ""), f.integer("size", 0),
                f.string("sha256", null), f.string("mailbox", null), f.bool("read", false));
    }
}
