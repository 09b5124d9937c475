package dev.faxlan.mail.smtp;

import dev.faxlan.mail.fax.FaxAddresses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The SMTP gateway's settings (docs/mail.md), read from one properties file. {@link #parse} checks
 * every setting and reports all problems at once, so a mistyped file is fixed in one round.
 *
 * @param faxDomain mail to {@code LOCAL@faxDomain} is faxed
 * @param numberPattern the local parts that are fax numbers
 * @param maxMessageBytes larger messages are refused with 552
 * @param maxRecipients fax recipients per message
 * @param maxConnections SMTP sessions at once
 * @param serverTimeout how long a call to the fax server may take before the mail is deferred (4xx)
 * @param cover the cover page that carries a text body beside attachments
 */
public record SmtpGatewayConfig(String faxDomain, Pattern numberPattern, int maxMessageBytes, int maxRecipients, int maxConnections,
        Duration serverTimeout, String cover) {

    public static final String DEFAULT_NUMBER_PATTERN = "\\+?[0-9]{1,20}";

    /** A configuration that cannot be used: every problem found, one line each. */
    public static final class Invalid extends Exception {
        private final List<String> problems;

        Invalid(List<String> problems) {
            super(String.join("\n", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    public static SmtpGatewayConfig parse(Properties p) throws Invalid {
        List<String> problems = new ArrayList<>();
        for (String key : p.stringPropertyNames()) {
            if (!List.of("fax.domain", "address.pattern", "max.message.bytes", "max.recipients", "max.connections",
                    "server.timeout.seconds", "body.cover").contains(key)) {
                problems.add("unknown setting '" + key + "'");
            }
        }
        String domain = p.getProperty("fax.domain", "").strip().toLowerCase(java.util.Locale.ROOT);
        if (domain.isEmpty()) problems.add("fax.domain is missing (the mail domain whose addresses are fax numbers)");
        else if (!domain.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) problems.add("fax.domain '" + domain + "' is not a domain name");
        Pattern pattern = null;
        try {
            pattern = Pattern.compile(p.getProperty("address.pattern", DEFAULT_NUMBER_PATTERN).strip());
        } catch (PatternSyntaxException e) {
            problems.add("address.pattern is not a regular expression: " + e.getDescription());
        }
        int size = number(p, "max.message.bytes", 25 << 20, 1024, Integer.MAX_VALUE, problems);
        int recipients = number(p, "max.recipients", 50, 1, 1000, problems);
        int connections = number(p, "max.connections", 20, 1, 1000, problems);
        int timeout = number(p, "server.timeout.seconds", 30, 1, 600, problems);
        String cover = p.getProperty("body.cover", "classic").strip();
        if (cover.isEmpty()) problems.add("body.cover is empty (a built-in cover name such as classic or modern)");
        if (!problems.isEmpty()) throw new Invalid(problems);
        return new SmtpGatewayConfig(domain, pattern, size, recipients, connections, Duration.ofSeconds(timeout), cover);
    }

    private static int number(Properties p, String key, int dflt, int min, int max, List<String> problems) {
        String v = p.getProperty(key);
        if (v == null) return dflt;
        try {
            long n = Long.parseLong(v.strip());
            if (n >= min && n <= max) return (int) n;
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(key + " must be a whole number from " + min + " to " + max + ", not '" + v.strip() + "'");
        return dflt;
    }

    /** The fax number of a recipient address, or null when it is not one of ours or not a number. */
    String numberOf(String address) {
        return new FaxAddresses(faxDomain, numberPattern).numberOf(address);
    }

    boolean isFaxDomain(String address) {
        return new FaxAddresses(faxDomain, numberPattern).isFaxDomain(address);
    }
}
