package dev.faxlan.server.routing;

import dev.faxlan.server.storage.Mailboxes;
import dev.faxlan.server.storage.Users;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who sees which mailbox: its owner, its members, and every administrator. Nobody else learns that a
 * fax in it exists.
 */
public final class MailboxAccess {
    private MailboxAccess() {}

    /** The names of the mailboxes a user sees; administrators see them all. */
    public static List<String> visible(Connection c, long userId, boolean admin) throws SQLException {
        List<String> names = new ArrayList<>();
        for (Mailboxes.Mailbox m : admin ? Mailboxes.all(c) : Mailboxes.ofUser(c, userId)) names.add(m.name());
        return names;
    }

    /** Whether a user sees a fax routed to {@code mailbox} (null: not routed yet, administrators only). */
    public static boolean canSee(Connection c, long userId, boolean admin, String mailbox) throws SQLException {
        if (admin) return true;
        if (mailbox == null) return false;
        return visible(c, userId, false).contains(mailbox);
    }

    /** Everyone who sees the mailbox: owner, members and administrators, each once. */
    public static Set<Long> viewers(Connection c, Mailboxes.Mailbox mailbox) throws SQLException {
        Set<Long> ids = new LinkedHashSet<>(Mailboxes.users(c, mailbox.id()));
        for (Users.User u : Users.all(c)) if (u.isAdmin()) ids.add(u.id());
        return ids;
    }
}
