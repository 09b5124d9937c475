package dev.faxlan.server.core.routing;

import dev.faxlan.server.core.Checks;
import dev.faxlan.server.core.Problem;
import dev.faxlan.server.core.ProblemException;
import dev.faxlan.server.routing.Router;
import dev.faxlan.server.service.Caller;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.Mailboxes;
import dev.faxlan.server.storage.Routes;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The Quick router's rules: which mailbox a received fax goes to, and where it is forwarded. Administrators only. */
public final class RouteService {
    /** A rule as stored, with its forward number (null when it forwards nowhere). */
    public record Rule(long id, int position, Routes.Match match, String mailbox, String forward, long created) {}

    /**
     * A rule to add: patterns (null matches anything), the mailbox it delivers to, the position
     * (1-based; 0 or null appends) and a number to forward to, or null.
     */
    public record NewRule(Routes.Match match, String mailbox, Long position, String forward) {}

    /** Where a call would go: the first rule that matches it, or none and the Unaddressed mailbox. */
    public record Tested(String mailbox, Rule rule) {}

    private final Database db;
    private final Clock clock;

    public RouteService(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public List<Rule> list(Caller caller) throws SQLException {
        Checks.requireAdmin(caller);
        return db.tx(c -> {
            List<Rule> rules = new ArrayList<>();
            for (Routes.Route r : Routes.all(c)) rules.add(rule(c, r));
            return rules;
        });
    }

    public Tested test(Caller caller, Router.Call call) throws SQLException {
        Checks.requireAdmin(caller);
        return db.tx(c -> {
            Optional<Routes.Route> hit = Router.firstMatch(Routes.all(c), call);
            return new Tested(hit.map(Routes.Route::mailbox).orElse(Mailboxes.UNADDRESSED), hit.isPresent() ? rule(c, hit.get()) : null);
        });
    }

    public Rule add(Connection c, Caller caller, NewRule rule) throws SQLException {
        Checks.requireAdmin(caller);
        Routes.Match asked = rule.match();
        Routes.Match m = new Routes.Match(pattern(asked.calledNumber(), "did"), pattern(asked.subaddress(), "subaddress"),
                pattern(asked.remoteIdent(), "csid"), pattern(asked.callerNumber(), "caller"), pattern(asked.line(), "line"),
                content(asked.content()));
        String name = rule.mailbox();
        Mailboxes.Mailbox box = Mailboxes.byName(c, name).orElseThrow(() -> new ProblemException(Problem.NOT_FOUND,
                "no mailbox " + name + " (mailboxes are named after their users, plus " + Mailboxes.UNADDRESSED + ")"));
        long position = rule.position() != null ? rule.position() : 0;
        if (position < 0 || position > Integer.MAX_VALUE) throw new ProblemException(Problem.INVALID, "position must be 1 or more");
        String forward = rule.forward() != null ? Checks.faxNumber(rule.forward()) : null;
        long id = Routes.insert(c, (int) position, m, box.id(), clock.millis());
        if (forward != null) Routes.setForward(c, id, forward);
        return rule(c, Routes.byId(c, id).orElseThrow());
    }

    /** Removes rule {@code id}; returns its id. */
    public long remove(Connection c, Caller caller, long id) throws SQLException {
        Checks.requireAdmin(caller);
        if (!Routes.delete(c, id)) throw new ProblemException(Problem.NOT_FOUND, "no route " + id);
        return id;
    }

    private static String content(String content) throws ProblemException {
        String why = Router.invalidContent(content);
        if (why != null) throw new ProblemException(Problem.INVALID, "content " + why);
        return content == null ? null : content.strip();
    }

    private static String pattern(String p, String name) throws ProblemException {
        String why = Router.invalidPattern(p);
        if (why != null) throw new ProblemException(Problem.INVALID, name + " " + why);
        return p;
    }

    private static Rule rule(Connection c, Routes.Route r) throws SQLException {
        return new Rule(r.id(), r.position(), r.match(), r.mailbox(), Routes.forwardOf(c, r.id()).orElse(null), r.created());
    }
}
