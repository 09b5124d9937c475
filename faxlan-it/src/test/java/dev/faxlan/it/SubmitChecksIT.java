package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code faxlan submit} refuses before a job exists, against a real server without a number
 * plan or trunk (a fresh one): numbers no line can dial (exit 5, the server's reason) and documents
 * that cannot be faxed (exit 1, the file named, nothing uploaded).
 */
class SubmitChecksIT {
    static final String ADMIN_PW = "submit-admin-pw-1";
    @TempDir
    Path dir;
    FaxlanServer server;
    Map<String, String> env;

    @BeforeEach
    void start() throws Exception {
        server = FaxlanServer.start(ServerConfig.defaults().withDataDir(dir.resolve("data"))
                .withBind(new InetSocketAddress("127.0.0.1", 0)).withName("submit-it").withAdminPassword(ADMIN_PW));
        env = new HashMap<>();
        env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        env.put("FAXLAN_SERVER", "127.0.0.1:" + server.port());
        env.put("FAXLAN_USER", "admin");
        env.put("FAXLAN_PASSWORD", ADMIN_PW);
        // Saved first, so stderr holds nothing but the refusal (no first-use notice).
        Cli.Result added = Cli.run(env, "servers", "--add", "127.0.0.1:" + server.port());
        assertThat(added.exitCode()).as(added.toString()).isZero();
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void localNumberWithoutAreaCodeIsRefusedAndMakesNoJob() throws Exception {
        Path doc = Files.writeString(dir.resolve("letter.txt"), "Dear Sir,\n");
        Cli.Result r = Cli.run(env, "submit", "--to", "5550100", doc.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(5);
        assertThat(r.out()).as("no job id").isEmpty();
        assertThat(r.err().strip().lines()).as(r.toString()).hasSize(1);
        assertThat(r.err()).contains("5550100").contains("area code").doesNotContain("Exception");
        assertThat(allJobs()).isZero();
    }

    @Test
    void numberNoLineTakesIsRefusedAndMakesNoJob() throws Exception {
        Path doc = Files.writeString(dir.resolve("letter.txt"), "Dear Sir,\n");
        Cli.Result r = Cli.run(env, "submit", "--to", "0000", "--to", "+1-555-0100", doc.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(5);
        assertThat(r.err().strip().lines()).as(r.toString()).hasSize(1);
        assertThat(r.err()).contains("+15550100").contains("no fax line");
        assertThat(allJobs()).as("a refused recipient makes no job for the others either").isZero();
    }

    @Test
    void emptyDocumentIsRefusedBeforeUpload() throws Exception {
        Path good = Files.writeString(dir.resolve("letter.txt"), "Dear Sir,\n");
        Path empty = Files.write(dir.resolve("empty.pdf"), new byte[0]);
        Cli.Result r = Cli.run(env, "submit", "--to", "0000", good.toString(), empty.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err().strip().lines()).as(r.toString()).hasSize(1);
        assertThat(r.err()).contains("empty.pdf").contains("empty").doesNotContain("Exception");
        assertNothingUploaded();
    }

    @Test
    void truncatedPdfIsRefusedBeforeUpload() throws Exception {
        byte[] pdf = Files.readAllBytes(pdf(dir.resolve("whole.pdf")));
        Path truncated = Files.write(dir.resolve("offer.pdf"), Arrays.copyOf(pdf, pdf.length / 2));
        Cli.Result r = Cli.run(env, "submit", "--to", "0000", truncated.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err().strip().lines()).as(r.toString()).hasSize(1);
        assertThat(r.err()).contains("offer.pdf").doesNotContain("Exception");
        assertNothingUploaded();
    }

    /** No document, no unfinished upload and no job on the server. */
    private void assertNothingUploaded() throws Exception {
        Path spool = dir.resolve("data/spool");
        try (Stream<Path> docs = Files.list(spool.resolve("docs")); Stream<Path> parts = Files.list(spool.resolve("uploads"))) {
            assertThat(docs).isEmpty();
            assertThat(parts).isEmpty();
        }
        assertThat(allJobs()).isZero();
    }

    private int allJobs() {
        try (FaxlanClient c = FaxlanClient.builder().server(server.address()).user("admin").password(ADMIN_PW.toCharArray())
                .timeout(Duration.ofSeconds(10)).build()) {
            return c.jobs(true).size();
        }
    }

    /** A two-page PDF with text, large enough that half of it loses the page tree. */
    private static Path pdf(Path file) throws Exception {
        try (PDDocument doc = new PDDocument()) {
            for (int p = 1; p <= 2; p++) {
                PDPage page = new PDPage();
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                    cs.newLineAtOffset(72, 700);
                    cs.showText("Page " + p + " of our offer");
                    cs.endText();
                }
            }
            doc.save(file.toFile());
        }
        return file;
    }
}
