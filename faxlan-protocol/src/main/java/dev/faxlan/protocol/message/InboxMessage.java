package dev.faxlan.protocol.message;

import java.util.List;

/** {@code inbox.list}, {@code inbox.get}, {@code inbox.fetch}, {@code inbox.mark}, {@code inbox.delete} and {@code inbox.move}. */
public sealed interface InboxMessage {
    /** {@code unread}: only unread faxes; {@code limit}: 1 to 10,000 (default 1,000). */
    record ListFaxes(@MayBeAbsent String mailbox, @MayBeAbsent Boolean unread, @MayBeAbsent Long limit)
            implements InboxMessage, CpiRequest<Faxes> {}

    record Faxes(List<Fax> faxes) implements InboxMessage {}

    record GetFax(long fax) implements InboxMessage, CpiRequest<OneFax> {}

    /** {@code read}: true (the default) or false. */
    record Mark(long fax, @MayBeAbsent Boolean read) implements InboxMessage, CpiRequest<OneFax> {}

    /** Moves fax {@code fax} to {@code mailbox}, one the caller sees (their own, a shared one they belong to; any for an administrator). */
    record Move(long fax, String mailbox) implements InboxMessage, CpiRequest<OneFax> {}

    record OneFax(Fax fax) implements InboxMessage {}

    /** The document's bytes from {@code offset} follow the answer on the same stream. */
    record Fetch(long fax, @MayBeAbsent Long offset) implements InboxMessage, CpiRequest<Fetched> {}

    record Fetched(long fax, long offset, long size, String sha256) implements InboxMessage {}

    record Delete(long fax) implements InboxMessage, CpiRequest<Deleted> {}

    record Deleted(long fax) implements InboxMessage {}

    /** A received fax: {@code did} the number called, {@code csid} the sender's identification; times in epoch milliseconds. */
    record Fax(long id, @MayBeAbsent Long received, @MayBeAbsent String line, @MayBeAbsent String caller, @MayBeAbsent String did,
            @MayBeAbsent String csid, @MayBeAbsent String subaddress, @MayBeAbsent String sender, @MayBeAbsent Long pages,
            @MayBeAbsent @WireName("bad_lines") Long badLines, @MayBeAbsent Long duration, @MayBeAbsent String result, @MayBeAbsent Long size,
            @MayBeAbsent String sha256, @MayBeAbsent String mailbox, @MayBeAbsent Boolean read) {}
}
