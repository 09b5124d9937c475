package dev.faxlan.server.core;

import dev.faxlan.server.service.Caller;
import java.util.regex.Pattern;

/** Checks several use cases share: permissions and the forms of names and numbers. */
public final class Checks {
    public static final Pattern USER_NAME = Pattern.compile("[a-zA-Z0-9._@-]{1,64}");
    static final Pattern FAX_NUMBER = Pattern.compile("\\+?[0-9*#]{1,32}");

    private Checks() {}

    public static void requireAdmin(Caller caller) throws ProblemException {
        if (!caller.isAdmin()) {
            throw new ProblemException(Problem.NOT_PERMITTED, "only an administrator may do this; " + caller.name() + " is a " + caller.role());
        }
    }

    /** A user or mailbox name (the two share one namespace). */
    public static String userName(String s) throws ProblemException {
        if (!USER_NAME.matcher(s).matches()) throw new ProblemException(Problem.INVALID, "user names are 1 to 64 of a-z A-Z 0-9 . _ @ -");
        return s;
    }

    /** A fax number as written, without its spaces, dots, dashes and parentheses. */
    public static String faxNumber(String s) throws ProblemException {
        String n = s.replaceAll("[\\s().-]", "");
        if (!FAX_NUMBER.matcher(n).matches()) throw new ProblemException(Problem.INVALID, "\"" + s + "\" is not a fax number");
        return n;
    }

    /** {@code s} (which may be null) if it is at most {@code max} characters long. */
    public static String limited(String s, int max, String what) throws ProblemException {
        if (s != null && s.length() > max) throw new ProblemException(Problem.INVALID, what + " is longer than " + max + " characters");
        return s;
    }
}
