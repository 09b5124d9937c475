package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.documents.convert.ConvertOptions;
import dev.faxlan.documents.convert.DocumentConverter;
import dev.faxlan.documents.page.PageSize;
import dev.faxlan.engine.t4.DecodeResult;
import dev.faxlan.engine.t4.Resolution;
import dev.faxlan.engine.tiff.TiffReader;
import dev.faxlan.ipp.Callers;
import dev.faxlan.ipp.IppService;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.InboxFax;
import dev.faxlan.sdk.Job;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Print to fax: CUPS's ipptool submits to {@code faxlan ipp} as a faxlan user, and the fax goes over the
 * loopback line to 0000 and arrives pixel-exact; broken IPP requests get an IPP error and the service
 * keeps serving.
 */
class IppFaxOutIT {
    private static final String ADMIN_PW = "ipp-admin-pw-1";
    private static final String USER = "printer";
    private static final String USER_PW = "printer-password-1";

    @TempDir
    static Path dir;
    private static FaxlanServer server;
    private static IppService ipp;
    private static FaxlanClient admin;

    @BeforeAll
    static void start() throws Exception {
        server = FaxlanServer.start(ServerConfig.defaults().withDataDir(dir.resolve("data")).withBind(new InetSocketAddress("127.0.0.1", 0))
                .withName("ipp-it").withAdminPassword(ADMIN_PW).withLines(FastLoopback.lines()));
        admin = FaxlanClient.builder().server(server.address()).user("admin").password(ADMIN_PW.toCharArray()).timeout(Duration.ofSeconds(30)).build();
        admin.addUser(USER, USER_PW.toCharArray(), "user");
        ipp = IppService.start(new InetSocketAddress("127.0.0.1", 0), new Callers(server.address(), null, Duration.ofSeconds(30)), "ipp-it fax", "test bench",
                16L * 1024 * 1024);
    }

    @AfterAll
    static void stop() throws Exception {
        if (ipp != null) ipp.close();
        if (admin != null) admin.close();
        if (server != null) server.close();
    }

    private String uri(String user, String password) {
        return "ipp://" + user + ":" + password + "@127.0.0.1:" + ipp.port() + IppService.PATH;
    }

    private List<Job> userJobs() {
        try (FaxlanClient c = FaxlanClient.builder().server(server.address()).user(USER).password(USER_PW.toCharArray())
                .timeout(Duration.ofSeconds(30)).build()) {
            return c.jobs(true);
        }
    }

    @Test
    void aPdfPrintedWithIpptoolIsFaxedTo0000AsThePrintingUserAndArrivesPixelExact() throws Exception {
        Path pdf = pdf(dir.resolve("printed.pdf"), "Printed to fax over IPP");
        Ipptool run = ipptool(uri(USER, USER_PW), resource("faxout-print.test"), "-f", pdf.toString(), "-d", "number=0000");
        assertThat(run.exit()).as(run.output()).isZero();

        Job job = Awaitility.await().atMost(Duration.ofSeconds(180)).until(
                () -> userJobs().stream().filter(j -> "Printed to fax".equals(j.subject())).findFirst().orElse(null),
                j -> j != null && j.finished());
        assertThat(job.state()).as(job.reason()).isEqualTo("done");
        assertThat(job.owner()).isEqualTo(USER);
        assertThat(job.to()).isEqualTo("0000");

        InboxFax fax = Awaitility.await().atMost(Duration.ofSeconds(60)).until(
                () -> admin.inbox("Unaddressed", false).stream().filter(f -> f.did().equals("0000")).findFirst().orElse(null), f -> f != null);
        Path tiff = dir.resolve("received.tif");
        admin.fetch(fax.id(), tiff, n -> {});
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        new DocumentConverter(ConvertOptions.of(Resolution.FINE, PageSize.A4)).convert(List.of(pdf), null, expected);
        List<DecodeResult> want = TiffReader.readAll(expected.toByteArray());
        List<DecodeResult> got = TiffReader.readAll(Files.readAllBytes(tiff));
        assertThat(got).hasSameSizeAs(want);
        for (int i = 0; i < want.size(); i++) {
            assertThat(got.get(i).badLineCount()).isZero();
            assertThat(got.get(i).page().firstDifferentRow(want.get(i).page())).as("page %d", i + 1).isEqualTo(-1);
        }
    }

    @Test
    void createJobAndSendDocumentMakeOneFaxPerNumberAndAJobCanBeCanceledBeforeItsDocument() throws Exception {
        Path pdf = pdf(dir.resolve("two.pdf"), "Two numbers");
        Ipptool run = ipptool(uri(USER, USER_PW), resource("faxout-create-send.test"), "-f", pdf.toString(), "-d", "number=0000",
                "-d", "number2=12345");
        // The second number is not one the server dials: the whole job is refused, nothing is half-submitted.
        assertThat(run.exit()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("Send-Document");
        assertThat(userJobs()).noneMatch(j -> "Two numbers".equals(j.subject()));

        run = ipptool(uri(USER, USER_PW), resource("faxout-create-send.test"), "-f", pdf.toString(), "-d", "number=0000", "-d", "number2=0000");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(userJobs()).filteredOn(j -> "Two numbers".equals(j.subject())).hasSize(2);
    }

    /**
     * CUPS's own test files, as far as they apply to a fax printer: the request checks of RFC 8011 and the
     * printer and job operations. Their print jobs (no destination-uris), Print-URI and Send-URI, and the
     * printing attributes of PWG 5100.12 do not apply (docs/print-to-fax.md lists them).
     */
    @Test
    void ipptoolsOwnTestsThatApplyToAFaxPrinterPass() throws Exception {
        Path pdf = pdf(dir.resolve("conformance.pdf"), "Conformance");
        Ipptool run = ipptool(uri(USER, USER_PW), Path.of("/usr/share/cups/ipptool/ipp-2.0.test"), "-I", "-f", pdf.toString());
        List<String> passed = run.output().lines().filter(l -> l.endsWith("[PASS]")).map(String::strip).toList();
        for (String name : List.of("RFC 8011 section 4.1.1: Bad request-id value 0", "RFC 8011 section 4.1.4: No Operation Attributes",
                "RFC 8011 section 4.1.4: attributes-charset ", "RFC 8011 section 4.1.4: attributes-natural-language ",
                "RFC 8011 section 4.1.4: attributes-natural-language + attributes-cha", "RFC 8011 section 4.1.4: attributes-charset + attributes-natural-lang",
                "RFC 8011 section 4.1.8: Unsupported IPP version 0.0", "RFC 8011 section 4.2: No printer-uri operation attribute",
                "RFC 8011 section 4.2.3: Validate-Job Operation", "RFC 8011 section 4.2.5: Get-Printer-Attributes Operation (default)",
                "RFC 8011 section 4.2.5: Get-Printer-Attributes Operation (requested-", "RFC 8011 section 4.2.6: Get-Jobs Operation (default)",
                "RFC 8011 section 4.2.6: Get-Jobs Operation (requested-attributes)", "RFC 8011 section 4.2.6: Get-Jobs Operation (my-jobs) ",
                "RFC 8011 section 4.2.6: Get-Jobs Operation (which-jobs=not-completed", "RFC 8011 section 4.2.6: Get-Jobs Operation (which-jobs=completed)")) {
            assertThat(passed).as(run.output()).anyMatch(l -> l.startsWith(name));
        }
        Ipptool validate = ipptool(uri(USER, USER_PW), Path.of("/usr/share/cups/ipptool/validate-job.test"), "-f", pdf.toString());
        assertThat(validate.exit()).as(validate.output()).isZero();
    }

    @Test
    void aWrongPasswordIsRefusedWithHttp401AndMakesNoJob() throws Exception {
        Path pdf = pdf(dir.resolve("refused.pdf"), "Refused");
        HttpResponse<byte[]> r = post(printJob(pdf), "Basic " + Base64.getEncoder().encodeToString((USER + ":wrong-password").getBytes(StandardCharsets.UTF_8)));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        r = post(printJob(pdf), null);
        assertThat(r.statusCode()).isEqualTo(401);
    }

    @Test
    void malformedRequestsGetAnIppErrorAndTheServiceKeepsServing() throws Exception {
        byte[] good = getPrinterAttributes(0x0200);
        List<byte[]> bad = new ArrayList<>();
        bad.add(getPrinterAttributes(0x0900)); // version 9.0
        bad.add(Arrays.copyOf(good, good.length - 7)); // truncated inside a value
        bad.add(new byte[] {2, 0}); // shorter than the header
        byte[] huge = good.clone();
        huge[10] = (byte) 0xFF; // the first name's length: 65535 bytes that are not there
        huge[11] = (byte) 0xFF;
        bad.add(huge);
        byte[] flood = new byte[2 * 1024 * 1024]; // attributes without end, past the service's limit
        System.arraycopy(good, 0, flood, 0, 9);
        // keyword, a name of length 0 (an additional value), a value of length 0
        for (int i = 9; i + 5 < flood.length; i += 5) {
            flood[i] = 0x44;
        }
        bad.add(flood);
        byte[] noGroup = new byte[] {2, 0, 0, 0x0B, 0, 0, 0, 1, 3}; // no operation group
        bad.add(noGroup);
        for (byte[] b : bad) {
            HttpResponse<byte[]> r = post(b, null);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body().length).isGreaterThanOrEqualTo(8);
            int status = ((r.body()[2] & 0xFF) << 8) | (r.body()[3] & 0xFF);
            assertThat(status).as("status of a request of %d bytes", b.length).isGreaterThanOrEqualTo(0x0400);
        }
        HttpResponse<byte[]> r = post(good, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(((r.body()[2] & 0xFF) << 8) | (r.body()[3] & 0xFF)).isZero();
    }

    // ---- helpers

    private HttpResponse<byte[]> post(byte[] body, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ipp.port() + IppService.PATH))
                .header("Content-Type", "application/ipp").POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofSeconds(60));
        if (authorization != null) b.header("Authorization", authorization);
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** An IPP Get-Printer-Attributes request, written out by hand so that its bytes can be broken on purpose. */
    private byte[] getPrinterAttributes(int version) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) (version >> 8), (byte) version, 0x00, 0x0B, 0, 0, 0, 1, 0x01});
        attribute(out, 0x47, "attributes-charset", "utf-8");
        attribute(out, 0x48, "attributes-natural-language", "en");
        attribute(out, 0x45, "printer-uri", "ipp://127.0.0.1:" + ipp.port() + IppService.PATH);
        out.write(0x03);
        return out.toByteArray();
    }

    private byte[] printJob(Path pdf) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {2, 0, 0x00, 0x02, 0, 0, 0, 1, 0x01});
        attribute(out, 0x47, "attributes-charset", "utf-8");
        attribute(out, 0x48, "attributes-natural-language", "en");
        attribute(out, 0x45, "printer-uri", "ipp://127.0.0.1:" + ipp.port() + IppService.PATH);
        attribute(out, 0x42, "job-name", "Refused");
        out.write(0x02);
        out.write(0x34); // begCollection destination-uris
        name(out, "destination-uris");
        name(out, "");
        out.write(0x4A); // memberAttrName
        name(out, "");
        name(out, "destination-uri");
        attribute(out, 0x45, "", "tel:0000");
        out.write(0x37);
        name(out, "");
        name(out, "");
        out.write(0x03);
        out.write(Files.readAllBytes(pdf));
        return out.toByteArray();
    }

    private static void attribute(ByteArrayOutputStream out, int tag, String name, String value) throws IOException {
        out.write(tag);
        name(out, name);
        name(out, value);
    }

    private static void name(ByteArrayOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >> 8);
        out.write(b.length);
        out.write(b);
    }

    record Ipptool(int exit, String output) {}

    /** ipptool with {@code args} before the URI and test file; its exit code and its output. */
    private Ipptool ipptool(String uri, Path test, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(requireIpptool(), "-t", "-T", "60"));
        cmd.addAll(List.of(args));
        cmd.add(uri);
        cmd.add(test.toString());
        Path out = Files.createTempFile(dir, "ipptool", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            Assertions.fail("ipptool did not finish: " + Files.readString(out));
        }
        return new Ipptool(p.exitValue(), Files.readString(out));
    }

    /** ipptool is a test tool: skipped without it, except under CI=true, where it must be installed. */
    static String requireIpptool() {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path exe = Path.of(d, "ipptool");
            if (Files.isExecutable(exe)) return exe.toString();
        }
        String reason = "ipptool is not installed (apt-get install cups-ipp-utils)";
        if ("true".equals(System.getenv("CI"))) Assertions.fail(reason + " (CI=true: the IPP tests must run)");
        Assumptions.abort(reason);
        return null;
    }

    private Path resource(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = IppFaxOutIT.class.getResourceAsStream("ipp/" + name)) {
            Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
        }
        return p;
    }

    /** A one-page A4 PDF with a line of text and a bar. */
    static Path pdf(Path file, String text) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                cs.beginText();
                cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD), 24);
                cs.newLineAtOffset(72, 700);
                cs.showText(text);
                cs.endText();
                cs.addRect(72, 500, 300, 40);
                cs.fill();
            }
            doc.save(file.toFile());
        }
        return file;
    }
}
