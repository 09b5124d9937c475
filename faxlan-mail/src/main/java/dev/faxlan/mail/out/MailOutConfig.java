package dev.faxlan.mail.out;

import dev.faxlan.cli.settings.InvalidSettings;
import dev.faxlan.cli.settings.SettingsReader;
import dev.faxlan.mail.smarthost.SmarthostSettings;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code faxlan mail-out}'s settings (docs/mail.md), read from one properties file. {@link #parse}
 * checks every setting and reports all problems at once, so a mistyped file is fixed in one round.
 *
 * @param user the administrator account the service logs in with (it must see every job and mailbox)
 * @param password that account's password, read from {@code server.password.file}
 * @param serverTimeout how long one call to the fax server may take
 * @param stateFile what was mailed already, kept across restarts
 * @param poll how often the job list and the mailboxes are read
 * @param smarthost where the mail goes out
 * @param addresses each faxlan user's mail address
 * @param reportsDefault transmission reports for users without a {@code reports.USER} line
 * @param reports {@code reports.USER}: on or off for that user
 * @param receivedDefault how received faxes are mailed for mailboxes without a {@code received.MAILBOX} line
 * @param received {@code received.MAILBOX}: pdf, notice or off for that mailbox
 */
public record MailOutConfig(String user, char[] password, Duration serverTimeout, Path stateFile, Duration poll, SmarthostSettings smarthost,
        Map<String, InternetAddress> addresses, boolean reportsDefault, Map<String, Boolean> reports, Received receivedDefault,
        Map<String, Received> received) {

    /** How a received fax goes to its mailbox's members: the fax as PDF, a notice without the document, or no mail. */
    public enum Received {
        PDF, NOTICE, OFF;

        static Received parse(String text) {
            return switch (text) {
                case "pdf" -> PDF;
                case "notice" -> NOTICE;
                case "off" -> OFF;
                default -> null;
            };
        }
    }

    private static final Set<String> FIXED = Set.of("server.user", "server.password.file", "server.timeout.seconds", "state.file",
            "poll.seconds", "reports.default", "received.default");

    /** A configuration that cannot be used: every problem found, one line each. */
    public static final class Invalid extends InvalidSettings {
        Invalid(List<String> problems) {
            super(problems);
        }
    }

    public static MailOutConfig parse(Properties p) throws Invalid {
        List<String> problems = new ArrayList<>();
        SettingsReader settings = new SettingsReader(p, problems);
        Map<String, InternetAddress> addresses = new TreeMap<>();
        Map<String, Boolean> reports = new TreeMap<>();
        Map<String, Received> received = new TreeMap<>();
        for (String key : new java.util.TreeSet<>(p.stringPropertyNames())) {
            String value = p.getProperty(key).strip();
            if (FIXED.contains(key) || SmarthostSettings.KEYS.contains(key)) continue;
            if (key.startsWith("address.") && key.length() > "address.".length()) {
                try {
                    addresses.put(key.substring("address.".length()), new InternetAddress(value, true));
                } catch (AddressException e) {
                    problems.add(key + " '" + value + "' is not a mail address: " + e.getMessage());
                }
            } else if (key.startsWith("reports.") && key.length() > "reports.".length()) {
                Boolean on = onOff(value);
                if (on == null) problems.add(key + " must be on or off, not '" + value + "'");
                else reports.put(key.substring("reports.".length()), on);
            } else if (key.startsWith("received.") && key.length() > "received.".length()) {
                Received r = Received.parse(value.toLowerCase(Locale.ROOT));
                if (r == null) problems.add(key + " must be pdf, notice or off, not '" + value + "'");
                else received.put(key.substring("received.".length()), r);
            } else {
                settings.unknownKey(key);
            }
        }
        String user = p.getProperty("server.user", "").strip();
        if (user.isEmpty()) problems.add("server.user is missing (an administrator account: mail-out reads every user's jobs and mailboxes)");
        char[] password = null;
        String passwordFile = p.getProperty("server.password.file", "").strip();
        if (passwordFile.isEmpty()) problems.add("server.password.file is missing (a file holding server.user's password)");
        else password = settings.secretFileFirstLine("server.password.file", passwordFile);
        int timeout = settings.number("server.timeout.seconds", 30, 1, 600);
        String state = p.getProperty("state.file", "").strip();
        if (state.isEmpty()) problems.add("state.file is missing (where mail-out keeps what it has mailed, such as /var/lib/faxlan/mail-out.state)");
        int poll = settings.number("poll.seconds", 15, 1, 3600);
        Boolean reportsDefault = onOff(p.getProperty("reports.default", "on").strip());
        if (reportsDefault == null) problems.add("reports.default must be on or off, not '" + p.getProperty("reports.default").strip() + "'");
        String rd = p.getProperty("received.default", "pdf").strip();
        Received receivedDefault = Received.parse(rd.toLowerCase(Locale.ROOT));
        if (receivedDefault == null) problems.add("received.default must be pdf, notice or off, not '" + rd + "'");
        reports.remove("default");
        received.remove("default");
        SmarthostSettings smarthost = SmarthostSettings.parse(p, problems);
        if (!problems.isEmpty()) throw new Invalid(problems);
        return new MailOutConfig(user, password, Duration.ofSeconds(timeout), Path.of(state), Duration.ofSeconds(poll), smarthost, Map.copyOf(addresses),
                reportsDefault, Map.copyOf(reports), receivedDefault, Map.copyOf(received));
    }

    /** Whether {@code user} gets transmission reports: their own line, else the default. */
    public boolean reportsFor(String user) {
        return reports.getOrDefault(user, reportsDefault);
    }

    /** How faxes received into {@code mailbox} are mailed: its own line, else the default. */
    public Received receivedFor(String mailbox) {
        return received.getOrDefault(mailbox, receivedDefault);
    }

    private static Boolean onOff(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "on" -> true;
            case "off" -> false;
            default -> null;
        };
    }

    @Override
    public String toString() {
        // never the password
        return "mail-out as " + user + " every " + poll.toSeconds() + " s through " + smarthost;
    }
}
