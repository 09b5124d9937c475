package dev.faxlan.server.routing;

import dev.faxlan.server.storage.Mailboxes;
import dev.faxlan.server.storage.ReceivedFaxes;
import dev.faxlan.server.storage.Routes;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import dev.faxlan.documents.ocr.PageText;

/**
 * The Quick router's rules: tried in order, the first whose every given field matches wins; a fax no
 * rule claims goes to {@link Mailboxes#UNADDRESSED}. Pure functions: the rules and the call come in.
 */
public final class Router {
    private Router() {}

    /**
     * The fields of an incoming call that rules can match. Absent values are empty strings;
     * {@code content} is the set of page 1's search words, or null when page 1 has not been read (then no
     * content rule matches).
     */
    public record Call(String calledNumber, String subaddress, String remoteIdent, String callerNumber, String line, Set<String> content) {
        /** A call whose page 1 is not read. */
        public Call(String calledNumber, String subaddress, String remoteIdent, String callerNumber, String line) {
            this(calledNumber, subaddress, remoteIdent, callerNumber, line, null);
        }

        public Call {
            content = content == null ? null : Set.copyOf(content);
            calledNumber = orEmpty(calledNumber);
            subaddress = orEmpty(subaddress);
            remoteIdent = orEmpty(remoteIdent);
            callerNumber = orEmpty(callerNumber);
            line = orEmpty(line);
        }

        public static Call of(ReceivedFaxes.Fax f) {
            return new Call(f.calledNumber(), f.subaddress(), f.remoteIdent(), f.callerNumber(), f.line());
        }

        /** The call of {@code f} with page 1's words. */
        public static Call of(ReceivedFaxes.Fax f, Set<String> page1Words) {
            return new Call(f.calledNumber(), f.subaddress(), f.remoteIdent(), f.callerNumber(), f.line(), page1Words);
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
                && field(m.line(), call.line()) && content(m.content(), call.content());
    }

    /** Null matches anything; otherwise every word of the pattern must be among page 1's words (case-insensitive). */
    static boolean content(String pattern, Set<String> page1Words) {
        if (pattern == null) return true;
        if (page1Words == null) return false;
        return page1Words.containsAll(PageText.searchWords(pattern));
    }

    /**
     * Checks a rule's content as an administrator typed it: some words of letters or digits, at most 255 characters.
     *
     * @return the reason it is not valid, or null when it is
     */
    public static String invalidContent(String content) {
        if (content == null) return null;
        if (content.length() > 255) return "is longer than 255 characters";
        if (PageText.searchWords(content).isEmpty()) return "has no words (letters or digits) to look for on page 1";
        return null;
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
