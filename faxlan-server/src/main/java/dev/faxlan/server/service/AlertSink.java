package dev.faxlan.server.service;

/** Told after commit that a user's event log grew, so live subscribers can be pushed to. */
@FunctionalInterface
public interface AlertSink {
    void eventsAppended(long userId);

    /** Told after commit that sessions ended (logout, expiry, password change, user removed): subscriptions made by them end. */
    default void sessionsEnded() {}

    /** News may have been missed (the bus was cut off from other nodes): every live subscription re-reads its user's log. */
    default void catchUp() {}
}
