package dev.faxlan.server.core.account;

import dev.faxlan.server.core.AfterCommit;
import dev.faxlan.server.core.Notifications;
import dev.faxlan.server.core.session.Authenticator;
import dev.faxlan.server.storage.Sessions;
import java.security.SecureRandom;

import java.sql.SQLException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** User accounts and their roles; administrators keep them. Each account has a personal mailbox of its name. */
public final class AccountService {
    /**
     * The roles an account may have: {@code user}; {@code gateway}, a user that may also submit jobs
     * owned by another account (a mail gateway's own account); {@code admin}.
     */
    public static final List<String> ROLES = List.of("user", "gateway", "admin");

    /** An account to create; {@code role} null means {@code user}. */
    public record NewAccount(String name, String role, String password) {}

    private static final Logger log = LoggerFactory.getLogger(AccountService.class);

    private final Database db;
    private final Clock clock;
    private final PasswordHasher hasher;
    private final Authenticator authenticator;
    private final Notifications notifications;
    private final SecureRandom random = new SecureRandom();

    public AccountService(Database db, Clock clock, PasswordHasher hasher, Authenticator authenticator, Notifications notifications) {
        this.db = db;
        this.clock = clock;
        this.hasher = hasher;
        this.authenticator = authenticator;
        this.notifications = notifications;
    }

    /**
     * Creates the administrator on first start; returns the generated password if one was made.
     *
     * @throws IllegalArgumentException if {@code presetPassword} breaks the {@link PasswordRule}
     */
    public Optional<String> bootstrapAdmin(String presetPassword) throws SQLException {
        boolean preset = presetPassword != null && !presetPassword.isEmpty();
        if (preset) {
            PasswordRule.problem(presetPassword).ifPresent(p -> {
                throw new IllegalArgumentException("administrator account: " + p);
            });
        }
        return db.tx(c -> {
            if (Users.count(c) > 0) return Optional.<String>empty();
            String pw = preset ? presetPassword : generatedPassword();
            Users.insert(c, "admin", "admin", hasher.hash(pw.toCharArray()), clock.millis());
            return preset ? Optional.<String>empty() : Optional.of(pw);
        });
    }

    /** Gives every account its personal mailbox (accounts made before mailboxes existed, the first admin). */
    public void ensurePersonalMailboxes() throws SQLException {
        db.tx(c -> {
            for (Users.User u : Users.all(c)) {
                if (Mailboxes.personal(c, u.id()).isPresent()) continue;
                if (Mailboxes.byName(c, u.name()).isPresent()) {
                    log.warn("user {} has no personal mailbox: a shared mailbox has that name", u.name());
                    continue;
                }
                Mailboxes.insert(c, u.name(), u.id(), clock.millis());
            }
            return null;
        });
    }

    public List<Users.User> list(Caller caller) throws SQLException {
        Checks.requireAdmin(caller);
        return db.tx(Users::all);
    }

    /** Creates the account and its personal mailbox; returns the account. */
    public Users.User add(Connection c, Caller caller, NewAccount account) throws SQLException {
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

    /**
     * Sets the password of account {@code name} (null: the caller's own); another's needs an
     * administrator, one's own needs the current password. The account's sessions end.
     */
    public String changePassword(Connection c, Caller caller, String name, String current, String newPassword, AfterCommit after) throws SQLException {
        String user = name != null ? name : caller.name();
        boolean own = user.equals(caller.name());
        if (!own) Checks.requireAdmin(caller);
        Users.User u = Users.byName(c, user).orElseThrow(() -> new ProblemException(Problem.NOT_FOUND, "no user " + user));
        if (own) authenticator.checkCurrentPassword(u, current, caller.address());
        Users.updatePassword(c, u.id(), hasher.hash(password(newPassword).toCharArray()));
        Sessions.deleteForUser(c, u.id());
        after.add(notifications::sessionsEnded);
        return user;
    }

    /** Removes account {@code name} (never the caller's own); returns its name. Its sessions end. */
    public String remove(Connection c, Caller caller, String name, AfterCommit after) throws SQLException {
        Checks.requireAdmin(caller);
        if (name.equals(caller.name())) throw new ProblemException(Problem.CONFLICT, "an administrator cannot remove their own account");
        Users.User u = Users.byName(c, name).orElseThrow(() -> new ProblemException(Problem.NOT_FOUND, "no user " + name));
        // The personal mailbox goes with the account; its faxes stay, for the administrators to see.
        Optional<Mailboxes.Mailbox> personal = Mailboxes.personal(c, u.id());
        if (personal.isPresent()) ReceivedFaxes.moveMailbox(c, personal.get().name(), Mailboxes.UNADDRESSED);
        Users.delete(c, u.id());
        after.add(notifications::sessionsEnded);
        return name;
    }

    private static String role(String s) throws ProblemException {
        if (!ROLES.contains(s)) throw new ProblemException(Problem.INVALID, "role must be user, gateway or admin, not " + s);
        return s;
    }

    private String generatedPassword() {
        final String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20; i++) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return sb.toString();
    }

    /** {@code s} if the {@link PasswordRule} allows it. */
    public static String password(String s) throws ProblemException {
        Optional<String> problem = PasswordRule.problem(s);
        if (problem.isPresent()) throw new ProblemException(Problem.INVALID, problem.get());
        return s;
    }
}
