package dev.faxlan.web.webhook;

import java.time.Duration;
import java.time.Instant;

/**
 * One attempt to deliver one event, as the delivery log keeps it.
 *
 * @param status the receiver's HTTP status, or null when there was none ({@code error} says why)
 * @param error why the attempt failed without a status (time-out, refused connection, refused address), or null
 */
public record DeliveryAttempt(long webhookId, String eventId, String eventType, int attempt, Instant at, Integer status, String error,
        Duration duration, Outcome outcome) {
    /** What came of an attempt. */
    public enum Outcome {
        /** The receiver answered 2xx: the event is done. */
        DELIVERED("delivered"),
        /** It failed and will be tried again. */
        RETRY("retry"),
        /** It failed and the event's retry time is over: the event is dropped. */
        GIVEN_UP("given-up");

        private final String wire;

        Outcome(String wire) {
            this.wire = wire;
        }

        /** Its name in the database and the API. */
        public String wire() {
            return wire;
        }

        static Outcome of(String wire) {
            for (Outcome o : values()) if (o.wire.equals(wire)) return o;
            throw new IllegalArgumentException("no delivery outcome '" + wire + "'");
        }
    }
}
