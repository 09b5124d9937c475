package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.documents.view.FaxViewer;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t4.DecodeResult;
import dev.faxlan.engine.tiff.TiffReader;
import dev.faxlan.mail.out.MailOut;
import dev.faxlan.mail.out.MailOutConfig;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.InboxFax;
import dev.faxlan.sdk.Job;
import dev.faxlan.sdk.Route;
import dev.faxlan.sdk.SubmitRequest;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code faxlan mail-out} against a real server on loopback and a real Postfix delivering to
 * Maildirs: faxes go out over the loopback line and come back in, and each test reads what Postfix
 * delivered. Two numbers of the loopback line route to a personal mailbox (PDF) and a shared one
 * (notice only).
 */
class MailOutIT {
    static final String ADMIN_PW = "mailout-admin-pw-1";
    static final String TO_ALICE = "+12125550100";
    static final String TO_RECORDS = "+12125550101";
    static final Duration FAX = Duration.ofSeconds(240);
    static final Duration MAIL = Duration.ofSeconds(120);
    @TempDir
    static Path dir;
    static Postfix postfix;
    static FaxlanServer server;
    static MailOut mailOut;

    @BeforeAll
    static void start() throws Exception {
        Postfix.require();
        postfix = Postfix.start(dir, List.of("alice", "bob", "carol", "erin"));
        Properties lines = new Properties();
        lines.setProperty("numbers.country-code", "1");
        lines.setProperty("numbers.area-code", "212");
        lines.setProperty("line.loopback.dids", TO_ALICE + "," + TO_RECORDS);
        server = FaxlanServer.start(ServerConfig.defaults().withDataDir(dir.resolve("data")).withBind(new InetSocketAddress("127.0.0.1", 0))
                .withName("mailout-it").withAdminPassword(ADMIN_PW).withLines(FastLoopback.lines(lines)));
        try (FaxlanClient admin = client("admin", ADMIN_PW)) {
            for (String u : List.of("alice", "bob", "carol", "erin")) admin.addUser(u, (u + "-password-1").toCharArray(), "user");
            admin.addMailbox("Records");
            admin.setMailboxMember("Records", "carol", true);
            admin.addRoute(new Route.Match(TO_ALICE, null, null, null, null), "alice", 0);
            admin.addRoute(new Route.Match(TO_RECORDS, null, null, null, null), "Records", 0);
        }
        Properties p = base(postfix.port(), dir.resolve("mail-out.state"));
        p.setProperty("address.alice", "alice@example.org");
        p.setProperty("address.bob", "bob@example.org");
        p.setProperty("address.carol", "carol@example.org");
        p.setProperty("reports.bob", "off");
        p.setProperty("received.Records", "notice");
        p.setProperty("poll.seconds", "1");
        mailOut = MailOut.start(MailOutConfig.parse(p), server.address(), null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (mailOut != null) mailOut.close();
        if (server != null) server.close();
        if (postfix != null) postfix.close();
    }

    /** The settings every instance here shares: the administrator, the state file, Postfix without TLS. */
    static Properties base(int smtpPort, Path state) throws IOException {
        Path pw = dir.resolve("admin.password");
        if (!Files.exists(pw)) Files.writeString(pw, ADMIN_PW + "\n");
        Properties p = new Properties();
        p.setProperty("server.user", "admin");
        p.setProperty("server.password.file", pw.toString());
        p.setProperty("state.file", state.toString());
        p.setProperty("smarthost.host", "127.0.0.1");
        p.setProperty("smarthost.port", Integer.toString(smtpPort));
        p.setProperty("smarthost.tls", "none");
        p.setProperty("smarthost.from", "fax@example.org");
        p.setProperty("smarthost.timeout.seconds", "20");
        return p;
    }

    static FaxlanClient client(String user, String pw) {
        return FaxlanClient.builder().server(server.address()).user(user).password(pw.toCharArray()).timeout(Duration.ofSeconds(30)).build();
    }

    static FaxlanClient as(String user) {
        return client(user, user + "-password-1");
    }

    @Test
    void aSentFaxIsReportedToItsSenderAndArrivesAsAPdfWithTheReceivedPixels() throws Exception {
        Path pdf = pdf(dir.resolve("offer.pdf"), 2);
        Job job;
        try (FaxlanClient alice = as("alice")) {
            job = alice.submit(new SubmitRequest(List.of(TO_ALICE), List.of(pdf), "Offer", null, "fine", null)).get(0);
            Awaitility.await().atMost(FAX).until(() -> alice.job(job.id()).finished());
            assertThat(alice.job(job.id()).state()).isEqualTo("done");
        }
        MimeMessage report = one("alice", "X-Faxlan-Job", job.id());
        assertThat(report.getSubject()).isEqualTo("Fax to " + TO_ALICE + " sent: 2 pages (Offer)");
        assertThat(report.getFrom()[0].toString()).isEqualTo("fax@example.org");
        String body = text(report);
        assertThat(body).contains("Recipient: " + TO_ALICE, "Result: sent", "Pages sent: 2", "Attempts: 1", "Reason: 2 page(s) sent")
                .containsPattern("Call duration: [0-9]+ (min [0-9]+ )?s").doesNotContain("no call");

        InboxFax fax;
        try (FaxlanClient admin = client("admin", ADMIN_PW)) {
            Awaitility.await().atMost(MAIL).until(() -> !admin.inbox("alice", false).isEmpty());
            fax = admin.inbox("alice", false).get(0);
            Path tiff = dir.resolve("received-" + fax.id() + ".tif");
            admin.fetch(fax.id(), tiff, n -> {});
            MimeMessage mail = one("alice", "X-Faxlan-Fax", fax.id());
            assertThat(mail.getSubject()).startsWith("Fax from ").endsWith(": 2 pages");
            assertThat(text(mail)).contains("Pages: 2", "Called number: " + TO_ALICE, "Mailbox: alice", "fax-" + fax.id() + ".pdf");
            Part attached = attachment(mail, "fax-" + fax.id() + ".pdf");
            assertThat(attached.getContentType()).startsWith("application/pdf");
            List<DecodeResult> pages = TiffReader.readAll(Files.readAllBytes(tiff));

            // The report's picture is page 1 as faxed: as wide as asked, as tall as the page's aspect, the pixels of the page that arrived.
            BufferedImage thumb = png(attachment(report, "page-1.png").getInputStream().readAllBytes());
            BilevelPage first = pages.get(0).page();
            assertThat(thumb.getWidth()).isEqualTo(300);
            BilevelPage square = FaxViewer.squarePels(first);
            assertThat(thumb.getHeight()).isEqualTo((int) Math.round(300.0 * square.height() / square.width()));
            BufferedImage fromReceived = png(FaxViewer.thumbnail(first, 300));
            assertThat(thumb.getHeight()).isEqualTo(fromReceived.getHeight());
            for (int y = 0; y < thumb.getHeight(); y++) {
                for (int x = 0; x < thumb.getWidth(); x++) {
                    assertThat(thumb.getRaster().getSample(x, y, 0)).as("thumbnail pixel %d,%d", x, y).isEqualTo(fromReceived.getRaster().getSample(x, y, 0));
                }
            }
            try (InputStream in = attached.getInputStream(); PDDocument doc = Loader.loadPDF(in.readAllBytes())) {
                assertThat(doc.getNumberOfPages()).isEqualTo(fax.pages()).isEqualTo(pages.size());
                for (int i = 0; i < pages.size(); i++) {
                    BilevelPage want = pages.get(i).page();
                    long differ = differingPixels(render(doc, i, want), want);
                    // The PDF embeds the fax's own pels (G4) on a page sized from its resolution: rendered back at that resolution, every pixel matches.
                    assertThat(differ).as("page %d: pixels that differ of %d", i + 1, (long) want.width() * want.height()).isZero();
                }
            }
        }
    }

    @Test
    void aCancelledJobIsReportedWithItsReasonAndAUserWithReportsOffGetsNone() throws Exception {
        long bobs;
        long alices;
        try (FaxlanClient bob = as("bob"); FaxlanClient alice = as("alice")) {
            bobs = later(bob, "Bob's letter");
            bob.cancel(bobs);
            alices = later(alice, "Alice's letter");
            alice.cancel(alices);
        }
        MimeMessage report = one("alice", "X-Faxlan-Job", alices);
        assertThat(report.getSubject()).isEqualTo("Fax to " + TO_ALICE + " cancelled (Alice's letter)");
        assertThat(text(report)).contains("Result: cancelled", "Reason: cancelled by alice", "Pages sent: 0", "Call duration: no call");
        assertThat(png(attachment(report, "page-1.png").getInputStream().readAllBytes()).getWidth()).isEqualTo(300);
        // Jobs are handled in id order, so once Alice's later job is reported Bob's was decided: no mail, and so recorded.
        assertThat(postfix.messages("bob", "X-Faxlan-Job", Long.toString(bobs))).isEmpty();
        assertThat(Files.readAllLines(dir.resolve("mail-out.state"))).contains("job " + bobs + " -");
    }

    @Test
    void aSharedMailboxInNoticeModeGetsTheFaxDetailsWithoutTheDocument() throws Exception {
        Path pdf = pdf(dir.resolve("records.pdf"), 1);
        try (FaxlanClient alice = as("alice"); FaxlanClient admin = client("admin", ADMIN_PW)) {
            int before = admin.inbox("Records", false).size();
            Job job = alice.submit(new SubmitRequest(List.of(TO_RECORDS), List.of(pdf), "Patient record", null, "fine", null)).get(0);
            Awaitility.await().atMost(FAX).until(() -> alice.job(job.id()).finished());
            Awaitility.await().atMost(MAIL).until(() -> admin.inbox("Records", false).size() > before);
            InboxFax fax = admin.inbox("Records", false).get(0);
            MimeMessage notice = one("carol", "X-Faxlan-Fax", fax.id());
            assertThat(notice.getContentType()).startsWith("text/plain");
            assertThat(notice.getContent()).isInstanceOf(String.class);
            assertThat(text(notice)).contains("Pages: 1", "Mailbox: Records", "Called number: " + TO_RECORDS, "not sent by mail");
        }
    }

    /** A received fax wakes the service at once (the administrator's alert): its mail does not wait for an hour's poll interval. */
    @Test
    void aReceivedFaxIsMailedWithoutWaitingForThePollInterval() throws Exception {
        Properties p = base(postfix.port(), dir.resolve("wake.state"));
        p.setProperty("address.carol", "carol@example.org");
        p.setProperty("reports.default", "off");
        p.setProperty("received.default", "notice");
        p.setProperty("poll.seconds", "3600");
        p.setProperty("smarthost.from", "wake@example.org");
        try (MailOut m = MailOut.start(MailOutConfig.parse(p), server.address(), null)) {
            // The first round (at once) records what exists.
            Awaitility.await().atMost(MAIL).until(() -> Files.exists(dir.resolve("wake.state")));
            Path pdf = pdf(dir.resolve("wake.pdf"), 1);
            try (FaxlanClient alice = as("alice"); FaxlanClient admin = client("admin", ADMIN_PW)) {
                int before = admin.inbox("Records", false).size();
                Job job = alice.submit(new SubmitRequest(List.of(TO_RECORDS), List.of(pdf), "Wake up", null, "fine", null)).get(0);
                Awaitility.await().atMost(FAX).until(() -> alice.job(job.id()).finished());
                Awaitility.await().atMost(MAIL).until(() -> admin.inbox("Records", false).size() > before);
                long fax = admin.inbox("Records", false).get(0).id();
                Awaitility.await("the notice from the woken service").atMost(MAIL).pollInterval(Duration.ofMillis(300))
                        .until(() -> fromWake(postfix.messages("carol", "X-Faxlan-Fax", Long.toString(fax))) == 1);
            }
        }
    }

    static long fromWake(List<MimeMessage> messages) throws Exception {
        long n = 0;
        for (MimeMessage m : messages) if (m.getFrom()[0].toString().equals("wake@example.org")) n++;
        return n;
    }

    /**
     * A restart loses nothing and sends nothing twice: jobs that end while mail-out is stopped are
     * reported after its start, once each, and a round after that sends nothing.
     */
    @Test
    void aRestartNeitherLosesNorRepeatsAReport() throws Exception {
        Path state = dir.resolve("restart.state");
        Properties p = erinOnly(postfix.port(), state);
        long first;
        try (MailOut m = MailOut.create(MailOutConfig.parse(p), server.address(), null)) {
            assertThat(m.poll()).as("the first round of a new state records what exists").isEqualTo(new MailOut.Round(0, 0));
            try (FaxlanClient erin = as("erin")) {
                first = later(erin, "before the restart");
                erin.cancel(first);
            }
            assertThat(m.poll()).isEqualTo(new MailOut.Round(1, 0));
        }
        long second;
        long third;
        try (FaxlanClient erin = as("erin")) {
            second = later(erin, "while stopped 1");
            erin.cancel(second);
            third = later(erin, "while stopped 2");
            erin.cancel(third);
        }
        try (MailOut m = MailOut.create(MailOutConfig.parse(p), server.address(), null)) {
            assertThat(m.poll()).isEqualTo(new MailOut.Round(2, 0));
            assertThat(m.poll()).isEqualTo(new MailOut.Round(0, 0));
        }
        for (long id : List.of(first, second, third)) one("erin", "X-Faxlan-Job", id);
        // Whatever else the shared instance does, it has no address for erin: these came from the restarted one, once each.
        Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30)).until(() -> java.util.stream.Stream.of(first, second, third)
                .allMatch(id -> messagesAbout(postfix, "erin", id) == 1));
    }

    /** Postfix stopped: the report is kept and counted as failed; once Postfix is back the next round delivers it, once. */
    @Test
    void aReportThePostfixDidNotTakeIsSentOnceItIsBack() throws Exception {
        Path state = dir.resolve("down.state");
        try (Postfix own = Postfix.start(dir.resolve("down"), List.of("erin"));
                MailOut m = MailOut.create(MailOutConfig.parse(erinOnly(own.port(), state)), server.address(), null)) {
            m.poll();
            own.stop();
            long id;
            try (FaxlanClient erin = as("erin")) {
                id = later(erin, "while the mail server is down");
                erin.cancel(id);
            }
            assertThat(m.poll()).isEqualTo(new MailOut.Round(0, 1));
            assertThat(Files.readString(state)).doesNotContain("job " + id + " ");
            own.start();
            assertThat(m.poll()).isEqualTo(new MailOut.Round(1, 0));
            assertThat(m.poll()).isEqualTo(new MailOut.Round(0, 0));
            Awaitility.await().atMost(MAIL).until(() -> own.messages("erin", "X-Faxlan-Job", Long.toString(id)).size() == 1);
            assertThat(own.messages("erin")).hasSize(1);
        }
    }

    /** The command as shipped: it says where it reads and mails, and a job that ends is reported; a wrong password is one line and exit 3. */
    @Test
    void theCommandMailsAReportAndAWrongPasswordIsOneLine() throws Exception {
        Path wrongPw = Files.writeString(dir.resolve("wrong.password"), "not-the-password\n");
        Properties wrong = erinOnly(postfix.port(), dir.resolve("wrong.state"));
        wrong.setProperty("server.password.file", wrongPw.toString());
        Path wrongCfg = write(wrong, "wrong.properties");
        List<String> cmd = new ArrayList<>(Cli.javaCommand());
        cmd.addAll(List.of("mail-out", "--server", "127.0.0.1:" + server.port(), "--config", wrongCfg.toString()));
        Cli.Result r = Cli.exec(cmd, java.util.Map.of(), 120);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.err().lines().toList()).as(r.toString()).hasSize(1).first().asString().startsWith("faxlan: mail-out: ").doesNotContain("not-the-password");

        Properties p = erinOnly(postfix.port(), dir.resolve("command.state"));
        p.setProperty("poll.seconds", "1");
        cmd = new ArrayList<>(Cli.javaCommand());
        cmd.addAll(List.of("mail-out", "--server", "127.0.0.1:" + server.port(), "--config", write(p, "command.properties").toString()));
        Process proc = new ProcessBuilder(cmd).redirectError(dir.resolve("mail-out.err").toFile()).start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(proc.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            String line = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    for (String l; (l = out.readLine()) != null; ) if (l.startsWith("faxlan mail-out: ")) return l;
                    return null;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(90, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(line).as(Files.readString(dir.resolve("mail-out.err"))).isEqualTo("faxlan mail-out: reading jobs and received faxes from 127.0.0.1:"
                    + server.port() + " as admin every 1 s, mailing through 127.0.0.1:" + postfix.port());
            // The first poll records what exists; wait for it, so the job below is new to this instance.
            Awaitility.await().atMost(MAIL).until(() -> Files.exists(dir.resolve("command.state")));
            long id;
            try (FaxlanClient erin = as("erin")) {
                id = later(erin, "by the command");
                erin.cancel(id);
            }
            assertThat(one("erin", "X-Faxlan-Job", id).getSubject()).isEqualTo("Fax to " + TO_ALICE + " cancelled (by the command)");
        } finally {
            proc.destroy();
            if (!proc.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) proc.destroyForcibly();
        }
    }

    // ------------------------------------------------------------------ helpers

    static int messagesAbout(Postfix p, String user, long job) {
        try {
            return p.messages(user, "X-Faxlan-Job", Long.toString(job)).size();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Path write(Properties p, String name) throws IOException {
        Path f = dir.resolve(name);
        try (java.io.Writer w = Files.newBufferedWriter(f)) {
            p.store(w, null);
        }
        return f;
    }

    static Properties erinOnly(int port, Path state) throws IOException {
        Properties p = base(port, state);
        p.setProperty("address.erin", "erin@example.org");
        p.setProperty("received.default", "off");
        return p;
    }

    /** A job that waits far in the future, to cancel: a final state at once, without a call. */
    static long later(FaxlanClient c, String subject) {
        return c.submit(new SubmitRequest(List.of(TO_ALICE), List.of(textFile(subject)), subject, null, "fine", Instant.parse(TestTrunk.LATER)))
                .get(0).id();
    }

    static Path textFile(String text) {
        try {
            return Files.writeString(Files.createTempFile(dir, "letter", ".txt"), text + "\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The one message to {@code user} with this header, waiting for it to be delivered. */
    static MimeMessage one(String user, String header, long id) throws Exception {
        Awaitility.await(user + " gets " + header + " " + id).atMost(MAIL).pollInterval(Duration.ofMillis(300))
                .until(() -> !postfix.messages(user, header, Long.toString(id)).isEmpty());
        List<MimeMessage> found = new ArrayList<>(postfix.messages(user, header, Long.toString(id)));
        assertThat(found).as("messages to %s with %s %d", user, header, id).hasSize(1);
        return found.get(0);
    }

    static String text(Part p) throws Exception {
        if (p.isMimeType("text/plain")) return (String) p.getContent();
        if (p.getContent() instanceof Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                String t = text(mp.getBodyPart(i));
                if (t != null) return t;
            }
        }
        return null;
    }

    static Part attachment(MimeMessage m, String name) throws Exception {
        Multipart mp = (Multipart) m.getContent();
        for (int i = 0; i < mp.getCount(); i++) {
            BodyPart b = mp.getBodyPart(i);
            if (name.equals(b.getFileName())) return b;
        }
        throw new AssertionError("no attachment " + name);
    }

    /** Page {@code i} drawn at the fax's own resolution, across and down, without smoothing. */
    static BufferedImage render(PDDocument doc, int i, BilevelPage fax) throws IOException {
        BufferedImage img = new BufferedImage(fax.width(), fax.height(), BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, fax.width(), fax.height());
            PDFRenderer r = new PDFRenderer(doc);
            RenderingHints hints = new RenderingHints(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            hints.put(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            r.setRenderingHints(hints);
            r.renderPageToGraphics(i, g, fax.xRes() / 72f, fax.yRes() / 72f);
        } finally {
            g.dispose();
        }
        return img;
    }

    static long differingPixels(BufferedImage img, BilevelPage fax) {
        long differ = 0;
        for (int y = 0; y < fax.height(); y++) {
            for (int x = 0; x < fax.width(); x++) {
                boolean black = (img.getRaster().getSample(x, y, 0) & 0xff) < 128;
                if (black != fax.isBlack(x, y)) differ++;
            }
        }
        return differ;
    }

    static Path pdf(Path file, int pages) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            for (int i = 1; i <= pages; i++) {
                PDPage page = new PDPage();
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD), 28);
                    cs.newLineAtOffset(72, 700);
                    cs.showText("Page " + i + " of " + pages);
                    cs.endText();
                    cs.addRect(72, 400 - i * 40, 300, 20 + i * 10);
                    cs.fill();
                }
            }
            doc.save(file.toFile());
        }
        return file;
    }

    static BufferedImage png(byte[] bytes) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(bytes));
    }
}
