package dev.faxlan.web.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook delivery: {@code v1=} and the hex HMAC-SHA256, keyed with the webhook's
 * secret (its UTF-8 text, as {@code openssl dgst -hmac} takes it), over the timestamp header, a dot and
 * the body's bytes. The timestamp is signed so a receiver can refuse an old delivery replayed.
 */
public final class WebhookSignature {
    /** The scheme's name in the header; a later scheme gets another, and a receiver reads the one it knows. */
    public static final String VERSION = "v1";
    private static final String SECRET_PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignature() {}

    /** A new secret: 32 random bytes, base64url, behind a prefix that tells what it is when it turns up in a file. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The {@code Faxlan-Signature} header's value for {@code body} sent at {@code timestamp} (Unix seconds, as sent). */
    public static String sign(String secret, String timestamp, byte[] body) {
        return VERSION + "=" + HexFormat.of().formatHex(hmac(secret, timestamp, body));
    }

    /** Whether {@code header} holds a {@code v1} signature of {@code body} at {@code timestamp} by {@code secret} (compared in constant time). */
    public static boolean verify(String secret, String timestamp, byte[] body, String header) {
        byte[] expected = hmac(secret, timestamp, body);
        for (String part : header.split(",")) {
            String p = part.strip();
            if (!p.startsWith(VERSION + "=")) continue;
            byte[] given;
            try {
                given = HexFormat.of().parseHex(p.substring(VERSION.length() + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (MessageDigest.isEqual(expected, given)) return true;
        }
        return false;
    }

    private static byte[] hmac(String secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }
}
