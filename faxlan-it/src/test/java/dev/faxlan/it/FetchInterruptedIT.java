package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t4.DecodeResult;
import dev.faxlan.lines.ReceivedFax;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/** {@code faxlan fetch} ended by a signal (Ctrl-C, SIGTERM) part-way through the download leaves no file behind. */
class FetchInterruptedIT {
    static final String ADMIN_PW = "fetch-admin-pw-1";
    /** Server bytes let through: the handshake, the login and a first part of the fax, not all of it. */
    static final long RELAYED = 256 << 10;
    @TempDir
    static Path dir;
    static FaxlanServer server;
    static long faxId;

    @BeforeAll
    static void start() throws Exception {
        server = FaxlanServer.start(ServerConfig.defaults().withDataDir(dir.resolve("data"))
                .withBind(new InetSocketAddress("127.0.0.1", 0)).withName("fetch-it").withAdminPassword(ADMIN_PW));
        // Noise does not compress: four such pages are megabytes of TIFF.
        Random random = new Random(13);
        List<DecodeResult> pages = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            BilevelPage p = new BilevelPage(1728, 2200, 204, 196);
            for (int y = 0; y < p.height(); y++) for (int x = 0; x < p.width(); x++) p.setPixel(x, y, random.nextBoolean());
            pages.add(new DecodeResult(p, 0, 0));
        }
        faxId = server.inbound().store(new ReceivedFax("trunk1", "+4930111111", "0000", "SENDER", "", "", pages,
                System.currentTimeMillis(), 10_000, FaxResult.OK)).id();
        try (FaxlanClient admin = FaxlanClient.builder().server(server.address()).user("admin").password(ADMIN_PW.toCharArray())
                .timeout(Duration.ofSeconds(20)).build()) {
            assertThat(admin.receivedFax(faxId).size()).as("the fax must be larger than what the relay lets through").isGreaterThan(4 * RELAYED);
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @ParameterizedTest(name = "SIG{0} fetching {1}")
    @CsvSource({"TERM, fax.tif", "TERM, fax.pdf", "INT, fax.tif"})
    void aSignalDuringTheDownloadLeavesNoPartialFile(String signal, String name) throws Exception {
        Path outDir = Files.createDirectories(dir.resolve("out-" + signal + "-" + name));
        Path out = outDir.resolve(name);
        try (DatagramRelay relay = new DatagramRelay(server.address(), RELAYED)) {
            List<String> cmd = new ArrayList<>(Cli.javaCommand());
            cmd.addAll(List.of("fetch", String.valueOf(faxId), "--out", out.toString(), "--timeout", "600"));
            Path stdout = dir.resolve(signal + "-" + name + ".out");
            Path stderr = dir.resolve(signal + "-" + name + ".err");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().put("XDG_CONFIG_HOME", dir.resolve("config-" + name).toString());
            pb.environment().put("FAXLAN_SERVER", "127.0.0.1:" + relay.address().getPort());
            pb.environment().put("FAXLAN_USER", "admin");
            pb.environment().put("FAXLAN_PASSWORD", ADMIN_PW);
            Process fetch = pb.start();
            try {
                // Bytes of the fax have arrived, and the relay holds back the rest: the download is under way.
                Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> {
                    if (!fetch.isAlive()) throw new AssertionError("fetch ended with " + fetch.exitValue() + ": " + Files.readString(stderr));
                    return relay.budgetLeft() < 0 && partialBytes(outDir) > 0;
                });
                // A process started in the background by a shell without job control ignores SIGINT, and so does the JVM.
                Assumptions.assumeFalse(ignores(fetch, signal), "SIG" + signal + " is ignored by the process that runs the tests");
                assertThat(new ProcessBuilder("kill", "-s", signal, String.valueOf(fetch.pid())).start().waitFor()).isZero();
                assertThat(fetch.waitFor(60, TimeUnit.SECONDS)).as("fetch ends after SIG" + signal).isTrue();
            } finally {
                fetch.destroyForcibly();
            }
            String err = Files.readString(stderr, StandardCharsets.UTF_8);
            assertThat(fetch.exitValue()).as(err).isNotZero();
            assertThat(out).doesNotExist();
            try (Stream<Path> left = Files.walk(outDir)) {
                assertThat(left.filter(p -> !p.equals(outDir))).as("files left beside " + name).isEmpty();
            }
        }
    }

    /** Whether {@code p} ignores {@code signal} (its SigIgn mask in /proc). */
    private static boolean ignores(Process p, String signal) throws IOException {
        int number = signal.equals("INT") ? 2 : signal.equals("TERM") ? 15 : -1;
        if (number < 0) throw new IllegalArgumentException("no signal number known for SIG" + signal);
        String mask = Files.readAllLines(Path.of("/proc", String.valueOf(p.pid()), "status")).stream()
                .filter(l -> l.startsWith("SigIgn:")).findFirst().orElseThrow().substring("SigIgn:".length()).strip();
        return (Long.parseUnsignedLong(mask, 16) >>> (number - 1) & 1) != 0;
    }

    /** The bytes in the .part files under {@code dir}, wherever the download keeps them. */
    private static long partialBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".part")).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    if (!Files.exists(p)) return 0;
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }
}
