package dev.faxlan.web.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faxlan.sdk.Alert;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One event of a user's log as a webhook delivers it: {@code {id, type, created, data}}. A job event
 * becomes {@code fax.<state>} ({@code fax.sent} for {@code done}), a received fax {@code fax.received};
 * {@code data} is the event's body as docs/protocol.md §5 lists it.
 *
 * @param id the webhook's id and the event's sequence number: the same on every delivery of this event
 *     to this webhook, so the receiver de-duplicates with it
 */
public record WebhookEvent(String id, long seq, String type, Instant created, Map<String, Object> data) {
    /** The types a webhook may subscribe to; events of a type added later reach the webhooks that take all types. */
    public static final List<String> TYPES = List.of("fax.queued", "fax.converting", "fax.dialing", "fax.sending", "fax.retry-wait",
            "fax.sent", "fax.failed", "fax.cancelled", "fax.received");
    private static final ObjectMapper JSON = new ObjectMapper();

    public WebhookEvent {
        data = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /** {@code alert} as delivered to webhook {@code webhookId}. */
    public static WebhookEvent of(long webhookId, Alert alert) {
        return new WebhookEvent(webhookId + "-" + alert.seq(), alert.seq(), typeOf(alert), Instant.ofEpochMilli(alert.timeMillis()), alert.body());
    }

    /** The webhook type of an event of the log. */
    static String typeOf(Alert alert) {
        if (!alert.type().equals("job")) return alert.type();
        Object state = alert.body().get("state");
        return "done".equals(state) ? "fax.sent" : "fax." + state;
    }

    /** The request body: compact JSON, in this field order. */
    public byte[] body() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("type", type);
        m.put("created", created.toString());
        m.put("data", data);
        try {
            return JSON.writeValueAsBytes(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event body of plain values did not serialize: " + data, e);
        }
    }
}
