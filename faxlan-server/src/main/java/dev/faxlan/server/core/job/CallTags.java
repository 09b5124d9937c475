package dev.faxlan.server.core.job;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tags for an attempt's calls: what their SIP Call-IDs begin with ({@code <tag>-<hex>@<host>}, as the
 * lines build them). The sender records the tag with the job before the call, the receiving side the tag
 * of each call it answers, so that an attempt's fax is found among the received ones after a crash.
 * Random, 128 bits, so that no two attempts of any node share one; letters and digits only, so that a tag
 * is a valid start of a Call-ID.
 */
public final class CallTags {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern TAGGED = Pattern.compile("(fx[0-9a-f]{32})-[0-9a-f]{1,16}@.*");

    private CallTags() {}

    /** A new tag. */
    public static String next() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return "fx" + HexFormat.of().formatHex(b);
    }

    /** The tag a Call-ID begins with, when it is one of ours; empty for any other Call-ID, or none. */
    public static Optional<String> of(String callId) {
        if (callId == null || callId.length() > 255) return Optional.empty();
        Matcher m = TAGGED.matcher(callId);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
