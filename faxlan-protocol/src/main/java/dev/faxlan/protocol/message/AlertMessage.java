package dev.faxlan.protocol.message;

/** {@code alert.subscribe}: events then come on streams the server opens. */
public sealed interface AlertMessage {
    /** {@code subscriber}: the cursor's name (default "default"); {@code from}: the last event seen, else the stored cursor. */
    record Subscribe(@MayBeAbsent String subscriber, @MayBeAbsent Long from) implements AlertMessage, CpiRequest<Subscribed> {}

    /** {@code from}: events after this one follow; {@code last}: the newest event's sequence number. */
    record Subscribed(long from, long last) implements AlertMessage {}
}
