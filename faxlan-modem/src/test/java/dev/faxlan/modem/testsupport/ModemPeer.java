package dev.faxlan.modem.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import dev.faxlan.testkit.SpandspBuild;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * spandsp's modems, tone generators and G.711 as a helper process: {@code src/test/c/modempeer/modempeer.c},
 * compiled once per build into {@code target/modempeer}. Input and output go through files, so a
 * long stream cannot dead-lock on a pipe. When gcc or the spandsp headers are missing the calling
 * test is skipped with a printed reason, or failed when {@code CI=true}.
 */
public final class ModemPeer {
    private static final Path TARGET = Path.of("target");

    private ModemPeer() {
    }

    /** Runs the helper with {@code args}, {@code stdin} as its input, and returns its stdout. */
    public static byte[] run(byte[] stdin, String... args) throws IOException, InterruptedException {
        Path bin = binary();
        Path dir = TARGET.resolve("modempeer-runs").toAbsolutePath();
        Files.createDirectories(dir);
        Path in = Files.createTempFile(dir, "in", ".bin");
        Path out = Files.createTempFile(dir, "out", ".bin");
        Path err = Files.createTempFile(dir, "err", ".txt");
        try {
            Files.write(in, stdin);
            List<String> cmd = new ArrayList<>();
            cmd.add(bin.toString());
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectInput(in.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("modempeer " + List.of(args) + " did not finish within 120 s");
            }
            if (p.exitValue() != 0) {
                fail("modempeer " + List.of(args) + " exited " + p.exitValue() + ": "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return Files.readAllBytes(out);
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The compiled helper, compiling it when missing or older than its source. */
    public static Path binary() throws IOException, InterruptedException {
        return SpandspBuild.binary("modempeer");
    }
}
