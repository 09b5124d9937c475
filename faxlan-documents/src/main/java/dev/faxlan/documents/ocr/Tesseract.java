package dev.faxlan.documents.ocr;

import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.DocumentException.Reason;
import dev.faxlan.documents.view.FaxViewer;
import dev.faxlan.engine.image.BilevelPage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Tesseract (Debian's {@code tesseract-ocr}) as a separate process, one per page: a crash or a
 * runaway page cannot take the JVM with it, and a page that takes longer than its timeout is killed.
 * The page is handed over as a PNG with square pels (tesseract assumes them), and read back as
 * {@code tsv}, which gives each word its box for a PDF's text layer.
 */
public final class Tesseract {
    /** What to install when it is missing. */
    public static final String PACKAGE = "Debian packages tesseract-ocr and tesseract-ocr-eng";

    private final Path program;
    private final String language;

    public Tesseract(Path program, String language) {
        this.program = Objects.requireNonNull(program, "program");
        this.language = Objects.requireNonNull(language, "language");
    }

    /** Tesseract from the {@code PATH} with English, if it is installed. */
    public static Optional<Tesseract> find() {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, "tesseract");
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(new Tesseract(p, "eng"));
        }
        return Optional.empty();
    }

    public Path program() {
        return program;
    }

    /**
     * Reads one fax page. The words' boxes are in the pixels of the page with square pels ({@link
     * FaxViewer#squarePels}), whose size and resolution the result names.
     *
     * @throws DocumentException TOOL_FAILED when tesseract fails or is still running after {@code timeout} (it is killed then)
     */
    public PageText read(BilevelPage page, Duration timeout) throws IOException {
        BilevelPage square = FaxViewer.squarePels(page);
        Path png = Files.createTempFile("faxlan-ocr-", ".png");
        Path out = Files.createTempFile("faxlan-ocr-", ".tsv");
        Path err = Files.createTempFile("faxlan-ocr-", ".log");
        try {
            FaxViewer.toPng(square, png);
            int dpi = (int) Math.round(square.xRes());
            // Output to files, not pipes: nothing can block on a full pipe while we wait with a timeout.
            Process p = new ProcessBuilder(program.toString(), png.toString(), "stdout", "--dpi", Integer.toString(dpi), "-l", language, "tsv")
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            boolean done;
            try {
                done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while tesseract read a page", e);
            }
            if (!done) {
                p.destroyForcibly();
                throw new DocumentException(Reason.TOOL_FAILED, "tesseract did not finish a page within " + timeout.toSeconds() + " s and was stopped");
            }
            if (p.exitValue() != 0) {
                String why = Files.readString(err, StandardCharsets.UTF_8).strip().lines().reduce((a, b) -> b).orElse("");
                throw new DocumentException(Reason.TOOL_FAILED, "tesseract exited with status " + p.exitValue() + (why.isEmpty() ? "" : ": " + why));
            }
            return new PageText(square.width(), square.height(), square.xRes(), square.yRes(), parseTsv(Files.readString(out, StandardCharsets.UTF_8)));
        } finally {
            Files.deleteIfExists(png);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * The words of tesseract's TSV output: rows of level 5 with text. Columns: level, page, block,
     * paragraph, line, word, left, top, width, height, confidence, text.
     */
    static List<PageText.Word> parseTsv(String tsv) {
        List<PageText.Word> words = new ArrayList<>();
        int line = -1;
        String lastLineKey = null;
        for (String row : tsv.split("\n")) {
            String[] f = row.split("\t", -1);
            if (f.length < 12 || !f[0].equals("5")) continue;
            String text = f[11].strip();
            if (text.isEmpty()) continue;
            try {
                String lineKey = f[2] + "." + f[3] + "." + f[4];
                if (!lineKey.equals(lastLineKey)) {
                    line++;
                    lastLineKey = lineKey;
                }
                words.add(new PageText.Word(text, Integer.parseInt(f[6]), Integer.parseInt(f[7]), Integer.parseInt(f[8]), Integer.parseInt(f[9]), line));
            } catch (NumberFormatException e) {
                // a row we do not understand is left out, not the page
            }
        }
        return words;
    }
}
