package dev.faxlan.server.service;

/** States of an outgoing job, as docs/protocol.md §4 lists them; the wire and the database use {@link #wire()}. */
public enum JobState {
    CONVERTING("converting", false),
    QUEUED("queued", false),
    DIALING("dialing", false),
    SENDING("sending", false),
    RETRY_WAIT("retry-wait", false),
    DONE("done", true),
    FAILED("failed", true),
    CANCELLED("cancelled", true);

    private final String wire;
    private final boolean terminal;

    JobState(String wire, boolean terminal) {
        this.wire = wire;
        this.terminal = terminal;
    }

    public String wire() {
        return wire;
    }

    public boolean terminal() {
        return terminal;
    }

    public static JobState fromWire(String s) {
        for (JobState j : values()) if (j.wire.equals(s)) return j;
        throw new IllegalArgumentException("unknown job state " + s);
    }
}
