package dev.faxlan.mail.imap;

import java.time.Duration;
import java.util.List;

/**
 * What the poller does, for observers (metrics, tests) without touching its logic. Called on the
 * poller's thread: a slow observer slows the poller.
 */
public interface PollerEvents {
    PollerEvents NONE = new PollerEvents() {};

    /** Logged in and about to read the folder; {@code idle}: the server offers IDLE. */
    default void connected(boolean idle) {}

    /** The jobs of a message exist; it is not yet moved. */
    default void submitted(String messageId, List<Long> jobs) {}

    /** The reply to a message is kept for sending ({@code outcome}: its first line); the message is not yet moved. */
    default void answered(String messageId, String outcome) {}

    /** A message is in {@code faxlan/done} or {@code faxlan/failed} ({@code folder}: the server's name). */
    default void moved(String messageId, String folder) {}

    /** A message stays for later: the fax server could not take it now. */
    default void deferred(String messageId, String reason) {}

    /** The mailbox connection failed; the next try is in {@code retryIn}. */
    default void disconnected(String reason, Duration retryIn) {}
}
