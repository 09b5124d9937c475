package dev.faxlan.web.page;

import dev.faxlan.web.webhook.DeliveryAttempt;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** One attempt of a webhook's delivery log as its page shows it: the receiver's status, or the error when it gave none. */
public record DeliveryRow(String eventId, String eventType, int attempt, String at, String result, boolean failed, long durationMs, String outcome) {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    static DeliveryRow of(DeliveryAttempt a) {
        String result = a.status() != null ? String.valueOf(a.status()) : a.error();
        return new DeliveryRow(a.eventId(), a.eventType(), a.attempt(), TIME.format(a.at()), result,
                a.outcome() != DeliveryAttempt.Outcome.DELIVERED, a.duration().toMillis(), a.outcome().wire());
    }
}
