package dev.faxlan.web.page;

import dev.faxlan.sdk.ApiKey;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** One API key as the keys page lists it: never the key itself, which the server does not have. */
public record KeyRow(long id, String label, String prefix, String created, String lastUsed) {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    static KeyRow of(ApiKey k) {
        return new KeyRow(k.id(), k.label(), k.prefix(), TIME.format(k.created()), k.lastUsed() == null ? "never" : TIME.format(k.lastUsed()));
    }
}
