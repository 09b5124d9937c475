package dev.faxlan.documents.convert;

import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.DocumentException.Reason;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Finds and runs the optional external converters: LibreOffice ({@code soffice}) for office
 * documents and Ghostscript ({@code gs}) for PostScript. Both are looked up on a search path,
 * by default the {@code PATH} environment variable. They run with a time limit and, on Unix, a
 * limit on their address space ({@code ulimit -v}), so a hostile document cannot take the
 * machine's memory: {@link #DEFAULT_MEMORY_LIMIT}, or {@code $FAXLAN_CONVERTER_MEMORY_MB}.
 */
public final class ExternalTools {

    /** A program we may call, with the package that provides it for messages. */
    public enum Tool {
        LIBREOFFICE("LibreOffice", List.of("soffice", "libreoffice", "soffice.exe")),
        GHOSTSCRIPT("Ghostscript", List.of("gs", "gswin64c.exe", "gswin32c.exe"));

        private final String product;
        private final List<String> commands;

        Tool(String product, List<String> commands) {
            this.product = product;
            this.commands = commands;
        }

        public String product() {
            return product;
        }

        /** The usual command name, such as {@code soffice}. */
        public String command() {
            return commands.get(0);
        }
    }

    /** Address space a converter may use: LibreOffice maps well over 1 GiB of libraries and fonts. */
    public static final long DEFAULT_MEMORY_LIMIT = 4L << 30;
    /** Environment variable overriding {@link #DEFAULT_MEMORY_LIMIT}, in MiB; 0 means no limit. */
    public static final String MEMORY_LIMIT_VARIABLE = "FAXLAN_CONVERTER_MEMORY_MB";
    private static final Pattern OUT_OF_MEMORY = Pattern.compile(
            "(?i).*(memory|VMerror|bad_alloc|cannot allocate|could not reserve|insufficient|mmap).*");

    private final List<Path> searchPath;
    private final long memoryLimitBytes;

    private ExternalTools(List<Path> searchPath, long memoryLimitBytes) {
        this.searchPath = List.copyOf(searchPath);
        this.memoryLimitBytes = memoryLimitBytes;
    }

    /** The same tools, run with at most {@code bytes} of address space (0: no limit). */
    public ExternalTools withMemoryLimit(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("memory limit must not be negative: " + bytes);
        return new ExternalTools(searchPath, bytes);
    }

    /** Address space each converter may use, in bytes; 0 when unlimited. */
    public long memoryLimit() {
        return memoryLimitBytes;
    }

    private static long defaultMemoryLimit() {
        String mib = System.getenv(MEMORY_LIMIT_VARIABLE);
        if (mib == null || mib.isBlank()) return DEFAULT_MEMORY_LIMIT;
        try {
            long v = Long.parseLong(mib.strip());
            if (v >= 0) return v << 20;
        } catch (NumberFormatException ignored) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(MEMORY_LIMIT_VARIABLE + " must be a number of MiB (0: no limit), not " + mib);
    }

    /** Tools on the {@code PATH} of this process. */
    public static ExternalTools fromPath() {
        return of(System.getenv().getOrDefault("PATH", ""));
    }

    /** Tools on a {@link File#pathSeparator}-separated list of directories. */
    public static ExternalTools of(String path) {
        List<Path> dirs = new ArrayList<>();
        for (String d : path.split(File.pathSeparator)) {
            if (!d.isBlank()) {
                dirs.add(Path.of(d));
            }
        }
        return new ExternalTools(dirs, defaultMemoryLimit());
    }

    /** The executable of {@code tool}, if installed. */
    public Optional<Path> find(Tool tool) {
        for (Path dir : searchPath) {
            for (String c : tool.commands) {
                Path p = dir.resolve(c);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** The executable, or a {@link Reason#TOOL_MISSING} error saying what {@code purpose} needs. */
    public Path require(Tool tool, String purpose) throws DocumentException {
        return find(tool).orElseThrow(() -> new DocumentException(Reason.TOOL_MISSING,
                purpose + " needs " + tool.product() + " ('" + tool.command() + "' on PATH), which is not installed;"
                        + " install it or convert the document to PDF first"));
    }

    /**
     * Runs a command under this instance's memory limit, discarding its output but keeping the last
     * lines of it for the error.
     *
     * @throws DocumentException {@link Reason#TOOL_FAILED} on a non-zero exit, a timeout, or when the
     *     command ran out of its memory (the message says so, with the limit)
     */
    public void run(List<String> command, Path workDir, Duration timeout, String what) throws DocumentException {
        Path log = null;
        Process p = null;
        try {
            log = Files.createTempFile("faxlan-tool", ".log");
            p = new ProcessBuilder(limited(command)).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(nullFile())).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new DocumentException(Reason.TOOL_FAILED, what + " did not finish within "
                        + timeout.toSeconds() + " s");
            }
            if (p.exitValue() != 0) {
                String last = lastLine(log);
                // Killed by a signal or an allocation failure it reported: the limit is the likely cause.
                if (limitsMemory() && (p.exitValue() > 128 || OUT_OF_MEMORY.matcher(last).matches())) {
                    throw new DocumentException(Reason.TOOL_FAILED, what + " ran out of memory: converters may use "
                            + (memoryLimitBytes >> 20) + " MiB of address space (" + MEMORY_LIMIT_VARIABLE + "); exit code "
                            + p.exitValue() + last);
                }
                throw new DocumentException(Reason.TOOL_FAILED, what + " failed with exit code " + p.exitValue() + last);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (p != null) {
                p.destroyForcibly();
            }
            throw new DocumentException(Reason.TOOL_FAILED, what + " interrupted", e);
        } catch (DocumentException e) {
            throw e;
        } catch (IOException e) {
            throw new DocumentException(Reason.TOOL_FAILED, what + " could not be started: " + e.getMessage(), e);
        } finally {
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException ignored) {
                    // a leftover log in the temp directory is harmless
                }
            }
        }
    }

    private boolean limitsMemory() {
        return memoryLimitBytes > 0 && Files.isExecutable(Path.of("/bin/sh"));
    }

    /** The command run through {@code /bin/sh} with {@code ulimit -v}: the JDK cannot set a child's rlimits itself. */
    private List<String> limited(List<String> command) {
        if (!limitsMemory()) return command;
        List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c",
                "ulimit -v " + Math.max(1, memoryLimitBytes >> 10) + " || { echo 'faxlan: ulimit -v was refused' >&2; exit 125; }; exec \"$@\"",
                "faxlan-converter"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static File nullFile() {
        return new File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            for (int i = lines.size() - 1; i >= 0; i--) {
                String l = lines.get(i).strip();
                if (!l.isEmpty()) {
                    return ": " + (l.length() > 200 ? l.substring(0, 200) + "…" : l);
                }
            }
        } catch (IOException ignored) {
            // no detail then
        }
        return "";
    }
}
