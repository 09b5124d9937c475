package dev.faxlan.engine.t38;

/** A malformed IFP or UDPTL packet. The message says what was wrong and where. */
public final class T38FormatException extends Exception {
    public T38FormatException(String message) {
        super(message);
    }
}
