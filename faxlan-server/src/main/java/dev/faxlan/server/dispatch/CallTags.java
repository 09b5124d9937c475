package dev.faxlan.server.dispatch;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Tags for an attempt's calls: what their SIP Call-IDs begin with. Random, 128 bits, so that no two
 * attempts of any node (or any other sender) share one, and letters and digits only, so that a tag is a
 * valid start of a Call-ID and holds no SQL wildcard.
 */
final class CallTags {
    private static final SecureRandom RANDOM = new SecureRandom();

    private CallTags() {}

    static String next() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return "fx" + HexFormat.of().formatHex(b);
    }
}
