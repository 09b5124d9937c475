package dev.faxlan.lines;

/** How an outbound fax call ended, in the terms a scheduler acts on (retry, give up, report). */
public enum CallOutcome {
    SUCCESS("the fax was delivered", false),
    BUSY("the number was busy", true),
    NO_ANSWER("nobody answered", true),
    REJECTED("the call was rejected", false),
    T38_NOT_SUPPORTED("the other side does not take T.38 fax (488)", false),
    NETWORK_ERROR("the call could not be placed or was lost (network or SIP error)", true),
    T30_FAILURE("the fax transfer failed (T.30)", true),
    CANCELLED("the call was cancelled locally", false);

    private final String reason;
    private final boolean retryable;

    CallOutcome(String reason, boolean retryable) {
        this.reason = reason;
        this.retryable = retryable;
    }

    public String reason() {
        return reason;
    }

    /** Whether placing the same call later may succeed. */
    public boolean retryable() {
        return retryable;
    }
}
