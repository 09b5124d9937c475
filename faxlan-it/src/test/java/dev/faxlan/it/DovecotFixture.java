package dev.faxlan.it;

import static org.awaitility.Awaitility.await;

import dev.faxlan.testkit.PortRetry;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Dovecot (Debian package dovecot-imapd) for tests: a minimal configuration in a directory of
 * the test's, one user with a password from a passwd-file, Maildir, IMAP and IMAPS on loopback ports
 * (the certificate made with the openssl CLI for 127.0.0.1, {@link #caFile()}). Run as {@code dovecot
 * -F}, a child process the test stops and starts again on the same ports.
 */
final class DovecotFixture implements AutoCloseable {
    static final String USER = "fax";
    static final String PASSWORD = "mailbox-password-1";

    private final Path dir;
    private final int imapPort;
    private final int imapsPort;
    private final String extraConfig;
    private final String introspectionUrl;
    private Process process;

    private DovecotFixture(Path dir, int imapPort, int imapsPort, String extraConfig, String introspectionUrl) {
        this.dir = dir;
        this.imapPort = imapPort;
        this.imapsPort = imapsPort;
        this.extraConfig = extraConfig;
        this.introspectionUrl = introspectionUrl;
    }

    /** Dovecot on two fresh loopback ports (again on others should a port be taken before it binds). */
    static DovecotFixture start(Path dir, String extraConfig) throws Exception {
        return start(dir, extraConfig, null);
    }

    /**
     * As {@link #start(Path, String)}; with {@code introspectionUrl} the user may also log in with
     * SASL XOAUTH2, Dovecot asking that URL (RFC 7662 token introspection) whether a token is active.
     */
    static DovecotFixture start(Path dir, String extraConfig, String introspectionUrl) throws Exception {
        require("dovecot", "/usr/sbin/dovecot", "dovecot-imapd");
        require("openssl", "/usr/bin/openssl", "openssl");
        Files.createDirectories(dir);
        certificate(dir);
        return PortRetry.onAddressInUse("dovecot", attempt -> {
            int[] ports = freeTcp(2);
            DovecotFixture d = new DovecotFixture(dir.resolve("try-" + attempt), ports[0], ports[1], extraConfig, introspectionUrl);
            d.configure();
            d.startAgain();
            return d;
        });
    }

    int imapPort() {
        return imapPort;
    }

    int imapsPort() {
        return imapsPort;
    }

    Path caFile() {
        return dir.getParent().resolve("cert.pem");
    }

    Path configFile() {
        return dir.resolve("dovecot.conf");
    }

    /** Starts the stopped Dovecot on its old ports; returns once a login over IMAP works. */
    void startAgain() throws IOException {
        Files.deleteIfExists(dir.resolve("dovecot.log"));
        process = new ProcessBuilder("/usr/sbin/dovecot", "-F", "-c", configFile().toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("dovecot.out").toFile()).start();
        Process p = process;
        await("dovecot answering on 127.0.0.1:" + imapPort).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsMatching(e -> e instanceof MessagingException).until(() -> {
                    if (!p.isAlive()) {
                        String log = log();
                        if (PortRetry.inUse(log)) throw new PortRetry.PortTaken("dovecot: " + log);
                        throw new IllegalStateException("dovecot ended with exit " + p.exitValue() + ": " + log);
                    }
                    try (Store s = store()) {
                        return s.isConnected();
                    }
                });
    }

    /** Stops Dovecot as an administrator would (SIGTERM: the master ends every session), and waits for it. */
    void stop() throws InterruptedException {
        if (process == null) return;
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        process = null;
    }

    /** A test's own connection to the mailbox (plain IMAP on loopback), to place and look at messages. */
    Store store() throws MessagingException {
        Properties p = new Properties();
        p.setProperty("mail.imap.connectiontimeout", "30000");
        p.setProperty("mail.imap.timeout", "60000");
        Store s = Session.getInstance(p).getStore("imap");
        s.connect("127.0.0.1", imapPort, USER, PASSWORD);
        return s;
    }

    /** Places {@code messages} in INBOX with IMAP APPEND. */
    void append(Message... messages) throws MessagingException {
        try (Store s = store()) {
            s.getFolder("INBOX").appendMessages(messages);
        }
    }

    /** The Message-IDs in a folder ({@code faxlan/done} written with Dovecot's separator), in order; empty when there is no such folder. */
    List<String> messageIds(String folder) throws MessagingException {
        try (Store s = store()) {
            Folder f = s.getFolder(folder.replace('/', s.getDefaultFolder().getSeparator()));
            if (!f.exists()) return List.of();
            f.open(Folder.READ_ONLY);
            try {
                List<String> ids = new ArrayList<>();
                for (Message m : f.getMessages()) {
                    String[] id = m.getHeader("Message-ID");
                    ids.add(id == null ? "(none)" : id[0]);
                }
                return ids;
            } finally {
                f.close(false);
            }
        }
    }

    String log() {
        try {
            Path log = dir.resolve("dovecot.log");
            Path out = dir.resolve("dovecot.out");
            return (Files.exists(out) ? Files.readString(out) : "") + (Files.exists(log) ? Files.readString(log) : "");
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private void configure() throws IOException {
        Path mail = Files.createDirectories(dir.resolve("mail"));
        Files.createDirectories(dir.resolve("run"));
        Files.writeString(dir.resolve("passwd"), USER + ":{PLAIN}" + PASSWORD + "\n");
        // Dovecot refuses mail access as root: as root the mail processes run as the package's own user,
        // which must reach the Maildir; as another user, everything runs as that user.
        boolean root = "root".equals(System.getProperty("user.name"));
        String user = root ? "dovecot" : System.getProperty("user.name");
        String loginUser = root ? "dovenull" : user;
        if (root) {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(mail, users.lookupPrincipalByName("dovecot"));
            for (Path p = dir; p != null && !p.equals(Path.of(System.getProperty("java.io.tmpdir"))); p = p.getParent()) {
                if (Files.getOwner(p).getName().equals("root")) Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx--x--x"));
            }
        }
        String gid = root ? "dovecot" : String.valueOf(Files.getAttribute(mail, "unix:gid"));
        if (introspectionUrl != null) {
            Files.writeString(dir.resolve("oauth2.conf.ext"), String.join("\n", "introspection_mode = post", "introspection_url = " + introspectionUrl,
                    "username_attribute = username", "active_attribute = active", "active_value = true", ""));
        }
        Files.writeString(configFile(), String.join("\n",
                "base_dir = " + dir.resolve("run"),
                "state_dir = " + dir.resolve("run"),
                "log_path = " + dir.resolve("dovecot.log"),
                "protocols = imap",
                "listen = 127.0.0.1",
                "ssl = yes",
                "ssl_cert = <" + caFile(),
                "ssl_key = <" + dir.getParent().resolve("key.pem"),
                "disable_plaintext_auth = no",
                "auth_mechanisms = plain login" + (introspectionUrl != null ? " xoauth2" : ""),
                "default_internal_user = " + user,
                "default_login_user = " + loginUser,
                "first_valid_uid = 1",
                introspectionUrl == null ? "" : "passdb {\n  driver = oauth2\n  mechanisms = xoauth2\n  args = " + dir.resolve("oauth2.conf.ext") + "\n}",
                "passdb {", "  driver = passwd-file", "  mechanisms = plain login", "  args = " + dir.resolve("passwd"), "}",
                "userdb {", "  driver = static", "  args = uid=" + user + " gid=" + gid + " home=" + mail + "/%u", "}",
                "mail_location = maildir:~/Maildir",
                "service imap-login {",
                "  inet_listener imap {", "    address = 127.0.0.1", "    port = " + imapPort, "  }",
                "  inet_listener imaps {", "    address = 127.0.0.1", "    port = " + imapsPort, "  }",
                "}",
                extraConfig, ""));
    }

    /** A self-signed certificate for 127.0.0.1, the CA the poller is told to trust. */
    private static void certificate(Path dir) throws IOException, InterruptedException {
        Path out = dir.resolve("openssl.out");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString(), "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost").redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("openssl failed: " + Files.readString(out));
    }

    private static int[] freeTcp(int n) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket();
                held.add(s);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                ports[i] = s.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }

    /** A Debian program the test is about: skipped without it, except under CI=true, where it must be installed. */
    static String require(String name, String path, String debianPackage) {
        if (Files.isExecutable(Path.of(path))) return path;
        String reason = name + " is not installed (apt-get install " + debianPackage + ")";
        if ("true".equals(System.getenv("CI"))) Assertions.fail(reason + " (CI=true: the mail poller tests must run)");
        System.out.println("SKIPPED (imap): " + reason);
        Assumptions.abort(reason);
        return null;
    }
}
