package dev.faxlan.sdk;

import dev.faxlan.protocol.message.ApiKeyMessage;
import java.time.Instant;

/**
 * An API key as the server lists it: {@code prefix} is its non-secret start, {@code lastUsed} the
 * last login with it (null if never). {@code key} is the whole key, non-null only in the result of
 * {@link FaxlanClient#createApiKey}: the server keeps only its hash and never shows it again.
 */
public record ApiKey(long id, String label, String user, String prefix, Instant created, Instant lastUsed, String key) {
    static ApiKey from(ApiKeyMessage.ApiKey k) {
        return new ApiKey(k.id(), k.label(), k.user(), k.prefix(), Instant.ofEpochMilli(k.created()),
                k.lastUsed() == null ? null : Instant.ofEpochMilli(k.lastUsed()), null);
    }

    /** Never the key itself, so a key does not end up in a log by way of its record. */
    @Override
    public String toString() {
        return "ApiKey[id=" + id + ", label=" + label + ", user=" + user + ", prefix=" + prefix + ", created=" + created + ", lastUsed=" + lastUsed + "]";
    }
}
