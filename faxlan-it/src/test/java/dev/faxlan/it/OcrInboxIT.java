package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faxlan.documents.ocr.PageText;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.InboxFax;
import dev.faxlan.sdk.Job;
import dev.faxlan.sdk.SubmitRequest;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import dev.faxlan.testkit.ExternalTool;
import dev.faxlan.testkit.Ocr;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Searchable received faxes end to end, with the real tesseract: a two-page fax over the loopback line
 * (0000) is filed by a routing rule on words of its page 1, found by {@code faxlan inbox --search} with a
 * word of its page 2 (and not by another user), and fetched as a PDF whose text layer has its words.
 */
class OcrInboxIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN_PW = "ocr-admin-pw-1";
    @TempDir
    static Path dir;
    static FaxlanServer server;

    @BeforeAll
    static void start() throws Exception {
        Ocr.require();
        server = FaxlanServer.start(ServerConfig.defaults().withDataDir(dir.resolve("data"))
                .withBind(new InetSocketAddress("127.0.0.1", 0)).withName("ocr-it").withAdminPassword(ADMIN_PW));
        try (FaxlanClient admin = client("admin", ADMIN_PW)) {
            admin.addUser("alice", "alice-password-1".toCharArray(), "user");
            admin.addUser("bob", "bob-password-1".toCharArray(), "user");
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static FaxlanClient client(String user, String pw) {
        return FaxlanClient.builder().server(server.address()).user(user).password(pw.toCharArray()).timeout(Duration.ofSeconds(20)).build();
    }

    static Map<String, String> env(String user, String pw) {
        Map<String, String> env = new HashMap<>();
        env.put("XDG_CONFIG_HOME", dir.resolve("config-" + user).toString());
        env.put("FAXLAN_SERVER", "127.0.0.1:" + server.port());
        env.put("FAXLAN_USER", user);
        env.put("FAXLAN_PASSWORD", pw);
        return env;
    }

    /** A PDF of pages of large, clear text: each array is a page's lines. */
    static Path pdf(Path file, String[]... pages) throws Exception {
        try (PDDocument doc = new PDDocument()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (String[] lines : pages) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(font, 30);
                    cs.newLineAtOffset(60, 740);
                    for (String line : lines) {
                        cs.showText(line);
                        cs.newLineAtOffset(0, -60);
                    }
                    cs.endText();
                }
            }
            doc.save(file.toFile());
        }
        return file;
    }

    /** The ids of a {@code --json} listing; the command must have succeeded. */
    static List<Long> ids(Cli.Result r) throws Exception {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<Long> out = new ArrayList<>();
        for (JsonNode n : JSON.readTree(r.out())) out.add(n.path("id").asLong());
        return out;
    }

    @Test
    void aFaxIsRoutedByItsPage1FoundByAWordOfItsPage2OnlyByThoseWhoSeeItAndFetchedAsASearchablePdf() throws Exception {
        Path pdftotext = ExternalTool.require("pdftotext", "Debian package poppler-utils");
        Map<String, String> admin = env("admin", ADMIN_PW);
        Map<String, String> alice = env("alice", "alice-password-1");
        Map<String, String> bob = env("bob", "bob-password-1");
        // The rule, made as an administrator makes rules: the fax goes to alice only if page 1 is read.
        Cli.Result rule = Cli.run(admin, "router", "add", "--content", "invoice 4711", "--mailbox", "alice", "--json");
        assertThat(rule.exitCode()).as(rule.toString()).isZero();
        assertThat(JSON.readTree(rule.out()).path("content").asText()).isEqualTo("invoice 4711");

        Path letter = pdf(dir.resolve("letter.pdf"), new String[] {"INVOICE 4711", "Customer Wallace Gromit", "Total due 120 pounds"},
                new String[] {"Delivery by pelican express", "Signed at the harbour"});
        long fax;
        try (FaxlanClient bobClient = client("bob", "bob-password-1"); FaxlanClient aliceClient = client("alice", "alice-password-1")) {
            Job job = bobClient.submit(SubmitRequest.of("0000", letter)).get(0);
            Awaitility.await().atMost(Duration.ofMinutes(4)).until(() -> bobClient.job(job.id()).finished());
            assertThat(bobClient.job(job.id()).state()).as(bobClient.job(job.id()).reason()).isEqualTo("done");
            // Routed to alice once its page 1 is read (without the rule it would be in Unaddressed).
            Awaitility.await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() -> !aliceClient.inbox(null, false).isEmpty());
            InboxFax received = aliceClient.inbox(null, false).get(0);
            assertThat(received.mailbox()).isEqualTo("alice");
            assertThat(received.pages()).isEqualTo(2);
            fax = received.id();
        }

        // Page 2 is read after routing: wait until the search finds it, as alice would, with any case.
        Awaitility.await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2))
                .until(() -> ids(Cli.run(alice, "inbox", "--search", "PELICAN", "--json")).contains(fax));
        assertThat(ids(Cli.run(alice, "inbox", "--search", "pelican Wallace", "--json"))).containsExactly(fax);
        assertThat(ids(Cli.run(alice, "inbox", "--search", "pelican zanzibar", "--json"))).isEmpty();
        assertThat(ids(Cli.run(admin, "inbox", "--search", "pelican", "--json"))).containsExactly(fax);
        // Bob sent it, but it is in alice's mailbox: he does not find it.
        assertThat(ids(Cli.run(bob, "inbox", "--search", "pelican", "--json"))).isEmpty();
        Cli.Result table = Cli.run(alice, "inbox", "--search", "pelican");
        assertThat(table.out()).contains(String.valueOf(fax)).contains("alice");

        Path out = dir.resolve("fax.pdf");
        Cli.Result fetched = Cli.run(alice, "fetch", String.valueOf(fax), "--out", out.toString(), "--format", "pdf");
        assertThat(fetched.exitCode()).as(fetched.toString()).isZero();
        List<String> page1 = PageText.searchWords(run(pdftotext.toString(), "-f", "1", "-l", "1", out.toString(), "-"));
        List<String> page2 = PageText.searchWords(run(pdftotext.toString(), "-f", "2", "-l", "2", out.toString(), "-"));
        assertThat(page1).contains("invoice", "4711", "wallace", "gromit");
        assertThat(page2).contains("delivery", "pelican", "express", "harbour").doesNotContain("invoice");

        Path plain = dir.resolve("plain.pdf");
        assertThat(Cli.run(alice, "fetch", String.valueOf(fax), "--out", plain.toString(), "--no-text").exitCode()).isZero();
        assertThat(run(pdftotext.toString(), plain.toString(), "-").strip()).isEmpty();
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
