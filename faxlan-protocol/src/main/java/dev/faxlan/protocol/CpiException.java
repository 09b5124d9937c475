package dev.faxlan.protocol;

/** A CPI error: a typed code and a message for the user. Thrown by handlers, carried on the wire. */
public class CpiException extends Exception {
    private final ErrorCode code;

    public CpiException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    @Override
    public String toString() {
        return code + ": " + getMessage();
    }
}
