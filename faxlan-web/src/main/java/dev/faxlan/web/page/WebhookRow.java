package dev.faxlan.web.page;

import dev.faxlan.web.webhook.Webhook;
import dev.faxlan.web.webhook.WebhookEvent;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;

/** One webhook as the webhooks page lists it: never its secret or its API key. */
public record WebhookRow(long id, String url, String events, String state, boolean stopped, String created) {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    static WebhookRow of(Webhook w) {
        String events = w.events().isEmpty() ? "all"
                : String.join(", ", w.events().stream().sorted(Comparator.comparingInt(WebhookEvent.TYPES::indexOf)).toList());
        String state = w.stopped() != null ? "stopped: " + w.stopped() : w.cursor() == null ? "starting" : "active";
        return new WebhookRow(w.id(), w.url().toString(), events, state, w.stopped() != null, TIME.format(w.created()));
    }
}
