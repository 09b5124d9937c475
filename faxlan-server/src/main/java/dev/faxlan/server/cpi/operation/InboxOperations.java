package dev.faxlan.server.cpi.operation;

import static dev.faxlan.server.cpi.operation.Operations.encode;

import dev.faxlan.documents.ocr.PageText;
import dev.faxlan.protocol.Op;
import dev.faxlan.protocol.message.InboxMessage;
import dev.faxlan.server.core.inbox.InboxService;
import dev.faxlan.server.storage.ReceivedFaxes;
import java.util.ArrayList;
import java.util.List;

/** {@code inbox.list}, {@code inbox.get}, {@code inbox.text}, {@code inbox.mark}, {@code inbox.move} and {@code inbox.delete}; a fax's bytes go out on a fetch stream. */
final class InboxOperations {
    private final InboxService inbox;

    InboxOperations(InboxService inbox) {
        this.inbox = inbox;
    }

    void register(Operations ops) {
        ops.query(Op.INBOX_LIST, call -> {
            InboxMessage.ListFaxes r = call.body(InboxMessage.ListFaxes.class);
            List<InboxMessage.Fax> out = new ArrayList<>();
            for (ReceivedFaxes.Fax f : inbox.list(call.caller(), new InboxService.Query(r.mailbox(), r.limit(), Boolean.TRUE.equals(r.unread()), r.search()))) {
                out.add(fax(f));
            }
            return encode(new InboxMessage.Faxes(out));
        });
        ops.query(Op.INBOX_GET, call -> encode(new InboxMessage.OneFax(fax(inbox.get(call.caller(), call.body(InboxMessage.GetFax.class).fax())))));
        ops.query(Op.INBOX_TEXT, call -> {
            InboxMessage.GetText r = call.body(InboxMessage.GetText.class);
            InboxService.PageTextOf t = inbox.text(call.caller(), r.fax(), r.page());
            if (t.text() == null) return encode(new InboxMessage.Text(t.fax().id(), t.page(), t.fax().pages(), false, null, null, null, null));
            List<InboxMessage.Word> words = new ArrayList<>();
            for (PageText.Word w : t.text().words()) words.add(new InboxMessage.Word(w.text(), w.left(), w.top(), w.width(), w.height(), w.line()));
            return encode(new InboxMessage.Text(t.fax().id(), t.page(), t.fax().pages(), true, (long) t.text().width(), (long) t.text().height(),
                    t.text().text(), words));
        });
        ops.command(Op.INBOX_MARK, call -> {
            InboxMessage.Mark r = call.body(InboxMessage.Mark.class);
            boolean read = r.read() == null || r.read();
            return (c, after) -> encode(new InboxMessage.OneFax(fax(inbox.mark(c, call.caller(), r.fax(), read))));
        });
        ops.command(Op.INBOX_MOVE, call -> {
            InboxMessage.Move r = call.body(InboxMessage.Move.class);
            return (c, after) -> encode(new InboxMessage.OneFax(fax(inbox.move(c, call.caller(), r.fax(), r.mailbox()))));
        });
        ops.command(Op.INBOX_DELETE, call -> {
            long id = call.body(InboxMessage.Delete.class).fax();
            return (c, after) -> encode(new InboxMessage.Deleted(inbox.delete(c, call.caller(), id)));
        });
    }

    static InboxMessage.Fax fax(ReceivedFaxes.Fax f) {
        return new InboxMessage.Fax(f.id(), f.receivedAt(), f.line(), f.callerNumber(), f.calledNumber(), f.remoteIdent(), f.subaddress(),
                f.senderId(), (long) f.pages(), (long) f.badLines(), f.durationMs(), f.result(), f.size(), f.sha256(), f.mailbox(), f.read());
    }
}
