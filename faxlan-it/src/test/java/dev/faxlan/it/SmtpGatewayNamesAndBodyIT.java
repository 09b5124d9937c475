package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.mail.smtp.SmtpGateway;
import dev.faxlan.mail.smtp.SmtpGatewayConfig;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.Job;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Phonebook names as the local part, and the body as the cover's comment or a first page, through
 * the gateway with real mail from swaks; each test reads the sender's job list, and the rendered
 * page from the server's spool.
 */
class SmtpGatewayNamesAndBodyIT {
    static final String ADMIN_PW = "names-admin-pw-1";
    static final String USER = "mailer";
    static final String USER_PW = "mailer-password-1";
    static final String DOMAIN = "fax.example.org";
    @TempDir
    static Path dir;
    static FaxlanServer server;
    /** body.as=cover (the default). */
    static SmtpGateway cover;
    /** body.as=page. */
    static SmtpGateway page;

    @BeforeAll
    static void start() throws Exception {
        SwaksRun.executable();
        server = TestTrunk.start(ServerConfig.defaults().withDataDir(dir.resolve("data"))
                .withBind(new InetSocketAddress("127.0.0.1", 0)).withName("smtp-names-it").withAdminPassword(ADMIN_PW));
        try (FaxlanClient admin = client("admin", ADMIN_PW)) {
            admin.addUser(USER, USER_PW.toCharArray(), "user");
            admin.addContact("Front Desk", "Head office", "+15552002", true);
        }
        try (FaxlanClient user = client(USER, USER_PW)) {
            user.addContact("Dr. Smith", "Clinic", "+15552001", false);
        }
        cover = SmtpGateway.start(config("cover"), new InetSocketAddress("127.0.0.1", 0), server.address(), null);
        page = SmtpGateway.start(config("page"), new InetSocketAddress("127.0.0.1", 0), server.address(), null);
    }

    @AfterAll
    static void stop() {
        if (cover != null) cover.close();
        if (page != null) page.close();
        if (server != null) server.close();
    }

    @Test
    void phonebookNamesAsTheLocalPartAreJobsToTheEntriesNumbers() throws Exception {
        SwaksRun r = send(cover, "<names-1@smtp-names-it>", "by name", List.of("dr.smith@" + DOMAIN, "FRONT_DESK@" + DOMAIN, "+15552003@" + DOMAIN),
                "--body", "See you Monday.");
        assertThat(r.dataReply()).as(r.transcript()).startsWith("250 fax jobs ");
        List<Job> jobs = jobs("by name");
        assertThat(jobs).extracting(Job::to).containsExactlyInAnyOrder("+15552001", "+15552002", "+15552003");
        assertThat(jobs).filteredOn(j -> j.to().equals("+15552001")).singleElement()
                .satisfies(j -> assertThat(j.fields()).containsEntry("to", "Dr. Smith").containsEntry("to_company", "Clinic"));
    }

    @Test
    void aQuotedLocalPartWithSpacesNamesTheEntryToo() throws Exception {
        SwaksRun r = send(cover, "<names-2@smtp-names-it>", "quoted name", List.of("\"Dr. Smith\"@" + DOMAIN), "--body", "hi");
        assertThat(r.dataReply()).as(r.transcript()).startsWith("250 fax jobs ");
        assertThat(jobs("quoted name")).singleElement().extracting(Job::to).isEqualTo("+15552001");
    }

    @Test
    void anUnknownNameIs550AndMakesNoJob() throws Exception {
        SwaksRun r = send(cover, "<names-3@smtp-names-it>", "unknown name", List.of("dr.jones@" + DOMAIN), "--body", "hi");
        assertThat(r.transcript()).contains("<** 550 5.1.1 <dr.jones@" + DOMAIN + ">: no phonebook entry dr jones");
        assertThat(r.dataReply()).isEmpty();
        assertThat(jobs("unknown name")).isEmpty();
    }

    /**
     * body.as=page: an HTML-only body is rendered as the first document, before the attachment, and
     * no cover page; its remote image is not fetched (a listening port sees no connection).
     */
    @Test
    void anHtmlBodyAsPageIsRenderedFirstAndFetchesNothing() throws Exception {
        Path pdf = SmtpFixture.pdf(dir.resolve("price-list.pdf"));
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            listener.configureBlocking(false);
            String html = "<html><body><h1>Price list 2027</h1><p>Dear customer,<br>our new prices are attached.</p>"
                    + "<img src=\"http://127.0.0.1:" + listener.socket().getLocalPort() + "/x.png\"></body></html>";
            SwaksRun r = send(page, "<page-1@smtp-names-it>", "html page", List.of("+15552101@" + DOMAIN),
                    "--attach-type", "text/html", "--attach-body", html, "--attach-type", "application/pdf", "--attach", "@" + pdf);
            assertThat(r.dataReply()).as(r.transcript()).startsWith("250 fax jobs ");
            assertThat(listener.accept()).as("a connection to the image's port").isNull();
        }
        Job job = jobs("html page").get(0);
        assertThat(job.cover()).isNull();
        assertThat(job.documents()).hasSize(2).last().isEqualTo(FaxlanClient.sha256(pdf));
        try (PDDocument first = Loader.loadPDF(dir.resolve("data/spool/docs").resolve(job.documents().get(0)).toFile())) {
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setSortByPosition(true);
            assertThat(stripper.getText(first)).contains("Price list 2027", "Dear customer,", "our new prices are attached.");
        }
    }

    /** body.as=cover: an HTML-only body beside an attachment is the cover's comment, as text with its lines. */
    @Test
    void anHtmlBodyBesideAnAttachmentIsTheCoverCommentAsText() throws Exception {
        Path pdf = SmtpFixture.pdf(dir.resolve("order.pdf"));
        String html = "<html><head><style>p{margin:0}</style></head><body><p>Hello &amp; welcome,</p><p>line one<br>line two</p>"
                + "<script>track()</script></body></html>";
        SwaksRun r = send(cover, "<cover-1@smtp-names-it>", "html cover", List.of("+15552102@" + DOMAIN),
                "--attach-type", "text/html", "--attach-body", html, "--attach-type", "application/pdf", "--attach", "@" + pdf);
        assertThat(r.dataReply()).as(r.transcript()).startsWith("250 fax jobs ");
        assertThat(jobs("html cover")).singleElement().satisfies(j -> {
            assertThat(j.documents()).containsExactly(FaxlanClient.sha256(pdf));
            assertThat(j.cover()).isEqualTo("classic");
            assertThat(j.fields()).containsEntry("comment", "Hello & welcome,\n\nline one\nline two");
        });
    }

    /** body.as=page with a text body: the text is the first document, before the attachment. */
    @Test
    void aTextBodyAsPageIsTheFirstDocument() throws Exception {
        Path pdf = SmtpFixture.pdf(dir.resolve("form.pdf"));
        SwaksRun r = send(page, "<page-2@smtp-names-it>", "text page", List.of("+15552103@" + DOMAIN), "--body", "Please fill in the form.",
                "--attach-type", "application/pdf", "--attach", "@" + pdf);
        assertThat(r.dataReply()).as(r.transcript()).startsWith("250 fax jobs ");
        Job job = jobs("text page").get(0);
        assertThat(job.cover()).isNull();
        assertThat(job.documents()).hasSize(2).last().isEqualTo(FaxlanClient.sha256(pdf));
        assertThat(Files.readString(dir.resolve("data/spool/docs").resolve(job.documents().get(0))))
                .isEqualTo("Please fill in the form.\n");
    }

    // ------------------------------------------------------------------ helpers

    static SmtpGatewayConfig config(String bodyAs) throws Exception {
        Properties p = new Properties();
        p.setProperty("fax.domain", DOMAIN);
        p.setProperty("auth.without.tls", "loopback");
        p.setProperty("body.as", bodyAs);
        return SmtpGatewayConfig.parse(p);
    }

    static FaxlanClient client(String user, String pw) {
        return FaxlanClient.builder().server(server.address()).user(user).password(pw.toCharArray()).timeout(Duration.ofSeconds(30)).build();
    }

    static List<Job> jobs(String subject) {
        try (FaxlanClient c = client(USER, USER_PW)) {
            return c.jobs(true).stream().filter(j -> subject.equals(j.subject())).toList();
        }
    }

    /** A recipient starting with '+' gets a leading space, which swaks drops: it reads a leading '+' as an option prefix. */
    static SwaksRun send(SmtpGateway gw, String messageId, String subject, List<String> to, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--server", "127.0.0.1:" + gw.address().getPort(), "--from", "clerk@example.org",
                "--to", " " + String.join(",", to), "--header", "Message-Id: " + messageId, "--header", "Subject: " + subject,
                "--timeout", "90", "--auth", "PLAIN", "--auth-user", USER, "--auth-password", USER_PW));
        args.addAll(List.of(more));
        return SwaksRun.run(dir, args);
    }
}
