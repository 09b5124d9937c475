package dev.faxlan.web.page;

import dev.faxlan.sdk.UserAccount;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** An account as the accounts page lists it. */
public record AccountRow(String name, String role, String created) {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneId.systemDefault());

    static AccountRow of(UserAccount u) {
        return new AccountRow(u.name(), u.role(), u.created() == 0 ? "" : DAY.format(Instant.ofEpochMilli(u.created())));
    }
}
