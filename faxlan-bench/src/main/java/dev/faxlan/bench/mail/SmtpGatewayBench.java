package dev.faxlan.bench.mail;

import dev.faxlan.documents.WorkDirectories;
import dev.faxlan.lines.LinesConfig;
import dev.faxlan.mail.smtp.SmtpGateway;
import dev.faxlan.mail.smtp.SmtpGatewayConfig;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.SubmitRequest;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import dev.faxlan.testkit.PortRetry;
import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * Mail into fax jobs (bench/smtp-gateway.sh): a server and the SMTP gateway in this JVM on
 * 127.0.0.1, then N messages, each a 1-page PDF to one number, over K SMTP connections at once
 * (Angus Mail's SMTP client, each connection logged in with AUTH once), timed until the last 250.
 * The peer, in the same run: the same N submits (upload of the same PDF, then submit) straight
 * through the SDK from K threads, each with its own logged-in client. Rounds alternate the two so
 * that machine noise hits both alike. After each round the jobs are counted on the server.
 *
 * <p>The number is on a SIP trunk whose proxy is the discard port, with one channel: the jobs are
 * made and queued, and at most one at a time is dialled (its INVITE goes unanswered), so what is
 * measured is the way in, not fax calls.
 *
 * <p>Usage: {@code SmtpGatewayBench [--messages 50] [--connections 4] [--rounds 2] [--warmup 8]}
 */
public final class SmtpGatewayBench {
    static final String ADMIN_PW = "bench-admin-pw";
    static final String USER = "mailbench";
    static final String USER_PW = "mailbench-pw-1";
    static final String DOMAIN = "fax.example.org";
    static final String NUMBER = "+15550100";
    /** Messages the gateway deferred (4xx) and the bench sent again. */
    static final AtomicInteger DEFERRED = new AtomicInteger();

    public static void main(String[] args) throws Exception {
        int messages = 50;
        int connections = 4;
        int rounds = 2;
        int warmup = 8;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--messages" -> messages = Integer.parseInt(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path work = Files.createTempDirectory("smtpbench");
        int status = 0;
        try (FaxlanServer server = PortRetry.onAddressInUse("bench server", a -> FaxlanServer.start(ServerConfig.defaults()
                .withDataDir(work.resolve("data")).withBind(new InetSocketAddress("127.0.0.1", 0)).withName("bench")
                .withAdminPassword(ADMIN_PW).withLines(lines())))) {
            try (FaxlanClient admin = client(server, "admin", ADMIN_PW)) {
                admin.addUser(USER, USER_PW.toCharArray(), "user");
            }
            Properties p = new Properties();
            p.setProperty("fax.domain", DOMAIN);
            p.setProperty("max.connections", String.valueOf(Math.max(20, connections)));
            // The bench's SMTP client logs in on loopback without STARTTLS.
            p.setProperty("auth.without.tls", "loopback");
            Path spool = Files.createDirectories(work.resolve("spool"));
            try (SmtpGateway gateway = SmtpGateway.start(SmtpGatewayConfig.parse(p), new InetSocketAddress("127.0.0.1", 0), server.address(),
                    null, spool)) {
                Path pdf = onePagePdf(work.resolve("letter.pdf"));
                System.out.printf(Locale.ROOT, "# server %s, gateway smtp %s, %d CPUs, %s; %d messages of %d bytes (1-page PDF) per path"
                        + " and round, %d connections/threads, %d rounds%n", server.address(), gateway.address(),
                        Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"), messages, Files.size(pdf),
                        connections, rounds);
                // Warm-up: JIT, connections and logins on every side; counted as jobs but not timed.
                viaGateway(gateway, pdf, "warm-up", warmup, connections);
                viaSdk(server, pdf, "warm-up", warmup, connections);
                List<Double> gw = new ArrayList<>();
                List<Double> sdk = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    double g = viaGateway(gateway, pdf, "gateway " + round, messages, connections);
                    status |= check(server, "gateway " + round, messages);
                    double s = viaSdk(server, pdf, "sdk " + round, messages, connections);
                    status |= check(server, "sdk " + round, messages);
                    gw.add(g);
                    sdk.add(s);
                    System.out.printf(Locale.ROOT, "round %d: gateway %.1f messages/s, sdk %.1f submits/s, gateway/sdk %.2f; deferred (4xx) and sent again so far: %d%n",
                            round, g, s, g / s, DEFERRED.get());
                }
                double g = median(gw);
                double s = median(sdk);
                System.out.printf(Locale.ROOT, "RESULT smtp gateway %d messages x %d rounds over %d connections: median %.1f messages/s into jobs;"
                        + " sdk upload+submit, %d threads: %.1f submits/s; gateway/sdk %.2f%n", messages, rounds, connections, g, connections, s, g / s);
                try (Stream<Path> left = Files.list(spool)) {
                    long n = left.count();
                    if (n > 0) {
                        System.out.println("FAIL " + n + " message directories left in the gateway's spool");
                        status = 1;
                    }
                }
            }
        } catch (Exception e) {
            System.out.println("FAIL " + e);
            e.printStackTrace();
            status = 1;
        } finally {
            WorkDirectories.delete(work);
        }
        // JAIN-SIP's threads are not daemons and outlive the server's close: without this the JVM never ends.
        System.exit(status);
    }

    /** Messages per second from the first connection to the last 250. */
    static double viaGateway(SmtpGateway gateway, Path pdf, String subject, int messages, int connections) throws Exception {
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", "127.0.0.1");
        p.setProperty("mail.smtp.port", String.valueOf(gateway.address().getPort()));
        p.setProperty("mail.smtp.auth", "true");
        p.setProperty("mail.smtp.timeout", "120000");
        Session session = Session.getInstance(p);
        AtomicInteger next = new AtomicInteger();
        return timed(connections, () -> {
            try (Transport t = session.getTransport("smtp")) {
                t.connect(USER, USER_PW);
                for (int i; (i = next.getAndIncrement()) < messages; ) {
                    MimeMessage m = message(session, pdf, subject);
                    m.saveChanges(); // its Message-ID, kept for the retry
                    for (;;) {
                        try {
                            t.sendMessage(m, m.getAllRecipients()); // returns once the gateway answered 250
                            break;
                        } catch (SMTPSendFailedException e) {
                            // A 4xx is retried at once, as an MTA would later: the same Message-ID, so no second job.
                            if (e.getReturnCode() / 100 != 4) throw e;
                            DEFERRED.incrementAndGet();
                        }
                    }
                }
            }
            return null;
        }, messages);
    }

    /** Submits per second through the SDK, each uploading the PDF and submitting it to the number. */
    static double viaSdk(FaxlanServer server, Path pdf, String subject, int messages, int threads) throws Exception {
        AtomicInteger next = new AtomicInteger();
        return timed(threads, () -> {
            try (FaxlanClient c = client(server, USER, USER_PW)) {
                c.login();
                for (int i; (i = next.getAndIncrement()) < messages; ) {
                    c.submit(new SubmitRequest(List.of(NUMBER), List.of(pdf), subject, null, null, null));
                }
            }
            return null;
        }, messages);
    }

    private static double timed(int threads, Callable<Void> worker, int messages) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long t0 = System.nanoTime();
            List<Future<Void>> running = new ArrayList<>();
            for (int k = 0; k < threads; k++) running.add(pool.submit(worker));
            for (Future<Void> f : running) f.get();
            return messages / ((System.nanoTime() - t0) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    static MimeMessage message(Session session, Path pdf, String subject) throws MessagingException, IOException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom("clerk@example.org");
        m.setRecipients(Message.RecipientType.TO, NUMBER + "@" + DOMAIN);
        m.setSubject(subject);
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new DataHandler(new FileDataSource(pdf.toFile())));
        part.setFileName("letter.pdf");
        m.setContent(new MimeMultipart(part));
        return m;
    }

    /** Whether the server holds exactly {@code expected} jobs with this subject; prints the count. */
    static int check(FaxlanServer server, String subject, int expected) {
        try (FaxlanClient c = client(server, USER, USER_PW)) {
            long n = c.jobs(true).stream().filter(j -> subject.equals(j.subject())).count();
            System.out.printf(Locale.ROOT, "jobs \"%s\": %d of %d%n", subject, n, expected);
            return n == expected ? 0 : 1;
        }
    }

    /** A SIP trunk for +1 555 numbers whose proxy is the discard port, one channel; and the idle loopback line. */
    public static LinesConfig lines() {
        Properties p = new Properties();
        p.setProperty("numbers.country-code", "1");
        p.setProperty("sip.bind", "127.0.0.1");
        p.setProperty("sip.port", Integer.toString(PortRetry.freeUdp(InetAddress.getLoopbackAddress())));
        p.setProperty("line.bench.registrar", "127.0.0.1:9");
        p.setProperty("line.bench.register", "false");
        p.setProperty("line.bench.user", "15550000");
        p.setProperty("line.bench.number", "+15550000");
        p.setProperty("line.bench.route", "+1555");
        p.setProperty("line.bench.channels", "1");
        return LinesConfig.parse(p);
    }

    static FaxlanClient client(FaxlanServer s, String user, String pw) {
        return FaxlanClient.builder().server(s.address()).user(user).password(pw.toCharArray()).timeout(Duration.ofSeconds(60)).build();
    }

    public static Path onePagePdf(Path file) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                cs.beginText();
                cs.setFont(new PDType1Font(Standard14Fonts.FontName.TIMES_ROMAN), 12);
                cs.newLineAtOffset(72, 760);
                cs.showText("A one-page letter, faxed by e-mail.");
                cs.endText();
            }
            doc.save(file.toFile());
        }
        return file;
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
