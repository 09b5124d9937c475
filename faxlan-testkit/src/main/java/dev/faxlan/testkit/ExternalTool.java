package dev.faxlan.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * External programs for interop tests. {@link #require} is for tools CI installs (libtiff, spandsp,
 * Kamailio, SIPp, tshark…): missing, the test is skipped with a printed reason, but fails when the
 * environment variable {@code CI} is {@code true}, so CI cannot silently test nothing.
 * {@link #optional} is for tools faxlan itself treats as optional (LibreOffice, Ghostscript):
 * missing, the test is skipped everywhere.
 */
public final class ExternalTool {
    public static final String LIBTIFF_TOOLS = "Debian package libtiff-tools";

    /** Daemons such as kamailio live in sbin, which is not on every user's PATH. */
    private static final List<String> SBIN = List.of("/usr/local/sbin", "/usr/sbin", "/sbin");

    private ExternalTool() {}

    /** Output of a finished tool run. */
    public record Result(int exitCode, String stdout, String stderr) {
        public String all() {
            return stdout + stderr;
        }
    }

    public static boolean onCi() {
        return "true".equals(System.getenv("CI"));
    }

    /** Path of {@code name} on PATH or in an sbin directory, or skip (developer machine) or fail (CI) the calling test. */
    public static Path require(String name, String providedBy) {
        return require(name, providedBy, onCi());
    }

    /** As {@link #require(String, String)} with the CI flag given, for testing this class. */
    static Path require(String name, String providedBy, boolean ci) {
        Optional<Path> p = find(name);
        if (p.isPresent()) return p.get();
        throw unavailable(name + " not found on PATH or in sbin (install " + providedBy + ")", ci);
    }

    /** Path of an optional tool, or skip the calling test with a printed reason (also on CI). */
    public static Path optional(String name, String providedBy) {
        Optional<Path> p = find(name);
        if (p.isPresent()) return p.get();
        String reason = name + " not found on PATH (optional; install " + providedBy + " to run this test)";
        System.out.println("SKIPPED: " + reason);
        Assumptions.abort(reason);
        throw new AssertionError("unreachable");
    }

    /** {@code name} on PATH or in an sbin directory. */
    public static Optional<Path> find(String name) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) dirs.addAll(List.of(path.split(File.pathSeparator)));
        dirs.addAll(SBIN);
        for (String dir : dirs) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /**
     * Skips the calling test because something it needs is missing, printing {@code reason}; fails it
     * instead when {@code CI} is {@code true}. Never returns normally: the return type lets callers
     * write {@code throw unavailable(...)}.
     */
    public static AssertionError unavailable(String reason) {
        return unavailable(reason, onCi());
    }

    static AssertionError unavailable(String reason, boolean ci) {
        if (ci) fail(reason + "; CI=true, so this is a failure, not a skip");
        System.out.println("SKIPPED: " + reason);
        Assumptions.abort(reason);
        throw new AssertionError("unreachable");
    }

    /** Runs a command, failing the test if it does not end within 120 s. */
    public static Result run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("tool", ".out");
        Path err = Files.createTempFile("tool", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(command + " did not finish within 120 s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
