package dev.faxlan.protocol;

/**
 * A frame refused by {@link CpiCodec#decode} although its id (the request's, or the one a response answers)
 * could be read: a server's answer echoes that id (docs/protocol.md §3), so a client that has many
 * requests in flight knows which one failed.
 */
public final class RequestFrameException extends CpiException {
    private final long requestId;

    public RequestFrameException(long requestId, CpiException cause) {
        super(cause.code(), cause.getMessage());
        this.requestId = requestId;
    }

    public long requestId() {
        return requestId;
    }
}
