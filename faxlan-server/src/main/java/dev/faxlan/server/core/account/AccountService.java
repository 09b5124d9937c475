package dev.faxlan.server.core.account;

import dev.faxlan.server.auth.PasswordHasher;
import dev.faxlan.server.auth.PasswordRule;
import dev.faxlan.server.core.Checks;
import dev.faxlan.server.core.Problem;
import dev.faxlan.server.core.ProblemException;
import dev.faxlan.server.service.Caller;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.Mailboxes;
import dev.faxlan.server.storage.ReceivedFaxes;
import dev.faxlan.server.storage.Users;
import java.sql.Connection;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** User accounts and their roles; administrators keep them. Each account has a personal mailbox of its name. */
public final class AccountService {
    /** An account to create; {@code role} null means {@code user}. */
    public record NewAccount(String name, String role, String password) {}

    private final Database db;
    private final Clock clock;
    private final PasswordHasher hasher;

    public AccountService(Database db, Clock clock, PasswordHasher hasher) {
        this.db = db;
        this.clock = clock;
        this.hasher = hasher;
    }

    public List<Users.User> list(Caller caller) throws Exception {
        Checks.requireAdmin(caller);
        return db.tx(Users::all);
    }

    /** Creates the account and its personal mailbox; returns the account. */
    public Users.User add(Connection c, Caller caller, NewAccount account) throws Exception {
        Checks.requireAdmin(caller);
        String name = Checks.userName(account.name());
        String role = role(account.role() != null ? account.role() : "user");
        String password = password(account.password());
        if (Users.byName(c, name).isPresent()) throw new ProblemException(Problem.ALREADY_EXISTS, "user " + name + " exists already");
        // The personal mailbox bears the user's name, so a name a mailbox already has is taken.
        if (Mailboxes.byName(c, name).isPresent()) throw new ProblemException(Problem.ALREADY_EXISTS, "a mailbox named " + name + " exists already");
        long now = clock.millis();
        long id = Users.insert(c, name, role, hasher.hash(password.toCharArray()), now);
        Mailboxes.insert(c, name, id, now);
        return Users.byId(c, id).orElseThrow();
    }

    /** Removes account {@code name} (never the caller's own); returns its name. */
    public String remove(Connection c, Caller caller, String name) throws Exception {
        Checks.requireAdmin(caller);
        if (name.equals(caller.name())) throw new ProblemException(Problem.CONFLICT, "an administrator cannot remove their own account");
        Users.User u = Users.byName(c, name).orElseThrow(() -> new ProblemException(Problem.NOT_FOUND, "no user " + name));
        // The personal mailbox goes with the account; its faxes stay, for the administrators to see.
        Optional<Mailboxes.Mailbox> personal = Mailboxes.personal(c, u.id());
        if (personal.isPresent()) ReceivedFaxes.moveMailbox(c, personal.get().name(), Mailboxes.UNADDRESSED);
        Users.delete(c, u.id());
        return name;
    }

    private static String role(String s) throws ProblemException {
        if (!s.equals("user") && !s.equals("admin")) throw new ProblemException(Problem.INVALID, "role must be user or admin, not " + s);
        return s;
    }

    /** {@code s} if the {@link PasswordRule} allows it. */
    public static String password(String s) throws ProblemException {
        Optional<String> problem = PasswordRule.problem(s);
        if (problem.isPresent()) throw new ProblemException(Problem.INVALID, problem.get());
        return s;
    }
}
