package dev.faxlan.engine.fax;

/** How a fax call ended (T.30 phase E), with a reason a person can read. */
public enum FaxResult {
    OK("the fax was transferred completely"),
    T1_EXPIRED("the other side never identified itself as a fax machine (T1 expired)"),
    NO_RESPONSE("the other side stopped answering commands (three tries without a response)"),
    TRAINING_FAILED("the modems could not train at any rate (failure to train down to the slowest rate)"),
    INCOMPATIBLE("the receiver cannot take this fax (no common coding, width or resolution)"),
    REMOTE_NO_RECEIVER("the called machine is not ready to receive faxes"),
    PAGE_REJECTED("the receiver rejected a page three times (RTN)"),
    RECEIVER_BUSY("the receiver stayed not ready (RNR) for longer than T5, 60 s"),
    REMOTE_DISCONNECTED("the other side hung up (DCN) before the end of the fax"),
    T2_EXPIRED("no command from the sender in time (T2 expired)"),
    PAGE_TIMEOUT("the page data stopped arriving"),
    PAGE_UNREADABLE("a received page could not be decoded"),
    PROTOCOL_ERROR("the other side broke the T.30 procedure"),
    PAGE_NOT_READ("a page to send could not be read"),
    NOTHING_TO_POLL("polling found no document: the polled side holds none (its DIS is not ready to transmit)"),
    POLL_PASSWORD_REFUSED("polling was refused: the password (PWD) was missing or wrong"),
    POLL_ADDRESS_REFUSED("polling was refused: the selective polling address (SEP) names no document held"),
    CANCELLED("the call was cancelled locally"),
    RECEIVED_NOT_STORED("the fax arrived but could not be stored, so its last page was not confirmed");

    private final String reason;

    FaxResult(String reason) {
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }

    /** Whether trying the same call again later may succeed (busy-like failures, not incompatibility). */
    public boolean retryable() {
        return this != OK && this != INCOMPATIBLE && this != REMOTE_NO_RECEIVER && this != CANCELLED && this != NOTHING_TO_POLL
                && this != POLL_PASSWORD_REFUSED && this != POLL_ADDRESS_REFUSED;
    }
}
