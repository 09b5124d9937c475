package dev.faxlan.protocol;

/**
 * CPI operations. {@code mutating} operations must carry an idempotency key; {@code needsSession}
 * operations must carry a session token from {@link #LOGIN}.
 */
public enum Op {
    INFO("info", false, false),
    LOGIN("login", false, false),
    LOGOUT("logout", false, true),
    UPLOAD_BEGIN("upload.begin", true, true),
    UPLOAD_DATA("upload.data", false, true),
    UPLOAD_STATUS("upload.status", false, true),
    SUBMIT("submit", true, true),
    JOB_LIST("job.list", false, true),
    JOB_GET("job.get", false, true),
    JOB_CANCEL("job.cancel", true, true),
    JOB_THUMBNAIL("job.thumbnail", false, true),
    USER_ADD("user.add", true, true),
    USER_LIST("user.list", false, true),
    USER_PASSWD("user.passwd", true, true),
    USER_REMOVE("user.remove", true, true),
    APIKEY_CREATE("apikey.create", true, true),
    APIKEY_LIST("apikey.list", false, true),
    APIKEY_REVOKE("apikey.revoke", true, true),
    ALERT_SUBSCRIBE("alert.subscribe", false, true),
    INBOX_LIST("inbox.list", false, true),
    INBOX_GET("inbox.get", false, true),
    INBOX_FETCH("inbox.fetch", false, true),
    INBOX_MARK("inbox.mark", true, true),
    INBOX_DELETE("inbox.delete", true, true),
    INBOX_MOVE("inbox.move", true, true),
    INBOX_TEXT("inbox.text", false, true),
    ROUTE_LIST("route.list", false, true),
    ROUTE_ADD("route.add", true, true),
    ROUTE_REMOVE("route.remove", true, true),
    ROUTE_TEST("route.test", false, true),
    PHONEBOOK_LIST("phonebook.list", false, true),
    PHONEBOOK_ADD("phonebook.add", true, true),
    PHONEBOOK_REMOVE("phonebook.remove", true, true),
    COVER_LIST("cover.list", false, true),
    COVER_GET("cover.get", false, true),
    COVER_PUT("cover.put", true, true),
    MAILBOX_LIST("mailbox.list", false, true),
    MAILBOX_ADD("mailbox.add", true, true),
    MAILBOX_REMOVE("mailbox.remove", true, true),
    MAILBOX_MEMBER_ADD("mailbox.member.add", true, true),
    MAILBOX_MEMBER_REMOVE("mailbox.member.remove", true, true),
    LINE_LIST("line.list", false, true);

    private final String wire;
    private final boolean mutating;
    private final boolean needsSession;

    Op(String wire, boolean mutating, boolean needsSession) {
        this.wire = wire;
        this.mutating = mutating;
        this.needsSession = needsSession;
    }

    public String wire() {
        return wire;
    }

    public boolean mutating() {
        return mutating;
    }

    public boolean needsSession() {
        return needsSession;
    }

    public static Op fromWire(String name) throws CpiException {
        for (Op op : values()) {
            if (op.wire.equals(name)) return op;
        }
        throw new CpiException(ErrorCode.UNKNOWN_OPERATION, "unknown operation \"" + name + "\"");
    }
}
