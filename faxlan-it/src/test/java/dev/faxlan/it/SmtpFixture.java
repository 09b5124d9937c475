package dev.faxlan.it;

import dev.faxlan.mail.smtp.SmtpGateway;
import dev.faxlan.mail.smtp.SmtpGatewayConfig;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.Job;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What the SMTP gateway tests share: a real server on loopback with a mail user, the gateway's
 * configuration, swaks to send with, and the sender's job list read through the SDK.
 */
final class SmtpFixture {
    static final String ADMIN_PW = "smtp-admin-pw-1";
    static final String USER = "mailer";
    static final String USER_PW = "mailer-password-1";
    static final String DOMAIN = "fax.example.org";
    private static volatile String swaks;

    private SmtpFixture() {}

    /** A server on 127.0.0.1 with the test trunk (every +1 555 number) and the mail user. */
    static FaxlanServer startServer(Path data, String name) throws Exception {
        FaxlanServer s = TestTrunk.start(ServerConfig.defaults().withDataDir(data)
                .withBind(new InetSocketAddress("127.0.0.1", 0)).withName(name).withAdminPassword(ADMIN_PW));
        addUser(s);
        return s;
    }

    static SmtpGatewayConfig config(int serverTimeoutSeconds, int maxMessageBytes) throws Exception {
        Properties p = new Properties();
        p.setProperty("fax.domain", DOMAIN);
        p.setProperty("server.timeout.seconds", String.valueOf(serverTimeoutSeconds));
        p.setProperty("max.message.bytes", String.valueOf(maxMessageBytes));
        // swaks logs in on loopback without STARTTLS (SmtpGatewayTlsIT tests TLS)
        p.setProperty("auth.without.tls", "loopback");
        return SmtpGatewayConfig.parse(p);
    }

    static void addUser(FaxlanServer s) {
        try (FaxlanClient admin = client(s, "admin", ADMIN_PW)) {
            admin.addUser(USER, USER_PW.toCharArray(), "user");
        }
    }

    static FaxlanClient client(FaxlanServer s, String user, String pw) {
        return FaxlanClient.builder().server(s.address()).user(user).password(pw.toCharArray()).timeout(Duration.ofSeconds(30)).build();
    }

    /** The sender's jobs, finished ones included, with this subject. */
    static List<Job> jobs(FaxlanServer s, String subject) {
        try (FaxlanClient c = client(s, USER, USER_PW)) {
            return c.jobs(true).stream().filter(j -> subject.equals(j.subject())).toList();
        }
    }

    record Swaks(int exit, String transcript) {
        /** The reply to the end of the message data, or "" when the transaction ended before it. */
        String dataReply() {
            List<String> lines = transcript.lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).equals(" -> .")) {
                    for (int k = i + 1; k < lines.size(); k++) {
                        if (lines.get(k).startsWith("<")) return lines.get(k).substring(4).strip();
                    }
                }
            }
            return "";
        }
    }

    /**
     * One message through swaks. Subject and Date are fixed, so a resend is byte for byte the same
     * message, as an MTA's retry is. A recipient starting with '+' is passed with a leading space,
     * which swaks drops, because swaks reads a leading '+' as an option prefix.
     */
    static Swaks send(SmtpGateway gw, String messageId, String subject, List<String> to, String password, String... more)
            throws IOException, InterruptedException {
        return send(gw.address().getPort(), messageId, subject, to, password, more);
    }

    static Swaks send(int port, String messageId, String subject, List<String> to, String password, String... more)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(requireSwaks(), "--server", "127.0.0.1:" + port, "--from", "clerk@example.org",
                "--to", " " + String.join(",", to), "--header", "Message-Id: " + messageId, "--header", "Subject: " + subject,
                "--header", "Date: Sun, 06 Dec 2026 12:00:00 +0000", "--timeout", "90"));
        if (password != null) cmd.addAll(List.of("--auth", "PLAIN", "--auth-user", USER, "--auth-password", password));
        cmd.addAll(List.of(more));
        return swaks(cmd);
    }

    /** swaks with these arguments (the first is swaks itself); its transcript, however it ended. */
    static Swaks swaks(List<String> cmd) throws IOException, InterruptedException {
        // stdin is empty: swaks asks there for anything missing instead of hanging on a pipe.
        Path out = Files.createTempFile("swaks", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                Assertions.fail("swaks did not finish: " + Files.readString(out));
            }
            // Lenient: a transcript may echo bytes of a malformed message that are not UTF-8.
            return new Swaks(p.exitValue(), new String(Files.readAllBytes(out), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** swaks is a test tool: skipped without it, except under CI=true, where it must be installed. */
    static String requireSwaks() {
        if (swaks != null) return swaks;
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path exe = Path.of(d, "swaks");
            if (Files.isExecutable(exe)) return swaks = exe.toString();
        }
        String reason = "swaks is not installed (apt-get install swaks)";
        if ("true".equals(System.getenv("CI"))) Assertions.fail(reason + " (CI=true: the SMTP gateway tests must run)");
        System.out.println("SKIPPED (smtp): " + reason);
        Assumptions.abort(reason);
        return null;
    }

    /** A one-page PDF with a line of text. */
    static Path pdf(Path file) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                cs.beginText();
                cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                cs.newLineAtOffset(72, 700);
                cs.showText("Our offer, by e-mail to fax");
                cs.endText();
            }
            doc.save(file.toFile());
        }
        return file;
    }
}
