package dev.faxlan.it;

import dev.faxlan.testkit.PortRetry;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Postfix (the Debian package), started as root with a configuration of its own in a test
 * directory: its own config, queue and data directories, SMTP on one loopback port, and delivery of
 * mail to {@code USER@example.org} into the Maildir {@code mail/USER/}, so it neither uses nor
 * disturbs a system Postfix. Its log is {@code postfix.log} in the directory.
 */
final class Postfix implements AutoCloseable {
    static final String DOMAIN = "example.org";
    /** The uid and gid Postfix's virtual agent delivers as (nobody); Postfix refuses root. */
    static final int MAIL_UID = 65534;

    private final Path dir;
    private final int port;
    private boolean running;

    private Postfix(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Configures and starts an instance for {@code users}; the port is retried should another program take it first. */
    static Postfix start(Path dir, List<String> users) throws Exception {
        int[] attempt = {0};
        return PortRetry.onAddressInUse("postfix", n -> {
            Path d = dir.resolve("postfix-" + ++attempt[0]);
            Postfix p = new Postfix(d, PortRetry.freeUdpAndTcp(InetAddress.getLoopbackAddress()));
            p.configure(users);
            p.start();
            return p;
        });
    }

    int port() {
        return port;
    }

    /** The postfix program: the Debian package, skipped without it except under CI=true. */
    static void require() {
        String reason = null;
        if (!Files.isExecutable(Path.of("/usr/sbin/postfix"))) reason = "postfix is not installed (apt-get install postfix)";
        else if (!"root".equals(System.getProperty("user.name"))) reason = "postfix must be started as root (its master drops to the postfix user)";
        if (reason == null) return;
        if ("true".equals(System.getenv("CI"))) Assertions.fail(reason + " (CI=true: the mail-out tests must run)");
        System.out.println("SKIPPED (postfix): " + reason);
        Assumptions.abort(reason);
    }

    private void configure(List<String> users) throws IOException, InterruptedException {
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Path mail = Files.createDirectories(dir.resolve("mail"));
        Files.createDirectories(dir.resolve("spool"));
        Path data = Files.createDirectories(dir.resolve("data"));
        // The @TempDir is 0700 root; Postfix's daemons run as postfix and nobody and must reach in.
        for (Path p = dir; p != null && !p.equals(dir.getRoot()) && p.startsWith(System.getProperty("java.io.tmpdir")); p = p.getParent()) {
            if (!p.equals(Path.of(System.getProperty("java.io.tmpdir")))) Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        run("chown", "postfix", data.toString());
        run("chown", MAIL_UID + ":" + MAIL_UID, mail.toString());
        StringBuilder boxes = new StringBuilder();
        for (String u : users) boxes.append(u).append('@').append(DOMAIN).append(' ').append(u).append("/\n");
        boxes.append('@').append(DOMAIN).append(" other/\n");
        Files.writeString(etc.resolve("mailboxes"), boxes);
        Files.writeString(etc.resolve("main.cf"), String.join("\n",
                "compatibility_level = 3.6",
                "config_directory = " + etc,
                "queue_directory = " + dir.resolve("spool"),
                "data_directory = " + data,
                "maillog_file = " + dir.resolve("postfix.log"),
                "maillog_file_prefixes = " + dir,
                "inet_interfaces = loopback-only",
                "inet_protocols = ipv4",
                "myhostname = mail.test",
                "mydestination =",
                "mynetworks = 127.0.0.0/8",
                "local_transport = error:no local delivery",
                "alias_maps =",
                "alias_database =",
                "smtpd_relay_restrictions = permit_mynetworks, reject",
                "virtual_mailbox_domains = " + DOMAIN,
                "virtual_mailbox_base = " + mail,
                "virtual_mailbox_maps = texthash:" + etc.resolve("mailboxes"),
                "virtual_uid_maps = static:" + MAIL_UID,
                "virtual_gid_maps = static:" + MAIL_UID,
                "virtual_mailbox_limit = 0",
                "message_size_limit = 52428800",
                "") + "\n");
        // Only the services this instance needs, none chrooted (the chroot would need copies of /etc files).
        Files.writeString(etc.resolve("master.cf"), String.join("\n",
                "127.0.0.1:" + port + " inet n - n - - smtpd",
                "pickup    unix  n - n 60 1 pickup",
                "cleanup   unix  n - n - 0 cleanup",
                "qmgr      unix  n - n 300 1 qmgr",
                "rewrite   unix  - - n - - trivial-rewrite",
                "bounce    unix  - - n - 0 bounce",
                "defer     unix  - - n - 0 bounce",
                "trace     unix  - - n - 0 bounce",
                "verify    unix  - - n - 1 verify",
                "flush     unix  n - n 1000? 0 flush",
                "proxymap  unix  - - n - - proxymap",
                "showq     unix  n - n - - showq",
                "error     unix  - - n - - error",
                "retry     unix  - - n - - error",
                "discard   unix  - - n - - discard",
                "virtual   unix  - n n - - virtual",
                "anvil     unix  - - n - 1 anvil",
                "scache    unix  - - n - 1 scache",
                "postlog   unix-dgram n - n - 1 postlogd",
                "") + "\n");
    }

    /** Starts the mail system and waits until its SMTP port answers. */
    void start() throws IOException, InterruptedException {
        long logBefore = Files.exists(log()) ? Files.size(log()) : 0;
        String out = run("/usr/sbin/postfix", "-c", dir.resolve("etc").toString(), "start");
        running = true;
        try {
            Awaitility.await("postfix on 127.0.0.1:" + port).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(this::answers);
        } catch (RuntimeException e) {
            String log = Files.exists(log()) ? Files.readString(log()).substring((int) logBefore) : "";
            stop();
            if (PortRetry.inUse(log)) throw new PortRetry.PortTaken("postfix: port " + port + " is taken: " + log);
            throw new AssertionError("postfix did not start: " + out + "\n" + log, e);
        }
    }

    /** Stops the mail system; mail in its queue stays there for the next start. */
    void stop() throws IOException, InterruptedException {
        if (!running) return;
        run("/usr/sbin/postfix", "-c", dir.resolve("etc").toString(), "stop");
        running = false;
        Awaitility.await("postfix stopped").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> !answers());
    }

    private boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    Path log() {
        return dir.resolve("postfix.log");
    }

    /** The messages delivered to {@code user} so far, parsed. */
    List<MimeMessage> messages(String user) throws Exception {
        Path fresh = dir.resolve("mail").resolve(user).resolve("new");
        List<MimeMessage> out = new ArrayList<>();
        if (!Files.isDirectory(fresh)) return out;
        try (Stream<Path> files = Files.list(fresh)) {
            for (Path f : files.sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    out.add(new MimeMessage(Session.getInstance(new Properties()), in));
                }
            }
        }
        return out;
    }

    /** The messages to {@code user} with header {@code name} equal to {@code value}. */
    List<MimeMessage> messages(String user, String name, String value) throws Exception {
        List<MimeMessage> out = new ArrayList<>();
        for (MimeMessage m : messages(user)) if (value.equals(m.getHeader(name, null))) out.add(m);
        return out;
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " did not finish");
        }
        return new String(out, StandardCharsets.UTF_8) + (p.exitValue() == 0 ? "" : " (exit " + p.exitValue() + ")");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
    }
}
