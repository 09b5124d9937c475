package dev.faxlan.protocol.message;

/** {@code alert.subscribe}: events then come on streams the server opens. */
public sealed interface AlertMessage {
    /**
     * The type of an event pushed in place of one its user may no longer see: it keeps the sequence
     * without gaps (clients deliver in order), and a client acks it without delivering it.
     */
    String WITHDRAWN = "withdrawn";

    /** {@code subscriber}: the cursor's name (default "default"); {@code from}: the last event seen, else the stored cursor. */
    record Subscribe(@MayBeAbsent String subscriber, @MayBeAbsent Long from) implements AlertMessage, CpiRequest<Subscribed> {}

    /** {@code from}: events after this one follow; {@code last}: the newest event's sequence number. */
    record Subscribed(long from, long last) implements AlertMessage {}
}
