package dev.faxlan.server.core.apikey;

import dev.faxlan.server.auth.ApiKeyFormat;
import dev.faxlan.server.core.AfterCommit;
import dev.faxlan.server.core.Checks;
import dev.faxlan.server.core.Notifications;
import dev.faxlan.server.core.Problem;
import dev.faxlan.server.core.ProblemException;
import dev.faxlan.server.service.Caller;
import dev.faxlan.server.storage.ApiKeys;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.Users;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

/**
 * API keys: what a program (a REST client, {@code faxlan web} on a user's behalf) logs in with
 * instead of a password. Each user keeps their own; an administrator may make, see and revoke
 * anyone's. Another user's key answers NOT_FOUND, exactly like a missing one.
 */
public final class ApiKeyService {
    public static final int MAX_LABEL = 64;
    /** Keys one user may hold: enough for every program they run, few enough that a list stays short. */
    public static final int MAX_KEYS_PER_USER = 100;

    /** A key just made: {@code secret} is the whole key, which exists only in this answer. */
    public record Created(ApiKeys.StoredKey key, String secret) {
        @Override
        public String toString() {
            return "Created[" + key.id() + "]"; // never the secret
        }
    }

    private final Clock clock;
    private final Database db;
    private final Notifications notifications;
    private final SecureRandom random = new SecureRandom();

    public ApiKeyService(Database db, Clock clock, Notifications notifications) {
        this.db = db;
        this.clock = clock;
        this.notifications = notifications;
    }

    /** Makes a key for the caller, or for {@code user} (administrators only; null or the caller's name: their own). */
    public Created create(Connection c, Caller caller, String label, String user) throws SQLException {
        String checked = label(label);
        long userId = caller.userId();
        if (user != null && !user.equals(caller.name())) {
            Checks.requireAdmin(caller);
            userId = Users.byName(c, user).orElseThrow(() -> new ProblemException(Problem.NOT_FOUND, "no user " + user)).id();
        }
        if (ApiKeys.list(c, userId).size() >= MAX_KEYS_PER_USER) {
            throw new ProblemException(Problem.CONFLICT, "a user may hold at most " + MAX_KEYS_PER_USER + " API keys; revoke one first");
        }
        ApiKeyFormat.NewKey made = ApiKeyFormat.generate(random);
        long id = ApiKeys.insert(c, userId, made.lookup(), made.secretHash(), checked, clock.millis());
        return new Created(ApiKeys.byId(c, id).orElseThrow(), made.text());
    }

    /** The caller's keys, or with {@code all} every user's (administrators only). */
    public List<ApiKeys.StoredKey> list(Caller caller, boolean all) throws SQLException {
        if (all) Checks.requireAdmin(caller);
        return db.tx(c -> ApiKeys.list(c, all ? null : caller.userId()));
    }

    /** Revokes key {@code id}: it logs in no more, and the sessions opened with it end at once. */
    public ApiKeys.StoredKey revoke(Connection c, Caller caller, long id, AfterCommit after) throws SQLException {
        ApiKeys.StoredKey k = ApiKeys.byId(c, id)
                .filter(found -> caller.isAdmin() || found.userId() == caller.userId())
                .orElseThrow(() -> new ProblemException(Problem.NOT_FOUND, "no API key " + id));
        ApiKeys.delete(c, id);
        after.add(notifications::sessionsEnded);
        return k;
    }

    /** A label: 1 to 64 characters, no control characters (it is shown in lists and terminals). */
    static String label(String s) throws ProblemException {
        if (s.isBlank() || s.length() > MAX_LABEL) {
            throw new ProblemException(Problem.INVALID, "an API key's label is 1 to " + MAX_LABEL + " characters (not blank), not " + s.length());
        }
        if (s.chars().anyMatch(Character::isISOControl)) throw new ProblemException(Problem.INVALID, "an API key's label must not contain control characters");
        return s;
    }
}
