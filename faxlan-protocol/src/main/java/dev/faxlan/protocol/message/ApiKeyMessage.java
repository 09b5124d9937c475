package dev.faxlan.protocol.message;

import java.util.List;

/** {@code apikey.create}, {@code apikey.list} and {@code apikey.revoke}: keys a program logs in with instead of a password. */
public sealed interface ApiKeyMessage {
    /** {@code user}: absent for a key of the caller's own; another user's needs an administrator. */
    record CreateKey(String label, @MayBeAbsent String user) implements ApiKeyMessage, CpiRequest<CreatedKey> {}

    /**
     * The new key: {@code key} is the whole secret, in this answer only (a replay of the request
     * answers without it, since the server keeps only its hash); {@code prefix} its non-secret start.
     */
    record CreatedKey(long id, String label, String user, String prefix, long created, @MayBeAbsent String key) implements ApiKeyMessage {
        @Override
        public String toString() {
            return "CreatedKey[id=" + id + ", label=" + label + ", user=" + user + ", prefix=" + prefix + "]"; // never the key
        }
    }

    /** {@code all}: every user's keys (administrators only); otherwise the caller's own. */
    record ListKeys(@MayBeAbsent Boolean all) implements ApiKeyMessage, CpiRequest<Keys> {}

    record Keys(List<ApiKey> keys) implements ApiKeyMessage {}

    /** A key as lists show it: never its secret. {@code last_used}: the last login with it, absent if none. */
    record ApiKey(long id, String label, String user, String prefix, long created, @MayBeAbsent @WireName("last_used") Long lastUsed)
            implements ApiKeyMessage {}

    record RevokeKey(long id) implements ApiKeyMessage, CpiRequest<ApiKey> {}
}
