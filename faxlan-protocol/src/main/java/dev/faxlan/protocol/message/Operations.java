package dev.faxlan.protocol.message;

import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Op;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Which request and answer types each operation has: the one table both sides read. */
public final class Operations {
    /** An operation with the record types of its request body and of its successful answer's body. */
    public record Binding(Op op, Class<? extends Record> request, Class<? extends Record> reply) {}

    private static final List<Binding> ALL = List.of(
            bind(Op.INFO, SessionMessage.Info.class, SessionMessage.InfoReply.class),
            bind(Op.LOGIN, SessionMessage.Login.class, SessionMessage.LoginReply.class),
            bind(Op.LOGOUT, SessionMessage.Logout.class, SessionMessage.Empty.class),
            bind(Op.UPLOAD_BEGIN, UploadMessage.Begin.class, UploadMessage.State.class),
            bind(Op.UPLOAD_DATA, UploadMessage.Data.class, UploadMessage.State.class),
            bind(Op.UPLOAD_STATUS, UploadMessage.Status.class, UploadMessage.State.class),
            bind(Op.SUBMIT, JobMessage.Submit.class, JobMessage.Submitted.class),
            bind(Op.JOB_LIST, JobMessage.ListJobs.class, JobMessage.Jobs.class),
            bind(Op.JOB_GET, JobMessage.GetJob.class, JobMessage.OneJob.class),
            bind(Op.JOB_CANCEL, JobMessage.CancelJob.class, JobMessage.OneJob.class),
            bind(Op.JOB_THUMBNAIL, JobMessage.GetThumbnail.class, JobMessage.Thumbnail.class),
            bind(Op.USER_ADD, UserMessage.AddUser.class, UserMessage.Added.class),
            bind(Op.USER_LIST, UserMessage.ListUsers.class, UserMessage.Users.class),
            bind(Op.USER_PASSWD, UserMessage.ChangePassword.class, UserMessage.Named.class),
            bind(Op.USER_REMOVE, UserMessage.RemoveUser.class, UserMessage.Named.class),
            bind(Op.APIKEY_CREATE, ApiKeyMessage.CreateKey.class, ApiKeyMessage.CreatedKey.class),
            bind(Op.APIKEY_LIST, ApiKeyMessage.ListKeys.class, ApiKeyMessage.Keys.class),
            bind(Op.APIKEY_REVOKE, ApiKeyMessage.RevokeKey.class, ApiKeyMessage.ApiKey.class),
            bind(Op.ALERT_SUBSCRIBE, AlertMessage.Subscribe.class, AlertMessage.Subscribed.class),
            bind(Op.INBOX_LIST, InboxMessage.ListFaxes.class, InboxMessage.Faxes.class),
            bind(Op.INBOX_GET, InboxMessage.GetFax.class, InboxMessage.OneFax.class),
            bind(Op.INBOX_FETCH, InboxMessage.Fetch.class, InboxMessage.Fetched.class),
            bind(Op.INBOX_MARK, InboxMessage.Mark.class, InboxMessage.OneFax.class),
            bind(Op.INBOX_MOVE, InboxMessage.Move.class, InboxMessage.OneFax.class),
            bind(Op.INBOX_DELETE, InboxMessage.Delete.class, InboxMessage.Deleted.class),
            bind(Op.INBOX_TEXT, InboxMessage.GetText.class, InboxMessage.Text.class),
            bind(Op.ROUTE_LIST, RouteMessage.ListRoutes.class, RouteMessage.Routes.class),
            bind(Op.ROUTE_ADD, RouteMessage.AddRoute.class, RouteMessage.OneRoute.class),
            bind(Op.ROUTE_REMOVE, RouteMessage.RemoveRoute.class, RouteMessage.Removed.class),
            bind(Op.ROUTE_TEST, RouteMessage.TestRoute.class, RouteMessage.Tested.class),
            bind(Op.PHONEBOOK_LIST, PhonebookMessage.ListContacts.class, PhonebookMessage.Contacts.class),
            bind(Op.PHONEBOOK_ADD, PhonebookMessage.AddContact.class, PhonebookMessage.OneContact.class),
            bind(Op.PHONEBOOK_REMOVE, PhonebookMessage.RemoveContact.class, PhonebookMessage.Removed.class),
            bind(Op.COVER_LIST, CoverMessage.ListCovers.class, CoverMessage.Covers.class),
            bind(Op.COVER_GET, CoverMessage.GetCover.class, CoverMessage.Source.class),
            bind(Op.COVER_PUT, CoverMessage.PutCover.class, CoverMessage.Stored.class),
            bind(Op.MAILBOX_LIST, MailboxMessage.ListMailboxes.class, MailboxMessage.Mailboxes.class),
            bind(Op.MAILBOX_ADD, MailboxMessage.AddMailbox.class, MailboxMessage.Named.class),
            bind(Op.MAILBOX_REMOVE, MailboxMessage.RemoveMailbox.class, MailboxMessage.Named.class),
            bind(Op.MAILBOX_MEMBER_ADD, MailboxMessage.AddMember.class, MailboxMessage.Membership.class),
            bind(Op.MAILBOX_MEMBER_REMOVE, MailboxMessage.RemoveMember.class, MailboxMessage.Membership.class),
            bind(Op.LINE_LIST, LineMessage.ListLines.class, LineMessage.Lines.class));

    private static final Map<Op, Binding> BY_OP = new EnumMap<>(Op.class);
    private static final Map<Class<?>, Binding> BY_REQUEST = new HashMap<>();

    static {
        for (Binding b : ALL) {
            if (BY_OP.put(b.op(), b) != null) throw new ExceptionInInitializerError("two bindings for " + b.op().wire());
            if (BY_REQUEST.put(b.request(), b) != null) throw new ExceptionInInitializerError(b.request().getName() + " is bound twice");
        }
    }

    private Operations() {}

    private static Binding bind(Op op, Class<? extends Record> request, Class<? extends Record> reply) {
        return new Binding(op, request, reply);
    }

    /** Every operation's binding, in the order of {@link Op}. */
    public static List<Binding> all() {
        return List.copyOf(BY_OP.values());
    }

    public static Binding of(Op op) {
        return BY_OP.get(op);
    }

    /** The operation of a typed request. */
    public static Op op(CpiRequest<?> request) {
        Binding b = BY_REQUEST.get(request.getClass());
        if (b == null) throw new IllegalArgumentException(request.getClass().getName() + " is not bound to an operation");
        return b.op();
    }

    /** Reads the body of a request of {@code op} as its typed record. */
    public static Record request(Op op, Fields body) throws CpiException {
        return MessageCodec.decode(of(op).request(), body);
    }

    /** Reads the body of the answer to {@code request} as its typed record. */
    @SuppressWarnings("unchecked")
    public static <R extends Record> R reply(CpiRequest<R> request, Fields body) throws CpiException {
        return (R) MessageCodec.decode(BY_REQUEST.get(request.getClass()).reply(), body);
    }
}
