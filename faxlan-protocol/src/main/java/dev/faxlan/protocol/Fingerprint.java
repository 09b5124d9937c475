package dev.faxlan.protocol;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** A server identity: SHA-256 of its certificate's DER encoding, shown as {@code SHA256:<base64>} like ssh. */
public final class Fingerprint {
    private static final String PREFIX = "SHA256:";

    private Fingerprint() {}

    public static byte[] of(byte[] certificateDer) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(certificateDer);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public static String format(byte[] fingerprint) {
        return PREFIX + Base64.getEncoder().withoutPadding().encodeToString(fingerprint);
    }

    public static byte[] parse(String text) {
        String s = text.startsWith(PREFIX) ? text.substring(PREFIX.length()) : text;
        byte[] b = Base64.getDecoder().decode(s);
        if (b.length != 32) throw new IllegalArgumentException("a fingerprint is 32 bytes, got " + b.length);
        return b;
    }
}
