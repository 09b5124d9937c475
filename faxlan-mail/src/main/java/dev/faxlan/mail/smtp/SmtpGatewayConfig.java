package dev.faxlan.mail.smtp;

import dev.faxlan.mail.fax.BodyPlacement;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * @param tls the certificate and key offered with STARTTLS, or null: no STARTTLS
 * @param authWithoutTls whether a session may log in before STARTTLS
 * @param bodyAs where the body goes beside attachments: the cover page's comment or a first page
 */
public record SmtpGatewayConfig(String faxDomain, Pattern numberPattern, int maxMessageBytes, int maxRecipients, int maxConnections,
        Duration serverTimeout, String cover, StartTls tls, AuthWithoutTls authWithoutTls, BodyPlacement bodyAs) {

    static final List<String> KEYS = List.of("fax.domain", "address.pattern", "max.message.bytes", "max.recipients", "max.connections",
            "server.timeout.seconds", "body.cover", "body.as", "tls.certificate", "tls.key", "auth.without.tls");

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
            if (!KEYS.contains(key)) {
                problems.add("unknown setting '" + key + "'");
            }
        }
        String domain = p.getProperty("fax.domain", "").strip().toLowerCase(Locale.ROOT);
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
        BodyPlacement bodyAs = choice(p, "body.as", BodyPlacement.class, BodyPlacement.COVER, problems);
        AuthWithoutTls authWithoutTls = choice(p, "auth.without.tls", AuthWithoutTls.class, AuthWithoutTls.NEVER, problems);
        StartTls tls = tls(p, problems);
        // Only when both settings are readable: a misspelt value is reported as that, not as its consequence.
        String noLogin = authWithoutTls == null ? null : noWayToLogIn(tls != null || p.containsKey("tls.certificate") || p.containsKey("tls.key"), authWithoutTls);
        if (noLogin != null) problems.add(noLogin);
        if (!problems.isEmpty()) throw new Invalid(problems);
        return new SmtpGatewayConfig(domain, pattern, size, recipients, connections, Duration.ofSeconds(timeout), cover, tls, authWithoutTls, bodyAs);
    }

    /**
     * The problem of a gateway that no sender could use: every session must log in, and without a
     * certificate no session can start TLS, so with {@code auth.without.tls=never} no login would be
     * accepted. Null when some sender can get in.
     */
    static String noWayToLogIn(boolean startTls, AuthWithoutTls authWithoutTls) {
        if (startTls || authWithoutTls != AuthWithoutTls.NEVER) return null;
        return "no sender can log in: AUTH needs STARTTLS (set tls.certificate and tls.key), or set auth.without.tls=loopback"
                + " to let clients on this host log in without it";
    }

    /** STARTTLS from {@code tls.certificate} and {@code tls.key}: both or neither. */
    private static StartTls tls(Properties p, List<String> problems) {
        String cert = p.getProperty("tls.certificate", "").strip();
        String key = p.getProperty("tls.key", "").strip();
        if (cert.isEmpty() && key.isEmpty()) {
            if (p.containsKey("tls.certificate") || p.containsKey("tls.key")) problems.add("tls.certificate and tls.key are empty (PEM files)");
            return null;
        }
        if (cert.isEmpty() || key.isEmpty()) {
            problems.add((cert.isEmpty() ? "tls.key is set but tls.certificate is not" : "tls.certificate is set but tls.key is not")
                    + ": STARTTLS needs both PEM files");
            return null;
        }
        try {
            return StartTls.load(Path.of(cert), Path.of(key));
        } catch (StartTls.Unusable e) {
            problems.add("tls: " + e.getMessage());
            return null;
        }
    }

    /** The value of {@code key} as one of {@code type}'s constants (any case); null, and a problem, for another word. */
    private static <E extends Enum<E>> E choice(Properties p, String key, Class<E> type, E dflt, List<String> problems) {
        String v = p.getProperty(key);
        if (v == null) return dflt;
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
            if (e.name().equalsIgnoreCase(v.strip())) return e;
        }
        problems.add(key + " must be " + String.join(" or ", names) + ", not '" + v.strip() + "'");
        return null;
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
        int at = address.lastIndexOf('@');
        if (at < 1 || !address.substring(at + 1).equalsIgnoreCase(faxDomain)) return null;
        String local = address.substring(0, at);
        return numberPattern.matcher(local).matches() ? local : null;
    }

    boolean isFaxDomain(String address) {
        int at = address.lastIndexOf('@');
        return at >= 0 && address.substring(at + 1).equalsIgnoreCase(faxDomain);
    }
}
