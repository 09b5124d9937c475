package dev.faxlan.server.core.cover;

import java.sql.SQLException;
import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.cover.CoverTemplateParser;
import dev.faxlan.documents.cover.CoverTemplates;
import dev.faxlan.server.core.Checks;
import dev.faxlan.server.core.Problem;
import dev.faxlan.server.core.ProblemException;
import dev.faxlan.server.service.Caller;
import dev.faxlan.server.storage.CoverPages;
import dev.faxlan.server.storage.Database;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Cover page templates: the built-in ones, each user's own, and shared ones the administrators keep. */
public final class CoverService {
    /** Where a template comes from, as users see it. */
    public enum Kind {
        BUILT_IN("built-in"), SHARED("shared"), OWN("own");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** A template the caller can use; {@code updated} is null for built-in ones. */
    public record Cover(String name, Kind kind, Long updated) {}

    /** A template to store; {@code shared} ones are for every user, and only administrators store them. */
    public record NewCover(String name, String source, boolean shared) {}

    static final int MAX_SOURCE_CHARS = 65536;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Database db;
    private final Clock clock;

    public CoverService(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** The built-in templates, then the caller's own and the shared ones. */
    public List<Cover> list(Caller caller) throws SQLException {
        List<Cover> covers = new ArrayList<>();
        for (String b : CoverTemplates.BUILT_IN) covers.add(new Cover(b, Kind.BUILT_IN, null));
        for (CoverPages.Template t : db.tx(c -> CoverPages.visible(c, caller.userId()))) {
            covers.add(new Cover(t.name(), t.shared() ? Kind.SHARED : Kind.OWN, t.updated()));
        }
        return covers;
    }

    public String source(Caller caller, String name) throws SQLException {
        return db.tx(c -> source(c, caller.userId(), name));
    }

    /** The source of cover page {@code name} as user {@code userId} sees it: their own, shared, or built-in. */
    public static String source(Connection c, long userId, String name) throws SQLException {
        Optional<CoverPages.Template> t = CoverPages.find(c, userId, name);
        if (t.isPresent()) return t.get().source();
        if (CoverTemplates.BUILT_IN.contains(name)) {
            try {
                return CoverTemplates.builtInSource(name);
            } catch (DocumentException e) {
                throw new IllegalStateException("built-in cover page " + name + " is missing from the build", e);
            }
        }
        throw new ProblemException(Problem.NOT_FOUND, "no cover page " + name);
    }

    /** Stores a template that parses, replacing the one of that name the caller (or, shared, everyone) had. */
    public Cover put(Connection c, Caller caller, NewCover cover) throws SQLException {
        if (cover.shared()) Checks.requireAdmin(caller);
        String name = cover.name();
        if (!NAME.matcher(name).matches()) throw new ProblemException(Problem.INVALID, "a cover page name is 1 to 64 of a-z A-Z 0-9 . _ -");
        if (CoverTemplates.BUILT_IN.contains(name)) throw new ProblemException(Problem.ALREADY_EXISTS, name + " is a built-in cover page");
        String source = cover.source();
        if (source.length() > MAX_SOURCE_CHARS) throw new ProblemException(Problem.INVALID, "a cover page template is at most 64 KiB");
        try {
            CoverTemplateParser.parse(name, source);
        } catch (DocumentException e) {
            throw new ProblemException(Problem.INVALID, "the template does not parse: " + e.getMessage());
        }
        long now = clock.millis();
        CoverPages.put(c, cover.shared() ? null : caller.userId(), name, source, now);
        return new Cover(name, cover.shared() ? Kind.SHARED : Kind.OWN, now);
    }
}
