package dev.faxlan.protocol.cbor;

/** Malformed or over-limit CBOR input. The message says what and where. */
public final class CborException extends Exception {
    public CborException(String message) {
        super(message);
    }
}
