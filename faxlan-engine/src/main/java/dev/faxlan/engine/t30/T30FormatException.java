package dev.faxlan.engine.t30;

/** A malformed T.30 frame or field. */
public final class T30FormatException extends Exception {
    public T30FormatException(String message) {
        super(message);
    }
}
