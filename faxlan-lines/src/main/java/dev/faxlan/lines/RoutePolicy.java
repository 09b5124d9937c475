package dev.faxlan.lines;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A media policy for the numbers under one E.164 prefix of a line ({@code line.<name>.route-policy}):
 * outbound calls to them offer what this policy allows instead of the line's {@code policy}.
 *
 * @param prefix {@code +} and digits, e.g. {@code +4930}
 * @param policy the policy for numbers that start with {@code prefix}
 */
public record RoutePolicy(String prefix, MediaPolicy policy) {
    static final Pattern PREFIX = Pattern.compile("\\+[0-9]{0,15}");

    public RoutePolicy {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("route '" + prefix + "' is not an E.164 prefix (+ and digits)");
        }
        Objects.requireNonNull(policy, "policy");
    }

    /** Whether {@code e164} is under this prefix. */
    public boolean covers(String e164) {
        return e164.startsWith(prefix);
    }

    /** As written in the settings: {@code +4930:g711}. */
    @Override
    public String toString() {
        return prefix + ":" + policy.setting();
    }
}
