package dev.faxlan.server.core.session;

import dev.faxlan.server.auth.ApiKeyFormat;
import dev.faxlan.server.auth.LoginThrottle;
import dev.faxlan.server.auth.PasswordHasher;
import dev.faxlan.server.auth.PasswordRule;
import dev.faxlan.server.core.Checks;
import dev.faxlan.server.core.Notifications;
import dev.faxlan.server.core.Problem;
import dev.faxlan.server.core.ProblemException;
import dev.faxlan.server.service.Caller;
import dev.faxlan.server.storage.ApiKeys;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.Sessions;
import dev.faxlan.server.storage.Users;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is asking: logins by password (throttled per user and address, timed alike for names that
 * exist and names that do not) or by API key (throttled per address), the sessions they open, and
 * the check of a user's current password before it is changed. Only a hash of a session token is stored.
 */
public final class Authenticator {
    private static final Logger log = LoggerFactory.getLogger(Authenticator.class);
    public static final long SESSION_LIFETIME_MS = 24 * 3600_000L;
    /** Random bytes in a session token: 256 bits, beyond guessing. */
    public static final int TOKEN_BYTES = 32;

    /** An opened session: the token the user presents from now on, and when it expires. */
    public record Session(byte[] token, String user, String role, long expires) {}

    private final Database db;
    private final Clock clock;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final Notifications notifications;
    private final SecureRandom random = new SecureRandom();
    private final String dummyHash;

    public Authenticator(Database db, Clock clock, PasswordHasher hasher, Notifications notifications) {
        this.db = db;
        this.clock = clock;
        this.hasher = hasher;
        this.notifications = notifications;
        this.throttle = new LoginThrottle(clock);
        this.dummyHash = hasher.dummyHash();
    }

    /** Checks a user's password and opens a session for them. */
    public Session login(String user, String password, String address) throws SQLException {
        if (!Checks.USER_NAME.matcher(user).matches() || PasswordRule.tooLongToExist(password)) {
            // Not a name that can exist: refuse before the throttle keeps it as a key (bounded memory).
            throttle.failure("", address);
            throw new ProblemException(Problem.WRONG_CREDENTIALS, "wrong user name or password");
        }
        long wait = throttle.waitMillis(user, address);
        if (wait > 0) {
            throw new ProblemException(Problem.THROTTLED,
                    "too many failed logins for " + user + " from this address; try again in " + seconds(wait) + " s");
        }
        Optional<Users.User> found = db.tx(c -> Users.byName(c, user));
        // Verify against a dummy hash for unknown users so timing does not reveal which names exist.
        boolean ok = hasher.verify(password.toCharArray(), found.map(Users.User::passwordHash).orElse(dummyHash)) && found.isPresent();
        if (!ok) {
            throttle.failure(user, address);
            log.info("failed login for user {} from {}", user, address);
            throw new ProblemException(Problem.WRONG_CREDENTIALS, "wrong user name or password");
        }
        throttle.success(user, address);
        byte[] token = new byte[TOKEN_BYTES];
        random.nextBytes(token);
        long now = clock.millis();
        Users.User u = found.get();
        db.tx(c -> {
            Sessions.insert(c, Sessions.tokenHash(token), u.id(), now, now + SESSION_LIFETIME_MS);
            return null;
        });
        return new Session(token, u.name(), u.role(), now + SESSION_LIFETIME_MS);
    }

    /**
     * Opens a session for the user of API key {@code key}, with that user's role. A wrong, malformed or
     * revoked key is a failed login of this address, as a wrong password is; the log names at most
     * the key's public prefix.
     */
    public Session loginWithKey(String key, String address) throws SQLException {
        long wait = throttle.waitMillis("", address);
        if (wait > 0) {
            throw new ProblemException(Problem.THROTTLED, "too many failed logins from this address; try again in " + seconds(wait) + " s");
        }
        Optional<ApiKeyFormat.Parsed> parsed = ApiKeyFormat.parse(key);
        byte[] token = new byte[TOKEN_BYTES];
        random.nextBytes(token);
        long now = clock.millis();
        Optional<Session> opened = parsed.isEmpty() ? Optional.empty() : db.tx(c -> {
            Optional<ApiKeys.StoredKey> stored = ApiKeys.byLookup(c, parsed.get().lookup());
            if (stored.isEmpty() || !ApiKeyFormat.matches(parsed.get().secret(), stored.get().secretHash())) return Optional.<Session>empty();
            ApiKeys.StoredKey k = stored.get();
            Users.User u = Users.byId(c, k.userId()).orElseThrow();
            Sessions.insert(c, Sessions.tokenHash(token), u.id(), k.id(), now, now + SESSION_LIFETIME_MS);
            ApiKeys.touch(c, k.id(), now);
            return Optional.of(new Session(token, u.name(), u.role(), now + SESSION_LIFETIME_MS));
        });
        if (opened.isEmpty()) {
            throttle.failure("", address);
            log.info("failed login with API key {} from {}", parsed.map(p -> ApiKeyFormat.prefix(p.lookup())).orElse("(malformed)"), address);
            throw new ProblemException(Problem.WRONG_CREDENTIALS, "wrong or revoked API key");
        }
        throttle.success(opened.get().user(), address);
        return opened.get();
    }

    /** The user whose live session {@code token} is (null: no token given). */
    public Caller caller(byte[] token) throws SQLException {
        if (token == null) throw new ProblemException(Problem.NOT_LOGGED_IN, "log in first: no session token");
        long now = clock.millis();
        Optional<Caller> caller = db.tx(c -> {
            OptionalLong uid = Sessions.userOf(c, Sessions.tokenHash(token), now);
            if (uid.isEmpty()) return Optional.empty();
            return Users.byId(c, uid.getAsLong()).map(u -> new Caller(u.id(), u.name(), u.role()));
        });
        return caller.orElseThrow(() -> new ProblemException(Problem.NOT_LOGGED_IN, "the session is unknown or expired; log in again"));
    }

    /** Ends the session {@code token}; subscriptions it made end with it. */
    public void logout(byte[] token) throws SQLException {
        db.tx(c -> {
            Sessions.delete(c, Sessions.tokenHash(token));
            return null;
        });
        notifications.sessionsEnded();
    }

    /**
     * Changing one's own password needs the current one, so a stolen session cannot become the
     * account for good. Wrong guesses count as failed logins from that address.
     */
    public void checkCurrentPassword(Users.User u, String current, String address) {
        if (current == null) {
            throw new ProblemException(Problem.INVALID, "changing your own password needs your current password (field current)");
        }
        long wait = throttle.waitMillis(u.name(), address);
        if (wait > 0) {
            throw new ProblemException(Problem.THROTTLED,
                    "too many wrong passwords for " + u.name() + " from this address; try again in " + seconds(wait) + " s");
        }
        if (!hasher.verify(current.toCharArray(), u.passwordHash())) {
            throttle.failure(u.name(), address);
            log.info("wrong current password changing the password of {} from {}", u.name(), address);
            throw new ProblemException(Problem.WRONG_CREDENTIALS, "the current password of " + u.name() + " is wrong");
        }
    }

    /** Forgets expired sessions; subscriptions they made end (checked only when a session was forgotten). */
    public void purgeExpired() throws SQLException {
        long now = clock.millis();
        int expired = db.tx(c -> Sessions.deleteExpired(c, now));
        if (expired > 0) notifications.sessionsEnded();
    }

    private static long seconds(long millis) {
        return (millis + 999) / 1000;
    }
}
