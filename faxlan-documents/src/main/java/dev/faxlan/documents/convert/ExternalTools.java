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

/**
 * Finds and runs the optional external converters: LibreOffice ({@code soffice}) for office
 * documents and Ghostscript ({@code gs}) for PostScript. Both are looked up on a search path,
 * by default the {@code PATH} environment variable.
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

    private final List<Path> searchPath;

    private ExternalTools(List<Path> searchPath) {
        this.searchPath = List.copyOf(searchPath);
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
        return new ExternalTools(dirs);
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
     * Runs a command, discarding its output but keeping the last lines of it for the error.
     *
     * @throws DocumentException {@link Reason#TOOL_FAILED} on a non-zero exit or timeout
     */
    public static void run(List<String> command, Path workDir, Duration timeout, String what) throws DocumentException {
        Path log = null;
        Process p = null;
        try {
            log = Files.createTempFile("faxlan-tool", ".log");
            p = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(nullFile())).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new DocumentException(Reason.TOOL_FAILED, what + " did not finish within "
                        + timeout.toSeconds() + " s");
            }
            if (p.exitValue() != 0) {
                throw new DocumentException(Reason.TOOL_FAILED, what + " failed with exit code " + p.exitValue()
                        + lastLine(log));
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
