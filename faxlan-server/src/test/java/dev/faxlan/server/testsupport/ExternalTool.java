package dev.faxlan.server.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * External programs for interop checks, as in the other modules' tests: a missing tool skips the
 * test with a printed reason, but fails it when the environment variable {@code CI} is
 * {@code true}, so CI cannot silently test nothing.
 */
public final class ExternalTool {

    public static final String LIBTIFF_TOOLS = "Debian package libtiff-tools";

    private ExternalTool() {
    }

    /** Output of a finished tool run. */
    public record Result(int exitCode, String stdout, String stderr) {
        public String all() {
            return stdout + stderr;
        }
    }

    public static boolean onCi() {
        return "true".equals(System.getenv("CI"));
    }

    /** Path of {@code name} on PATH, or skip (developer machine) or fail (CI) the calling test. */
    public static Path require(String name, String providedBy) {
        Optional<Path> p = find(name);
        if (p.isPresent()) {
            return p.get();
        }
        String reason = name + " not found on PATH (install " + providedBy + ")";
        if (onCi()) {
            fail(reason + "; CI=true, so this is a failure, not a skip");
        }
        System.out.println("SKIPPED: " + reason);
        Assumptions.abort(reason);
        throw new AssertionError("unreachable");
    }

    public static Optional<Path> find(String name) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** Runs a command, failing the test if it does not end within 120 s. */
    public static Result run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("tool", ".out");
        Path err = Files.createTempFile("tool", ".err");
        try {
            Process p = new ProcessBuilder(command)
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(command + " did not finish within 120 s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
