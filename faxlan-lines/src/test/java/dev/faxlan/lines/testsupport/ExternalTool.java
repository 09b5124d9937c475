package dev.faxlan.lines.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds external tools (kamailio, sipp, tshark, ...) for interop tests. A missing tool skips the
 * test with a printed reason on a developer machine, but fails it when the environment variable
 * {@code CI} is {@code true}, so CI cannot silently test nothing.
 */
public final class ExternalTool {

    /** Daemons such as kamailio live in sbin, which is not on every user's PATH. */
    private static final List<String> SBIN = List.of("/usr/local/sbin", "/usr/sbin", "/sbin");

    private ExternalTool() {
    }

    /** Output of a finished tool run. */
    public record Result(int exitCode, String stdout, String stderr) {
        public String all() {
            return stdout + stderr;
        }
    }

    /** Path of {@code name} on PATH or in an sbin directory, or skip/fail the calling test. */
    public static Path require(String name, String providedBy) {
        return require(name, providedBy, ci());
    }

    /** As {@link #require(String, String)} with the CI flag given, for testing this class. */
    static Path require(String name, String providedBy, boolean ci) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.addAll(SBIN);
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw unavailable(name + " not found on PATH or in sbin (install " + providedBy + ")", ci);
    }

    /**
     * Skips the calling test because something it needs is missing, printing {@code reason};
     * fails it instead when {@code CI} is {@code true}. Never returns normally: the return type
     * lets callers write {@code throw unavailable(...)}.
     */
    public static AssertionError unavailable(String reason) {
        return unavailable(reason, ci());
    }

    static AssertionError unavailable(String reason, boolean ci) {
        if (ci) {
            fail(reason + "; CI=true, so this is a failure, not a skip");
        }
        System.out.println("SKIPPED: " + reason);
        Assumptions.abort(reason);
        throw new AssertionError("unreachable");
    }

    private static boolean ci() {
        return "true".equals(System.getenv("CI"));
    }

    /** Runs a command, failing the test if it does not end within 60 s. */
    public static Result run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("tool", ".out");
        Path err = Files.createTempFile("tool", ".err");
        try {
            Process p = new ProcessBuilder(command)
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(command + " did not finish within 60 s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
