package dev.faxlan.protocol;

/**
 * Typed CPI errors. The wire carries the name; the number is stable and documented in docs/protocol.md.
 * {@link #retryable} tells a client whether the same request may succeed later unchanged.
 */
public enum ErrorCode {
    BAD_REQUEST(1, false, "the request is malformed or a field is missing or invalid"),
    UNSUPPORTED_VERSION(2, false, "the message version is not supported by this server"),
    UNKNOWN_OPERATION(3, false, "the operation is not known to this server"),
    AUTH_FAILED(10, false, "user name or password is wrong"),
    AUTH_THROTTLED(11, true, "too many failed logins; wait before trying again"),
    SESSION_EXPIRED(12, true, "the session is unknown or expired; log in again"),
    PERMISSION_DENIED(13, false, "the user may not do this"),
    NOT_FOUND(20, false, "no such object"),
    ALREADY_EXISTS(21, false, "the object exists already"),
    CONFLICT(22, false, "the object is in a state that does not allow this"),
    IDEMPOTENCY_KEY_REUSED(23, false, "the idempotency key was used for a different request"),
    UPLOAD_OFFSET_MISMATCH(30, false, "the upload offset is not the server's current offset"),
    UPLOAD_HASH_MISMATCH(31, false, "the uploaded bytes do not match the announced SHA-256"),
    UPLOAD_TOO_LARGE(32, false, "the upload exceeds the server's size limit"),
    DOCUMENT_UNKNOWN(33, false, "a referenced document was never uploaded"),
    STORAGE_FULL(40, true, "the server's disk or database is full"),
    BUSY(41, true, "the server is overloaded; retry later"),
    /** Not retried by clients on their own: space comes back when someone frees it, not within a request's timeout. */
    DISK_FULL(42, false, "the server's disk has too little free space to store this; try again after space is freed"),
    INTERNAL(50, true, "the server failed unexpectedly; the server log has details");

    private final int number;
    private final boolean retryable;
    private final String meaning;

    ErrorCode(int number, boolean retryable, String meaning) {
        this.number = number;
        this.retryable = retryable;
        this.meaning = meaning;
    }

    public int number() {
        return number;
    }

    public boolean retryable() {
        return retryable;
    }

    public String meaning() {
        return meaning;
    }

    /** Maps a wire name back to a code; unknown names (from a newer server) become {@link #INTERNAL}. */
    public static ErrorCode fromWire(String name) {
        for (ErrorCode c : values()) {
            if (c.name().equals(name)) return c;
        }
        return INTERNAL;
    }
}
