package dev.faxlan.server.core.mailbox;

import java.sql.SQLException;
import dev.faxlan.server.core.Checks;
import dev.faxlan.server.core.Problem;
import dev.faxlan.server.core.ProblemException;
import dev.faxlan.server.service.Caller;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.Mailboxes;
import dev.faxlan.server.storage.ReceivedFaxes;
import dev.faxlan.server.storage.Routes;
import dev.faxlan.server.storage.Users;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Mailboxes: each user's personal one and shared ones whose members see their faxes. Administrators
 * keep the shared ones; users see the mailboxes they belong to.
 */
public final class MailboxService {
    /** A mailbox with the names of its members; {@code personal} ones belong to one user. */
    public record Box(String name, boolean personal, List<String> members) {}

    /** A user's membership of a shared mailbox. */
    public record Membership(String mailbox, String user) {}

    private final Database db;
    private final Clock clock;

    public MailboxService(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Every mailbox for an administrator; the caller's own ones for anyone else. */
    public List<Box> list(Caller caller) throws SQLException {
        return db.tx(c -> {
            List<Box> out = new ArrayList<>();
            for (Mailboxes.Mailbox m : caller.isAdmin() ? Mailboxes.all(c) : Mailboxes.ofUser(c, caller.userId())) {
                List<String> members = new ArrayList<>();
                for (long uid : Mailboxes.users(c, m.id())) Users.byId(c, uid).ifPresent(u -> members.add(u.name()));
                out.add(new Box(m.name(), m.ownerId() != null, members));
            }
            return out;
        });
    }

    /** Adds shared mailbox {@code name}; returns its name. */
    public String add(Connection c, Caller caller, String name) throws SQLException {
        Checks.requireAdmin(caller);
        Checks.userName(name);
        // Mailboxes and accounts share one namespace: a personal mailbox is named after its user.
        if (Mailboxes.byName(c, name).isPresent() || Users.byName(c, name).isPresent()) {
            throw new ProblemException(Problem.ALREADY_EXISTS, "a mailbox or user named " + name + " exists already");
        }
        Mailboxes.insert(c, name, null, clock.millis());
        return name;
    }

    /** Removes shared mailbox {@code name}, moving its faxes to Unaddressed; returns its name. */
    public String remove(Connection c, Caller caller, String name) throws SQLException {
        Checks.requireAdmin(caller);
        Mailboxes.Mailbox m = shared(c, name);
        if (m.name().equals(Mailboxes.UNADDRESSED)) throw new ProblemException(Problem.CONFLICT, "Unaddressed cannot be removed");
        List<Long> using = new ArrayList<>();
        for (Routes.Route r : Routes.all(c)) if (r.mailboxId() == m.id()) using.add(r.id());
        if (!using.isEmpty()) throw new ProblemException(Problem.CONFLICT, "routing rules " + using + " deliver to " + m.name() + "; remove them first");
        ReceivedFaxes.moveMailbox(c, m.name(), Mailboxes.UNADDRESSED);
        Mailboxes.delete(c, m.id());
        return m.name();
    }

    public Membership addMember(Connection c, Caller caller, Membership asked) throws SQLException {
        return changeMember(c, caller, asked, true);
    }

    public Membership removeMember(Connection c, Caller caller, Membership asked) throws SQLException {
        return changeMember(c, caller, asked, false);
    }

    private Membership changeMember(Connection c, Caller caller, Membership asked, boolean add) throws SQLException {
        Checks.requireAdmin(caller);
        Mailboxes.Mailbox m = shared(c, asked.mailbox());
        String user = asked.user();
        Users.User u = Users.byName(c, user).orElseThrow(() -> new ProblemException(Problem.NOT_FOUND, "no user " + user));
        if (add) Mailboxes.addMember(c, m.id(), u.id());
        else Mailboxes.removeMember(c, m.id(), u.id());
        return new Membership(m.name(), u.name());
    }

    /** A shared mailbox by name (personal ones go with their user). */
    private static Mailboxes.Mailbox shared(Connection c, String name) throws SQLException {
        Mailboxes.Mailbox m = Mailboxes.byName(c, name).orElseThrow(() -> new ProblemException(Problem.NOT_FOUND, "no mailbox " + name));
        if (m.ownerId() != null) throw new ProblemException(Problem.CONFLICT, name + " is a personal mailbox; it belongs to its user");
        return m;
    }
}
