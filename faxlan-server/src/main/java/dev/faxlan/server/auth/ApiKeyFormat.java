package dev.faxlan.server.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an API key looks like: {@code fxk_} + a public lookup id (16 hex digits) + {@code _} + a
 * secret of 32 random bytes in unpadded base64url. The server keeps the lookup id and the SHA-256
 * of the secret: a secret of 256 random bits cannot be guessed, so a fast hash protects it as well
 * as a slow one would, and a login by key costs microseconds instead of a password's PBKDF2.
 */
public final class ApiKeyFormat {
    public static final String PREFIX = "fxk_";
    public static final int SECRET_BYTES = 32;
    private static final int LOOKUP_BYTES = 8;
    private static final Pattern KEY = Pattern.compile("fxk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");

    /** A key taken apart: the lookup id that finds its row, and its secret bytes. */
    public record Parsed(String lookup, byte[] secret) {}

    /** A new key: the whole text, once, and what the server keeps of it. */
    public record NewKey(String text, String lookup, byte[] secretHash) {
        @Override
        public String toString() {
            return "NewKey[" + prefix(lookup) + "]"; // never the secret
        }
    }

    private ApiKeyFormat() {}

    public static NewKey generate(SecureRandom random) {
        byte[] id = new byte[LOOKUP_BYTES];
        random.nextBytes(id);
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        String lookup = HexFormat.of().formatHex(id);
        String text = PREFIX + lookup + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new NewKey(text, lookup, hash(secret));
    }

    /** The key taken apart, or empty when it is not of this form (then no key can match it). */
    public static Optional<Parsed> parse(String key) {
        if (key == null || key.length() > 128) return Optional.empty();
        var m = KEY.matcher(key);
        if (!m.matches()) return Optional.empty();
        byte[] secret;
        try {
            secret = Base64.getUrlDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return secret.length == SECRET_BYTES ? Optional.of(new Parsed(m.group(1), secret)) : Optional.empty();
    }

    /** The non-secret start of a key, shown in lists so a user can tell their keys apart. */
    public static String prefix(String lookup) {
        return PREFIX + lookup;
    }

    public static byte[] hash(byte[] secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    /** Whether {@code secret} is the one whose hash is {@code storedHash}, in time independent of where they differ. */
    public static boolean matches(byte[] secret, byte[] storedHash) {
        return MessageDigest.isEqual(hash(secret), storedHash);
    }
}
