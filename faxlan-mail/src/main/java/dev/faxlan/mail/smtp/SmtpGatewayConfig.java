package dev.faxlan.mail.smtp;

import dev.faxlan.cli.settings.InvalidSettings;
import dev.faxlan.cli.settings.SettingsReader;
import dev.faxlan.mail.fax.BodyPlacement;
import dev.faxlan.mail.fax.FaxAddresses;
import dev.faxlan.mail.senders.SenderAllowList;
import dev.faxlan.protocol.IpNetwork;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

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
 * @param senders senders that may send without AUTH, mapped to accounts; null when every session must log in
 * @param senderNetworks the client addresses whose envelope senders are trusted at all
 * @param gatewayUser the gateway's own account (role gateway), which submits for allow-listed senders; null without {@code senders}
 * @param gatewayPassword its password, read from {@code gateway.password.file}
 * @param tls the certificate and key offered with STARTTLS, or null: no STARTTLS
 * @param authWithoutTls whether a session may log in before STARTTLS
 * @param bodyAs where the body goes beside attachments: the cover page's comment or a first page
 */
public record SmtpGatewayConfig(String faxDomain, Pattern numberPattern, int maxMessageBytes, int maxRecipients, int maxConnections,
        Duration serverTimeout, String cover, SenderAllowList senders, List<IpNetwork> senderNetworks, String gatewayUser, char[] gatewayPassword,
        StartTls tls, AuthWithoutTls authWithoutTls, BodyPlacement bodyAs) {

    public static final String DEFAULT_NUMBER_PATTERN = FaxAddresses.DEFAULT_NUMBER_PATTERN;
    /** Loopback only, like a Postfix that trusts no network but its own host. */
    public static final String DEFAULT_SENDER_NETWORKS = "127.0.0.0/8, ::1";
    private static final List<String> KEYS = List.of("fax.domain", "address.pattern", "max.message.bytes", "max.recipients", "max.connections",
            "server.timeout.seconds", "body.cover", "senders.file", "senders.networks", "gateway.user", "gateway.password.file",
            "body.as", "tls.certificate", "tls.key", "auth.without.tls");

    /** A configuration that cannot be used: every problem found, one line each. */
    public static final class Invalid extends InvalidSettings {
        Invalid(List<String> problems) {
            super(problems);
        }
    }

    /** Settings whose files (senders.file, gateway.password.file) are named relative to the working directory. */
    public static SmtpGatewayConfig parse(Properties p) throws Invalid {
        return parse(p, Path.of(""));
    }

    /** Settings whose files are named relative to {@code base} (the directory of the properties file) unless absolute. */
    public static SmtpGatewayConfig parse(Properties p, Path base) throws Invalid {
        List<String> problems = new ArrayList<>();
        SettingsReader settings = new SettingsReader(p, problems);
        settings.rejectUnknownKeys(KEYS);
        FaxAddresses addresses = FaxAddresses.parse(p, problems);
        int size = settings.number("max.message.bytes", 25 << 20, 1024, Integer.MAX_VALUE);
        int recipients = settings.number("max.recipients", 50, 1, 1000);
        int connections = settings.number("max.connections", 20, 1, 1000);
        int timeout = settings.number("server.timeout.seconds", 30, 1, 600);
        String cover = p.getProperty("body.cover", "classic").strip();
        if (cover.isEmpty()) problems.add("body.cover is empty (a built-in cover name such as classic or modern)");
        SenderAllowList senders = null;
        List<IpNetwork> networks = networks(p.getProperty("senders.networks", DEFAULT_SENDER_NETWORKS), problems);
        String gatewayUser = p.getProperty("gateway.user", "").strip();
        char[] gatewayPassword = null;
        String sendersFile = p.getProperty("senders.file", "").strip();
        if (!sendersFile.isEmpty()) {
            senders = senders(base.resolve(sendersFile), problems);
            if (gatewayUser.isEmpty()) problems.add("gateway.user is missing (the gateway's own account, of role gateway, that faxes for the senders of senders.file)");
            String pwFile = p.getProperty("gateway.password.file", "").strip();
            if (pwFile.isEmpty()) problems.add("gateway.password.file is missing (a file whose first line is gateway.user's password)");
            else gatewayPassword = password(base.resolve(pwFile), problems);
        } else {
            for (String key : List.of("senders.networks", "gateway.user", "gateway.password.file")) {
                if (p.getProperty(key) != null) problems.add(key + " is set but senders.file is not: without an allow-list every session must log in");
            }
            gatewayUser = null;
        }
        BodyPlacement bodyAs = choice(p, "body.as", BodyPlacement.class, BodyPlacement.COVER, problems);
        AuthWithoutTls authWithoutTls = choice(p, "auth.without.tls", AuthWithoutTls.class, AuthWithoutTls.NEVER, problems);
        StartTls tls = tls(p, base, problems);
        // Only when both settings are readable: a misspelt value is reported as that, not as its consequence.
        String noLogin = authWithoutTls == null ? null
                : noWayToLogIn(tls != null || p.containsKey("tls.certificate") || p.containsKey("tls.key"), authWithoutTls, !sendersFile.isEmpty());
        if (noLogin != null) problems.add(noLogin);
        if (!problems.isEmpty()) throw new Invalid(problems);
        return new SmtpGatewayConfig(addresses.faxDomain(), addresses.numberPattern(), size, recipients, connections, Duration.ofSeconds(timeout), cover, senders, networks,
                gatewayUser, gatewayPassword, tls, authWithoutTls, bodyAs);
    }

    /**
     * The problem of a gateway that no sender could use: without an allow-list every session must log
     * in, and without a certificate no session can start TLS, so with {@code auth.without.tls=never}
     * no login would be accepted. Null when some sender can get in.
     */
    static String noWayToLogIn(boolean startTls, AuthWithoutTls authWithoutTls, boolean allowList) {
        if (startTls || allowList || authWithoutTls != AuthWithoutTls.NEVER) return null;
        return "no sender can log in: AUTH needs STARTTLS (set tls.certificate and tls.key), or set auth.without.tls=loopback"
                + " to let clients on this host log in without it (or let allow-listed senders in without AUTH: senders.file)";
    }

    /** STARTTLS from {@code tls.certificate} and {@code tls.key}, named relative to {@code base}: both or neither. */
    private static StartTls tls(Properties p, Path base, List<String> problems) {
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
            return StartTls.load(base.resolve(cert), base.resolve(key));
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

    private static List<IpNetwork> networks(String text, List<String> problems) {
        List<IpNetwork> out = new ArrayList<>();
        for (String part : text.split("[,\\s]+")) {
            if (part.isEmpty()) continue;
            try {
                out.add(IpNetwork.parse(part));
            } catch (IllegalArgumentException e) {
                problems.add("senders.networks: " + e.getMessage());
            }
        }
        if (out.isEmpty() && problems.stream().noneMatch(s -> s.startsWith("senders.networks"))) {
            problems.add("senders.networks is empty: give the client networks whose senders are trusted, e.g. " + DEFAULT_SENDER_NETWORKS);
        }
        return List.copyOf(out);
    }

    private static SenderAllowList senders(Path file, List<String> problems) {
        try {
            return SenderAllowList.parse("senders.file " + file, Files.readAllLines(file, StandardCharsets.UTF_8), problems);
        } catch (NoSuchFileException e) {
            problems.add("senders.file " + file + ": no such file");
        } catch (IOException e) {
            problems.add("senders.file " + file + ": cannot read it: " + e.getMessage());
        }
        return null;
    }

    /** The first line of {@code file}, which must be the owner's alone: a password others can read is not a secret. */
    private static char[] password(Path file, List<String> problems) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            for (PosixFilePermission others : List.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ)) {
                if (perms.contains(others)) {
                    problems.add("gateway.password.file " + file + " can be read by others: make it the owner's alone (chmod 600)");
                    return null;
                }
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.get(0).isEmpty()) {
                problems.add("gateway.password.file " + file + " is empty: its first line is the password");
                return null;
            }
            return lines.get(0).toCharArray();
        } catch (NoSuchFileException e) {
            problems.add("gateway.password.file " + file + ": no such file");
        } catch (UnsupportedOperationException e) {
            problems.add("gateway.password.file " + file + ": cannot check who may read it on this file system");
        } catch (IOException e) {
            problems.add("gateway.password.file " + file + ": cannot read it: " + e.getMessage());
        }
        return null;
    }

    /** Whether mail from a session without AUTH may be faxed at all (an allow-list is configured). */
    public boolean allowsSendersWithoutAuth() {
        return senders != null;
    }

    /** A record's text lists its components: the password is left out. */
    @Override
    public String toString() {
        return "SmtpGatewayConfig[faxDomain=" + faxDomain + ", senders=" + (senders == null ? "none" : senders.size() + " entries")
                + ", senderNetworks=" + senderNetworks + ", gatewayUser=" + gatewayUser + "]";
    }

    /** The fax number of a recipient address, or null when it is not one of ours or not a number. */
    String numberOf(String address) {
        return new FaxAddresses(faxDomain, numberPattern).numberOf(address);
    }

    boolean isFaxDomain(String address) {
        return new FaxAddresses(faxDomain, numberPattern).isFaxDomain(address);
    }
}
