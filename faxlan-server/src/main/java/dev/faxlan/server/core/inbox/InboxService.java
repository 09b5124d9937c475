package dev.faxlan.server.core.inbox;

import java.sql.SQLException;
import dev.faxlan.server.core.Problem;
import dev.faxlan.server.core.ProblemException;
import dev.faxlan.server.core.port.DocumentStore;
import dev.faxlan.server.routing.MailboxAccess;
import dev.faxlan.server.service.Caller;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.FaxTexts;
import dev.faxlan.documents.ocr.PageText;
import dev.faxlan.server.storage.Mailboxes;
import dev.faxlan.server.storage.ReceivedFaxes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Received faxes in the mailboxes the caller sees: an administrator sees every mailbox, a user their
 * own and the shared ones they belong to. A fax elsewhere answers exactly like a missing one.
 */
public final class InboxService {
    public static final int DEFAULT_LIMIT = 1000;
    public static final int MAX_LIMIT = 10_000;

    /**
     * Which faxes to list: one mailbox or all visible ones (null), the newest {@code limit} (null: the
     * default), only unread ones, only those whose OCR text has every word of {@code search} (null: any).
     */
    public record Query(String mailbox, Long limit, boolean unreadOnly, String search) {
        public Query(String mailbox, Long limit, boolean unreadOnly) {
            this(mailbox, limit, unreadOnly, null);
        }
    }

    /** A page's OCR text: {@code text} null while it waits to be read. */
    public record PageTextOf(ReceivedFaxes.Fax fax, int page, PageText text) {}

    /** Most words a search may have. */
    public static final int MAX_SEARCH_WORDS = 16;

    /** A fax's document, to be read from {@code offset}. */
    public record Document(ReceivedFaxes.Fax fax, Path file, long offset) {}

    private final Database db;
    private final DocumentStore documents;

    public InboxService(Database db, DocumentStore documents) {
        this.db = db;
        this.documents = documents;
    }

    public List<ReceivedFaxes.Fax> list(Caller caller, Query query) throws SQLException {
        long limit = query.limit() != null ? query.limit() : DEFAULT_LIMIT;
        if (limit < 1 || limit > MAX_LIMIT) throw new ProblemException(Problem.INVALID, "limit must be 1 to " + MAX_LIMIT);
        String mailbox = query.mailbox();
        List<String> words = query.search() == null ? List.of() : PageText.searchWords(query.search()).stream().distinct().toList();
        if (query.search() != null && words.isEmpty()) throw new ProblemException(Problem.INVALID, "search has no words (letters or digits)");
        if (words.size() > MAX_SEARCH_WORDS) throw new ProblemException(Problem.INVALID, "search may have at most " + MAX_SEARCH_WORDS + " words, not " + words.size());
        return db.tx(c -> {
            List<ReceivedFaxes.Fax> faxes;
            if (!words.isEmpty()) {
                List<String> boxes;
                if (mailbox != null) {
                    if (Mailboxes.byName(c, mailbox).isEmpty() || !MailboxAccess.canSee(c, caller.userId(), caller.isAdmin(), mailbox)) {
                        throw new ProblemException(Problem.NOT_FOUND, "no mailbox " + mailbox);
                    }
                    boxes = List.of(mailbox);
                } else {
                    // Administrators search everything (unrouted faxes too); a user only the mailboxes they see.
                    boxes = caller.isAdmin() ? null : MailboxAccess.visible(c, caller.userId(), false);
                }
                faxes = ReceivedFaxes.withWords(c, boxes, words, (int) limit);
            } else if (mailbox != null) {
                // A mailbox the caller may not see answers like a missing one.
                if (Mailboxes.byName(c, mailbox).isEmpty() || !MailboxAccess.canSee(c, caller.userId(), caller.isAdmin(), mailbox)) {
                    throw new ProblemException(Problem.NOT_FOUND, "no mailbox " + mailbox);
                }
                faxes = ReceivedFaxes.inMailbox(c, mailbox, (int) limit);
            } else if (caller.isAdmin()) {
                faxes = ReceivedFaxes.list(c, (int) limit);
            } else {
                faxes = ReceivedFaxes.inMailboxes(c, MailboxAccess.visible(c, caller.userId(), false), (int) limit);
            }
            List<ReceivedFaxes.Fax> out = new ArrayList<>();
            for (ReceivedFaxes.Fax f : faxes) if (!query.unreadOnly() || !f.read()) out.add(f);
            return out;
        });
    }

    public ReceivedFaxes.Fax get(Caller caller, long id) throws SQLException {
        return db.tx(c -> visible(c, caller, id));
    }

    /** Marks fax {@code id} read or unread; returns it as it is now. */
    public ReceivedFaxes.Fax mark(Connection c, Caller caller, long id, boolean read) throws SQLException {
        ReceivedFaxes.Fax f = visible(c, caller, id);
        ReceivedFaxes.setRead(c, f.id(), read);
        return ReceivedFaxes.byId(c, f.id()).orElseThrow();
    }

    /**
     * Moves fax {@code id} to {@code mailbox}; returns it as it is now. Both must be the caller's to see: a
     * user moves a fax between their own mailbox and the shared ones they belong to, an administrator anywhere.
     */
    public ReceivedFaxes.Fax move(Connection c, Caller caller, long id, String mailbox) throws SQLException {
        ReceivedFaxes.Fax f = visible(c, caller, id);
        if (mailbox == null || Mailboxes.byName(c, mailbox).isEmpty() || !MailboxAccess.canSee(c, caller.userId(), caller.isAdmin(), mailbox)) {
            throw new ProblemException(Problem.NOT_FOUND, "no mailbox " + mailbox);
        }
        ReceivedFaxes.setMailbox(c, f.id(), mailbox);
        return ReceivedFaxes.byId(c, f.id()).orElseThrow();
    }

    /** Deletes fax {@code id}; returns its id. */
    public long delete(Connection c, Caller caller, long id) throws SQLException {
        ReceivedFaxes.Fax f = visible(c, caller, id);
        ReceivedFaxes.delete(c, f.id());
        return f.id();
    }

    /** The OCR text of page {@code page} (1-based) of fax {@code id}. */
    public PageTextOf text(Caller caller, long id, long page) throws SQLException {
        return db.tx(c -> {
            ReceivedFaxes.Fax f = visible(c, caller, id);
            if (page < 1 || page > f.pages()) {
                throw new ProblemException(Problem.INVALID, "fax " + id + " has " + f.pages() + " page" + (f.pages() == 1 ? "" : "s") + ", no page " + page);
            }
            PageText text = null;
            for (FaxTexts.Page p : FaxTexts.pages(c, id)) if (p.page() == page) text = p.text();
            return new PageTextOf(f, (int) page, text);
        });
    }

    /** Fax {@code id}'s document, to be sent from byte {@code offset} on. */
    public Document document(Caller caller, long id, long offset) throws SQLException {
        ReceivedFaxes.Fax f = get(caller, id);
        if (f.sha256() == null) throw new ProblemException(Problem.CONFLICT, "received fax " + id + " has no pages: the call ended before page 1");
        if (offset < 0 || offset > f.size()) {
            throw new ProblemException(Problem.INVALID, "offset " + offset + " is outside the document's " + f.size() + " bytes");
        }
        Path file = documents.document(f.sha256());
        if (!Files.isRegularFile(file)) throw new IllegalStateException("document " + f.sha256() + " of fax " + id + " is missing");
        return new Document(f, file, offset);
    }

    private static ReceivedFaxes.Fax visible(Connection c, Caller caller, long id) throws SQLException {
        Optional<ReceivedFaxes.Fax> f = ReceivedFaxes.byId(c, id);
        // A fax in a mailbox the caller cannot see answers exactly like a missing one: ids reveal nothing.
        if (f.isEmpty() || !MailboxAccess.canSee(c, caller.userId(), caller.isAdmin(), f.get().mailbox())) {
            throw new ProblemException(Problem.NOT_FOUND, "no received fax " + id);
        }
        return f.get();
    }
}
