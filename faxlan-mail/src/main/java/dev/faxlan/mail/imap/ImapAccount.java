package dev.faxlan.mail.imap;

import dev.faxlan.cli.settings.SettingsReader;
import dev.faxlan.mail.tls.PemTrust;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;

/**
 * The mailbox the poller reads: {@code imap.*} keys (docs/mail.md). The secret is a password or an
 * OAuth2 bearer token, always in a file, which is read again at every login so that an external
 * refresher can replace a token that expires.
 *
 * @param host the IMAP server
 * @param port its port
 * @param tls {@code imaps} (TLS from the first byte), {@code starttls} (required), or {@code none} (loopback only)
 * @param user the login name
 * @param secretFile the file with the password, or with the token when {@code oauth2}
 * @param oauth2 log in with SASL XOAUTH2, the file's content being the bearer token
 * @param trust the CA certificates to trust instead of the JVM's, from {@code imap.ca.file}; null for the JVM's
 * @param folder the folder whose messages are faxed
 */
public record ImapAccount(String host, int port, String tls, String user, Path secretFile, boolean oauth2, SSLSocketFactory trust,
        String folder) {

    static final List<String> KEYS = List.of("imap.host", "imap.port", "imap.tls", "imap.user", "imap.password.file", "imap.token.file",
            "imap.ca.file", "imap.folder");

    /** Reads the {@code imap.*} keys, adding one line per problem; null when there were any. */
    static ImapAccount parse(Properties p, List<String> problems) {
        int before = problems.size();
        String host = p.getProperty("imap.host", "").strip();
        if (host.isEmpty()) problems.add("imap.host is missing (the mail server whose mailbox is polled)");
        String tls = p.getProperty("imap.tls", "imaps").strip().toLowerCase(Locale.ROOT);
        if (!List.of("imaps", "starttls", "none").contains(tls)) problems.add("imap.tls must be imaps, starttls or none, not '" + tls + "'");
        if (tls.equals("none") && !host.isEmpty() && !loopback(host)) {
            problems.add("imap.tls=none sends the mailbox password in clear text: it is allowed only for a loopback host, not " + host);
        }
        int port = new SettingsReader(p, problems).number("imap.port", tls.equals("imaps") ? 993 : 143, 1, 65535);
        String user = p.getProperty("imap.user", "").strip();
        if (user.isEmpty()) problems.add("imap.user is missing (the mailbox's login name)");
        String passwordFile = p.getProperty("imap.password.file", "").strip();
        String tokenFile = p.getProperty("imap.token.file", "").strip();
        Path secret = null;
        if (passwordFile.isEmpty() == tokenFile.isEmpty()) {
            problems.add("set exactly one of imap.password.file (a password) and imap.token.file (an OAuth2 bearer token)");
        } else {
            String key = passwordFile.isEmpty() ? "imap.token.file" : "imap.password.file";
            secret = Path.of(passwordFile.isEmpty() ? tokenFile : passwordFile);
            try {
                if (Files.readString(secret).isBlank()) problems.add(key + " " + secret + " is empty");
            } catch (IOException e) {
                problems.add(key + " " + secret + " cannot be read: " + e.getMessage());
            }
        }
        SSLSocketFactory trust = PemTrust.fromKey(p, "imap.ca.file", problems);
        String folder = p.getProperty("imap.folder", "INBOX").strip();
        if (folder.isEmpty()) problems.add("imap.folder is empty (the folder to poll, INBOX by default)");
        if (problems.size() > before) return null;
        return new ImapAccount(host, port, tls, user, secret, !tokenFile.isEmpty(), trust, folder);
    }

    /** The password or token as the file holds it now (re-read at every login: tokens are rotated). */
    char[] secret() throws IOException {
        return Files.readString(secretFile).strip().toCharArray();
    }

    /** The Jakarta Mail session properties for this account (protocol {@code imap} or {@code imaps}). */
    Properties sessionProperties(int readTimeoutMillis) {
        String proto = protocol();
        Properties p = new Properties();
        p.setProperty("mail.store.protocol", proto);
        p.setProperty("mail." + proto + ".host", host);
        p.setProperty("mail." + proto + ".port", Integer.toString(port));
        p.setProperty("mail." + proto + ".connectiontimeout", "30000");
        p.setProperty("mail." + proto + ".writetimeout", "30000");
        // IDLE reads nothing for as long as the mailbox is quiet: the read timeout must outlast one wait.
        p.setProperty("mail." + proto + ".timeout", Integer.toString(readTimeoutMillis));
        if (tls.equals("starttls")) {
            p.setProperty("mail.imap.starttls.enable", "true");
            p.setProperty("mail.imap.starttls.required", "true");
        }
        if (!tls.equals("none")) {
            p.setProperty("mail." + proto + ".ssl.checkserveridentity", "true");
            if (trust != null) p.put("mail." + proto + ".ssl.socketFactory", trust);
        }
        // XOAUTH2 takes the token where a password would go; naming it alone keeps the token from being tried as a password.
        if (oauth2) p.setProperty("mail." + proto + ".auth.mechanisms", "XOAUTH2");
        return p;
    }

    String protocol() {
        return tls.equals("imaps") ? "imaps" : "imap";
    }

    private static boolean loopback(String host) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) if (!a.isLoopbackAddress()) return false;
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return (oauth2 ? "OAuth2 " : "") + user + " at " + protocol() + "://" + host + ":" + port + "/" + folder + (tls.equals("starttls") ? " (STARTTLS)" : "");
    }
}
