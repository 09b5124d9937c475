package dev.faxlan.server.auth;

import java.util.Optional;

/**
 * What a password must be, wherever one is set (the first administrator's, {@code user.add},
 * {@code user.passwd}): 8 to 1024 characters. Characters are Unicode code points, as people and
 * other languages count them, not Java's UTF-16 units: an emoji is one character, not two.
 */
public final class PasswordRule {
    public static final int MIN_CHARACTERS = 8;
    public static final int MAX_CHARACTERS = 1024;

    private PasswordRule() {}

    public static int characters(String password) {
        return password.codePointCount(0, password.length());
    }

    /** Why {@code password} cannot be set, naming its length (never its text); empty when it can. */
    public static Optional<String> problem(String password) {
        int n = characters(password);
        if (n >= MIN_CHARACTERS && n <= MAX_CHARACTERS) return Optional.empty();
        return Optional.of("the password has " + n + " characters; passwords need " + MIN_CHARACTERS + " to " + MAX_CHARACTERS);
    }

    /** True when {@code password} is longer than any that can be set: a login with it cannot succeed. */
    public static boolean tooLongToExist(String password) {
        // Cheap bound first: a hostile login must not cost a scan of a megabyte of text.
        return password.length() > 2 * MAX_CHARACTERS || characters(password) > MAX_CHARACTERS;
    }
}
