package dev.faxlan.server.routing;

import dev.faxlan.server.storage.Mailboxes;
import dev.faxlan.server.storage.ReceivedFaxes;
import dev.faxlan.server.storage.Routes;
import java.util.List;
import java.util.Optional;

/**
 * The Quick router's rules: tried in order, the first whose every given field matches wins; a fax no
 * rule claims goes to {@link Mailboxes#UNADDRESSED}. Pure functions: the rules and the call come in.
 */
public final class Router {
    private Router() {}

    /** The fields of an incoming call that rules can match. Absent values are empty strings. */
    public record Call(String calledNumber, String subaddress, String remoteIdent, String callerNumber, String line) {
        public Call {
            calledNumber = orEmpty(calledNumber);
            subaddress = orEmpty(subaddress);
            remoteIdent = orEmpty(remoteIdent);
            callerNumber = orEmpty(callerNumber);
            line = orEmpty(line);
        }

        public static Call of(ReceivedFaxes.Fax f) {
            return new Call(f.calledNumber(), f.subaddress(), f.remoteIdent(), f.callerNumber(), f.line());
        }

        private static String orEmpty(String s) {
            return s == null ? "" : s.strip();
        }
    }

    /** The first rule that matches, if any. */
    public static Optional<Routes.Route> firstMatch(List<Routes.Route> rules, Call call) {
        for (Routes.Route r : rules) {
            if (matches(r.match(), call)) return Optional.of(r);
        }
        return Optional.empty();
    }

    /** The mailbox the call goes to under these rules. */
    public static String mailboxFor(List<Routes.Route> rules, Call call) {
        return firstMatch(rules, call).map(Routes.Route::mailbox).orElse(Mailboxes.UNADDRESSED);
    }

    public static boolean matches(Routes.Match m, Call call) {
        return field(m.calledNumber(), call.calledNumber()) && field(m.subaddress(), call.subaddress())
                && field(m.remoteIdent(), call.remoteIdent()) && field(m.callerNumber(), call.callerNumber())
                && field(m.line(), call.line());
    }

    /** Null matches anything; "abc*" matches values starting with "abc"; anything else must be equal. */
    static boolean field(String pattern, String value) {
        if (pattern == null) return true;
        if (pattern.endsWith("*")) return value.startsWith(pattern.substring(0, pattern.length() - 1));
        return pattern.equals(value);
    }

    /**
     * Checks a rule field as an administrator typed it: at most 64 characters, '*' only at the end.
     *
     * @return the reason it is not valid, or null when it is
     */
    public static String invalidPattern(String pattern) {
        if (pattern == null) return null;
        if (pattern.isEmpty()) return "is empty (leave it out to match anything)";
        if (pattern.length() > ReceivedFaxes.TEXT_MAX) return "is longer than " + ReceivedFaxes.TEXT_MAX + " characters";
        int star = pattern.indexOf('*');
        if (star >= 0 && star != pattern.length() - 1) return "may contain '*' only at its end (a prefix match): " + pattern;
        return null;
    }
}
