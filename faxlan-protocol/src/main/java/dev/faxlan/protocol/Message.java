package dev.faxlan.protocol;

import java.util.Arrays;

/**
 * The CPI messages. Each travels as one frame (see {@link CpiCodec}): a request and its response on a
 * client-opened bidirectional stream; an event and its acknowledgement on a server-opened one.
 */
public sealed interface Message {

    /**
     * A client request. {@code session} is the token from login (null for info and login);
     * {@code idempotencyKey} is 16 client-chosen random bytes, required on mutating operations and kept
     * across every retry of the same logical request.
     */
    record Request(long id, Op op, byte[] session, byte[] idempotencyKey, Fields body) implements Message {
        @Override
        public String toString() {
            return "Request[id=" + id + ", op=" + op.wire() + ", key=" + (idempotencyKey == null ? "-" : java.util.HexFormat.of().formatHex(idempotencyKey)) + "]";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Request r && r.id == id && r.op == op && Arrays.equals(r.session, session)
                    && Arrays.equals(r.idempotencyKey, idempotencyKey) && r.body.asMap().equals(body.asMap());
        }

        @Override
        public int hashCode() {
            return Long.hashCode(id) * 31 + op.hashCode();
        }
    }

    /** A successful answer to the request with the same id. */
    record Ok(long id, Fields body) implements Message {}

    /** A failed answer: a typed code and a message for the user. */
    record Error(long id, ErrorCode code, String message) implements Message {
        public CpiException toException() {
            return new CpiException(code, message);
        }
    }

    /** One entry of a user's event log, pushed by the server on a stream it opens. */
    record Event(long seq, String type, long timeMillis, Fields body) implements Message {}

    /** The client's acknowledgement of every event up to and including {@code seq}. */
    record Ack(long seq) implements Message {}
}
