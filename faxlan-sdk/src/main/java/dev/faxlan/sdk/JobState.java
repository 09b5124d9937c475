package dev.faxlan.sdk;

/**
 * Where an outgoing job stands, as docs/protocol.md lists the states. {@link #UNKNOWN} stands for a
 * state this client does not know (a newer server may add one): such a job is not finished.
 */
public enum JobState {
    QUEUED("queued", false),
    CONVERTING("converting", false),
    DIALING("dialing", false),
    SENDING("sending", false),
    RETRY_WAIT("retry-wait", false),
    DONE("done", true),
    FAILED("failed", true),
    CANCELLED("cancelled", true),
    UNKNOWN("", false);

    private final String wire;
    private final boolean finished;

    JobState(String wire, boolean finished) {
        this.wire = wire;
        this.finished = finished;
    }

    /** The state's name on the wire and in the command line's output. */
    public String wire() {
        return wire;
    }

    /** True for the states a job never leaves: done, failed, cancelled. */
    public boolean finished() {
        return finished;
    }

    /** The state named {@code s}; {@link #UNKNOWN} for a name this client does not know. */
    public static JobState of(String s) {
        for (JobState j : values()) if (j != UNKNOWN && j.wire.equals(s)) return j;
        return UNKNOWN;
    }
}
