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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance of print to fax with a real CUPS: a cupsd of the test's own on a loopback port, a queue
 * made by lpadmin for faxlan's FaxOut URI, and {@code lp -o phone=0000}: the PDF arrives at 0000 as a
 * fax of the printing user, equal pixel for pixel to faxlan's own conversion of it.
 */
class IppCupsIT {
    private static final String ADMIN_PW = "cups-admin-pw-1";
    private static final String USER = "printer";
    private static final String USER_PW = "printer-password-1";

    @TempDir
    Path dir;

    @Test
    void aPdfPrintedWithLpToAFaxQueueArrivesAt0000PixelExact() throws Exception {
        requireCups();
        // cupsd runs its filters and backend as the lp user: its directories must be theirs to use, unlike a test's TempDir.
        Path cups = Files.createTempDirectory("faxlan-cups", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Process cupsd = null;
        try (FaxlanServer server = FaxlanServer.start(ServerConfig.defaults().withDataDir(dir.resolve("data"))
                .withBind(new InetSocketAddress("127.0.0.1", 0)).withName("cups-it").withAdminPassword(ADMIN_PW).withLines(FastLoopback.lines()));
                FaxlanClient admin = FaxlanClient.builder().server(server.address()).user("admin").password(ADMIN_PW.toCharArray())
                        .timeout(Duration.ofSeconds(30)).build()) {
            admin.addUser(USER, USER_PW.toCharArray(), "user");
            try (IppService ipp = IppService.start(new InetSocketAddress("127.0.0.1", 0), new Callers(server.address(), null, Duration.ofSeconds(30)),
                    "cups-it fax", "", 16L * 1024 * 1024)) {
                int port = freePort();
                cupsd = startCupsd(cups, port);
                String host = "127.0.0.1:" + port;
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> run(List.of("lpstat", "-h", host, "-r")).exit() == 0);

                String faxout = "ipp://127.0.0.1:" + ipp.port() + IppService.PATH;
                String device = "ipp://" + USER + ":" + USER_PW + "@127.0.0.1:" + ipp.port() + IppService.PATH;
                Run lpadmin = run(List.of("lpadmin", "-h", host, "-p", "FAX", "-E", "-v", device, "-m", "driverless-fax:" + faxout));
                assertThat(lpadmin.exit()).as(lpadmin.output()).isZero();

                Path pdf = IppFaxOutIT.pdf(cups.resolve("letter.pdf"), "Printed with lp to a fax queue");
                Run lp = run(List.of("lp", "-h", host, "-d", "FAX", "-t", "CUPS to fax", "-o", "phone=0000", pdf.toString()));
                assertThat(lp.exit()).as(lp.output()).isZero();

                Job job = Awaitility.await().atMost(Duration.ofSeconds(240)).until(() -> userJobs(server).stream().findFirst().orElse(null),
                        j -> j != null && j.finished());
                assertThat(job.state()).as(job.reason() + "\n" + log(cups)).isEqualTo("done");
                assertThat(job.to()).isEqualTo("0000");
                assertThat(job.subject()).isEqualTo("CUPS to fax");

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
        } finally {
            if (cupsd != null) {
                cupsd.destroy();
                if (!cupsd.waitFor(30, TimeUnit.SECONDS)) cupsd.destroyForcibly();
            }
            try (Stream<Path> files = Files.walk(cups)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    private static List<Job> userJobs(FaxlanServer server) {
        try (FaxlanClient c = FaxlanClient.builder().server(server.address()).user(USER).password(USER_PW.toCharArray())
                .timeout(Duration.ofSeconds(30)).build()) {
            return c.jobs(true);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** cupsd in the foreground with its own configuration, spool and logs under {@code root}, on loopback only. */
    private static Process startCupsd(Path root, int port) throws IOException {
        for (String d : List.of("spool", "tmp", "cache", "state", "log", "ppd")) {
            Path p = Files.createDirectories(root.resolve(d));
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        Files.writeString(root.resolve("cupsd.conf"), String.join("\n", "Listen 127.0.0.1:" + port, "LogLevel debug", "WebInterface No",
                "Browsing No", "<Location />", "  Order allow,deny", "  Allow all", "</Location>", "<Location /admin>", "  Order allow,deny",
                "  Allow all", "</Location>", "<Policy default>", "  <Limit All>", "    Order deny,allow", "  </Limit>", "</Policy>", ""));
        Files.writeString(root.resolve("cups-files.conf"), String.join("\n", "ServerRoot " + root, "RequestRoot " + root.resolve("spool"),
                "TempDir " + root.resolve("tmp"), "CacheDir " + root.resolve("cache"), "StateDir " + root.resolve("state"), "ServerBin /usr/lib/cups",
                "DataDir /usr/share/cups", "AccessLog " + root.resolve("log/access_log"), "ErrorLog " + root.resolve("log/error_log"),
                "PageLog " + root.resolve("log/page_log"), "User lp", "Group lp", "SystemGroup root", ""));
        return new ProcessBuilder("/usr/sbin/cupsd", "-f", "-c", root.resolve("cupsd.conf").toString(), "-s", root.resolve("cups-files.conf").toString())
                .redirectErrorStream(true).redirectOutput(root.resolve("log/cupsd.out").toFile()).start();
    }

    private static String log(Path cups) {
        try {
            List<String> lines = Files.readAllLines(cups.resolve("log/error_log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no CUPS log: " + e.getMessage() + ")";
        }
    }

    record Run(int exit, String output) {}

    private Run run(List<String> cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "cmd", ".out");
        Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            Assertions.fail(cmd.get(0) + " did not finish: " + Files.readString(out));
        }
        return new Run(p.exitValue(), Files.readString(out));
    }

    /** CUPS is a test peer: skipped without it, except under CI=true, where it must be installed. */
    private static void requireCups() {
        boolean present = Files.isExecutable(Path.of("/usr/sbin/cupsd")) && Files.isExecutable(Path.of("/usr/lib/cups/driver/driverless-fax"));
        String reason = "CUPS is not installed (apt-get install cups)";
        if (!present && "true".equals(System.getenv("CI"))) Assertions.fail(reason + " (CI=true: the IPP tests must run)");
        Assumptions.assumeTrue(present, reason);
    }
}
