package dev.faxlan.mail.imap;

import dev.faxlan.cli.settings.InvalidSettings;
import dev.faxlan.cli.settings.SettingsReader;
import dev.faxlan.mail.fax.FaxAddresses;
import dev.faxlan.mail.smarthost.SmarthostSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * {@code faxlan mail-poller}'s settings (docs/mail.md), read from one properties file. {@link #parse}
 * checks every setting and reports all problems at once.
 *
 * @param imap the mailbox
 * @param addresses which recipient addresses are fax numbers
 * @param pollInterval how often the mailbox is read when the server has no IDLE, and the longest wait with IDLE
 * @param serverUser the faxlan account whose jobs the mail becomes
 * @param serverPassword its password
 * @param serverTimeout how long a call to the fax server may take before the message is left for later
 * @param allowedSenders the sender addresses (or {@code @domain}s) served, lower case; null when every sender is
 * @param stateDir where the replies waiting to go out and those sent are kept
 * @param maxMessageBytes larger messages are refused
 * @param cover the cover page that carries a text body beside attachments
 * @param smarthost where the replies go out
 */
public record MailPollerConfig(ImapAccount imap, FaxAddresses addresses, Duration pollInterval, String serverUser, char[] serverPassword,
        Duration serverTimeout, Set<String> allowedSenders, Path stateDir, long maxMessageBytes, String cover, SmarthostSettings smarthost) {

    private static final List<String> KEYS = List.of("fax.domain", "address.pattern", "poll.seconds", "server.user", "server.password.file",
            "server.timeout.seconds", "senders", "senders.file", "state.dir", "max.message.bytes", "body.cover");

    /** A configuration that cannot be used: every problem found, one line each. */
    public static final class Invalid extends InvalidSettings {
        Invalid(List<String> problems) {
            super(problems);
        }
    }

    public static MailPollerConfig parse(Properties p) throws Invalid {
        List<String> problems = new ArrayList<>();
        SettingsReader settings = new SettingsReader(p, problems);
        settings.rejectUnknownKeys(KEYS, ImapAccount.KEYS, SmarthostSettings.KEYS);
        ImapAccount imap = ImapAccount.parse(p, problems);
        FaxAddresses addresses = FaxAddresses.parse(p, problems);
        int poll = settings.number("poll.seconds", 60, 1, 3600);
        String serverUser = p.getProperty("server.user", "").strip();
        if (serverUser.isEmpty()) problems.add("server.user is missing (the faxlan account the jobs are made under)");
        char[] serverPassword = secretFile(settings, p, "server.password.file", "the password of server.user", problems);
        int timeout = settings.number("server.timeout.seconds", 30, 1, 600);
        Set<String> senders = senders(p, problems);
        String state = p.getProperty("state.dir", "").strip();
        if (state.isEmpty()) problems.add("state.dir is missing (a directory of the poller's own, for the replies it sends)");
        long size = settings.number("max.message.bytes", 25 << 20, 1024, Integer.MAX_VALUE);
        String cover = p.getProperty("body.cover", "classic").strip();
        if (cover.isEmpty()) problems.add("body.cover is empty (a built-in cover name such as classic or modern)");
        // Replies are how the sender learns the outcome: a poller without a smarthost would fax silently.
        SmarthostSettings smarthost = SmarthostSettings.parse(p, problems);
        if (!problems.isEmpty()) throw new Invalid(problems);
        return new MailPollerConfig(imap, addresses, Duration.ofSeconds(poll), serverUser, serverPassword, Duration.ofSeconds(timeout), senders,
                Path.of(state), size, cover, smarthost);
    }

    /** Whether mail from {@code address} is served. */
    public boolean senderAllowed(String address) {
        if (allowedSenders == null) return true;
        String a = address.toLowerCase(Locale.ROOT);
        int at = a.lastIndexOf('@');
        return allowedSenders.contains(a) || (at >= 0 && allowedSenders.contains(a.substring(at)));
    }

    private static Set<String> senders(Properties p, List<String> problems) {
        String mode = p.getProperty("senders", "listed").strip().toLowerCase(Locale.ROOT);
        String file = p.getProperty("senders.file", "").strip();
        if (mode.equals("all")) {
            if (!file.isEmpty()) problems.add("senders.file is set but senders=all serves every sender: remove one of them");
            return null;
        }
        if (!mode.equals("listed")) {
            problems.add("senders must be listed (only the addresses in senders.file) or all, not '" + mode + "'");
            return null;
        }
        if (file.isEmpty()) {
            problems.add("senders.file is missing (the sender addresses served, one a line; or senders=all for every sender)");
            return null;
        }
        Set<String> allowed = new HashSet<>();
        try {
            int n = 0;
            for (String line : Files.readAllLines(Path.of(file))) {
                n++;
                String a = line.strip().toLowerCase(Locale.ROOT);
                if (a.isEmpty() || a.startsWith("#")) continue;
                if (!a.matches("[^@\\s]*@[a-z0-9.-]+")) problems.add("senders.file " + file + " line " + n + ": '" + line.strip() + "' is not an address or @domain");
                allowed.add(a);
            }
        } catch (IOException e) {
            problems.add("senders.file " + file + " cannot be read: " + e.getMessage());
        }
        return allowed;
    }

    static char[] secretFile(SettingsReader settings, Properties p, String key, String what, List<String> problems) {
        String file = p.getProperty(key, "").strip();
        if (file.isEmpty()) {
            problems.add(key + " is missing (a file with " + what + ")");
            return null;
        }
        return settings.secretFile(key, file);
    }

    @Override
    public String toString() {
        // never the password
        return "mail-poller for " + imap + ", faxing as " + serverUser;
    }
}
