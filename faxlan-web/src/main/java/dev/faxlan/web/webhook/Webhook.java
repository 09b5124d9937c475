package dev.faxlan.web.webhook;

import java.net.URI;
import java.time.Instant;
import java.util.Set;

/**
 * A registered webhook: where its owner's events go and how they are signed.
 *
 * @param events the event types delivered; empty for all
 * @param apiKeyId the server's id of the API key that reads the owner's event log for it
 * @param apiKey that key (a secret, as {@code secret} is)
 * @param cursor the sequence number of the last event delivered or given up; null before the first subscription answered
 * @param stopped why deliveries stopped (the server refused the key), or null while they run
 */
public record Webhook(long id, String owner, URI url, Set<String> events, String secret, long apiKeyId, String apiKey, Long cursor,
        String stopped, Instant created) {
    public Webhook {
        events = Set.copyOf(events);
    }

    /** Whether events of {@code type} go to this webhook. */
    public boolean wants(String type) {
        return events.isEmpty() || events.contains(type);
    }

    /** The name of its alert subscription: the server keeps one per user and name. */
    public String subscriber() {
        return "webhook-" + id;
    }

    /** Without the secrets, and with the URL's host alone (its path or query may hold a token), for logs. */
    @Override
    public String toString() {
        return "webhook " + id + " of " + owner + " to " + url.getHost();
    }
}
