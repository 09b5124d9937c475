package dev.faxlan.lines;

/**
 * A line refused to place a call because every channel is in use: no call was made, so the job
 * waits for a free channel instead of counting a failed attempt. The scheduler asks for a free
 * channel first, but the loopback line's answering side may still hold a call whose fax is being
 * stored (longer while the database is away), so a channel seen free can be taken when the call
 * is placed.
 */
public final class ChannelsBusyException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public ChannelsBusyException(String message) {
        super(message);
    }
}
