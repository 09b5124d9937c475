package dev.faxlan.mail.smarthost;

import dev.faxlan.cli.settings.SettingsReader;
import dev.faxlan.mail.tls.PemTrust;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import javax.net.ssl.SSLSocketFactory;

/**
 * Where faxlan's mail goes out: the organisation's mail server (the "smarthost"), read from the
 * {@code smarthost.*} keys of a gateway's properties file (docs/mail.md). The password is read from
 * a file so that it appears neither on a command line nor in the configuration an operator shares.
 *
 * @param host the smarthost's name or address
 * @param port its submission port
 * @param tls {@code none}, {@code starttls} (required: the message is not sent in clear text) or {@code smtps}
 * @param user the SMTP AUTH name, or null for no AUTH
 * @param password the SMTP AUTH password, or null
 * @param from the sender address of every message
 * @param timeout connect and read timeout
 * @param trust the CA certificates to trust instead of the JDK's, from {@code smarthost.ca.file}; null for the JDK's
 */
public record SmarthostSettings(String host, int port, String tls, String user, char[] password, InternetAddress from, Duration timeout,
        SSLSocketFactory trust) {

    /** The keys this record reads; a gateway's own key check accepts them. */
    public static final Set<String> KEYS = Set.of("smarthost.host", "smarthost.port", "smarthost.tls", "smarthost.user",
            "smarthost.password.file", "smarthost.from", "smarthost.timeout.seconds", "smarthost.ca.file");

    /** Whether the file configures a smarthost at all (any {@code smarthost.*} key). */
    public static boolean configured(Properties p) {
        return p.stringPropertyNames().stream().anyMatch(k -> k.startsWith("smarthost."));
    }

    /** Reads the settings, adding one line per problem to {@code problems}; null when there were any. */
    public static SmarthostSettings parse(Properties p, List<String> problems) {
        int before = problems.size();
        SettingsReader settings = new SettingsReader(p, problems);
        String host = p.getProperty("smarthost.host", "").strip();
        if (host.isEmpty()) problems.add("smarthost.host is missing (the mail server that sends faxlan's mail)");
        String tls = p.getProperty("smarthost.tls", "starttls").strip().toLowerCase(Locale.ROOT);
        if (!List.of("none", "starttls", "smtps").contains(tls)) problems.add("smarthost.tls must be none, starttls or smtps, not '" + tls + "'");
        int port = settings.number("smarthost.port", "smtps".equals(tls) ? 465 : 587, 1, 65535);
        int timeout = settings.number("smarthost.timeout.seconds", 30, 1, 600);
        String user = p.getProperty("smarthost.user", "").strip();
        String passwordFile = p.getProperty("smarthost.password.file", "").strip();
        char[] password = null;
        if (!user.isEmpty() && passwordFile.isEmpty()) problems.add("smarthost.user is set but smarthost.password.file is not");
        if (user.isEmpty() && !passwordFile.isEmpty()) problems.add("smarthost.password.file is set but smarthost.user is not");
        if (!user.isEmpty() && !passwordFile.isEmpty()) password = settings.secretFile("smarthost.password.file", passwordFile);
        InternetAddress from = null;
        String fromText = p.getProperty("smarthost.from", "").strip();
        if (fromText.isEmpty()) problems.add("smarthost.from is missing (the sender address of faxlan's mail, such as fax@example.org)");
        else {
            try {
                from = new InternetAddress(fromText, true);
            } catch (AddressException e) {
                problems.add("smarthost.from '" + fromText + "' is not a mail address: " + e.getMessage());
            }
        }
        SSLSocketFactory trust = PemTrust.fromKey(p, "smarthost.ca.file", problems);
        if (trust != null && "none".equals(tls)) problems.add("smarthost.ca.file is set but smarthost.tls is none (no certificate is checked)");
        if (problems.size() > before) return null;
        return new SmarthostSettings(host, port, tls, user.isEmpty() ? null : user, password, from, Duration.ofSeconds(timeout), trust);
    }

    @Override
    public String toString() {
        // never the password
        return "smarthost " + host + ":" + port + " (" + tls + (user != null ? ", AUTH as " + user : "") + ")";
    }
}
