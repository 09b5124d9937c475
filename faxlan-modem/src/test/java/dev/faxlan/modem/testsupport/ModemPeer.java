package dev.faxlan.modem.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import dev.faxlan.testkit.ExternalTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
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
    private static final Path SOURCE = Path.of("src", "test", "c", "modempeer", "modempeer.c");
    private static final Path TARGET = Path.of("target");
    private static Path binary;

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
    public static synchronized Path binary() throws IOException, InterruptedException {
        if (binary != null) {
            return binary;
        }
        Path source = SOURCE.toAbsolutePath();
        if (!Files.isRegularFile(source)) {
            fail("helper source " + source + " not found; run the tests from the faxlan-modem module directory");
        }
        Path bin = TARGET.resolve("modempeer").toAbsolutePath();
        FileTime srcTime = Files.getLastModifiedTime(source);
        if (Files.isExecutable(bin) && Files.getLastModifiedTime(bin).compareTo(srcTime) >= 0) {
            binary = bin;
            return bin;
        }
        Path gcc = ExternalTool.require("gcc", "Debian package gcc");
        Files.createDirectories(bin.getParent());
        Path tmp = Files.createTempFile(bin.getParent(), "modempeer", ".tmp");
        // spandsp.h includes tiffio.h, hence libtiff.
        List<String> cmd = List.of(gcc.toString(), "-O2", "-Wall", "-o", tmp.toString(), source.toString(),
                "-lspandsp", "-ltiff", "-lm");
        ExternalTool.Result r = ExternalTool.run(cmd);
        if (r.exitCode() != 0) {
            Files.deleteIfExists(tmp);
            String all = r.all();
            if (all.contains("spandsp.h") || all.contains("tiffio.h") || all.contains("cannot find -lspandsp")
                    || all.contains("cannot find -ltiff")) {
                throw ExternalTool.unavailable("spandsp or libtiff development files missing (install Debian "
                        + "packages libspandsp-dev and libtiff-dev): " + all.lines().findFirst().orElse(""));
            }
            fail("compiling the spandsp modem helper failed: " + String.join(" ", cmd) + "\n" + all);
        }
        Files.move(tmp, bin, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        binary = bin;
        return bin;
    }
}
