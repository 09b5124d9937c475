package dev.faxlan.protocol.message;

import java.util.List;

/** {@code inbox.list}, {@code inbox.get}, {@code inbox.fetch}, {@code inbox.mark}, {@code inbox.delete}, {@code inbox.move} and {@code inbox.text}. */
public sealed interface InboxMessage {
    /**
     * {@code unread}: only unread faxes; {@code limit}: 1 to 10,000 (default 1,000); {@code search}: only
     * faxes whose OCR text has all these words (any case, on any page).
     */
    record ListFaxes(@MayBeAbsent String mailbox, @MayBeAbsent Boolean unread, @MayBeAbsent Long limit, @MayBeAbsent String search)
            implements InboxMessage, CpiRequest<Faxes> {
        public ListFaxes(String mailbox, Boolean unread, Long limit) {
            this(mailbox, unread, limit, null);
        }
    }

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

    /** The OCR text of page {@code page} (1-based) of fax {@code fax}. */
    record GetText(long fax, long page) implements InboxMessage, CpiRequest<Text> {}

    /**
     * A page's text: {@code read} false while the page waits for OCR (or the server has none), then
     * no text; {@code words} with their boxes in the pixels of a {@code width} × {@code height} image
     * of the page, for a PDF's text layer.
     */
    record Text(long fax, long page, long pages, boolean read, @MayBeAbsent Long width, @MayBeAbsent Long height, @MayBeAbsent String text,
            @MayBeAbsent List<Word> words) implements InboxMessage {}

    /** A word read, its box (left, top, width, height) and its line on the page, counted from 0. */
    record Word(String text, long left, long top, long width, long height, long line) {}

    record Delete(long fax) implements InboxMessage, CpiRequest<Deleted> {}

    record Deleted(long fax) implements InboxMessage {}

    /** A received fax: {@code did} the number called, {@code csid} the sender's identification; times in epoch milliseconds. */
    record Fax(long id, @MayBeAbsent Long received, @MayBeAbsent String line, @MayBeAbsent String caller, @MayBeAbsent String did,
            @MayBeAbsent String csid, @MayBeAbsent String subaddress, @MayBeAbsent String sender, @MayBeAbsent Long pages,
            @MayBeAbsent @WireName("bad_lines") Long badLines, @MayBeAbsent Long duration, @MayBeAbsent String result, @MayBeAbsent Long size,
            @MayBeAbsent String sha256, @MayBeAbsent String mailbox, @MayBeAbsent Boolean read) {}
}
