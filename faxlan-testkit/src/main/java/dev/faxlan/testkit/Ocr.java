package dev.faxlan.testkit;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * Tesseract (Debian's {@code tesseract-ocr} with its English data) as the reader of a fax page in tests:
 * what a person or a receiving OCR system would make of it. {@link #require} follows {@link ExternalTool}:
 * skipped on a developer machine without it, a failure under {@code CI=true}.
 */
public final class Ocr {
    public static final String PACKAGE = "Debian packages tesseract-ocr and tesseract-ocr-eng";

    private Ocr() {}

    /** The tesseract program, or skip (fail on CI) the calling test. */
    public static Path require() {
        return ExternalTool.require("tesseract", PACKAGE);
    }

    /** The text tesseract reads from {@code image} (any type ImageIO writes as PNG), at {@code dpi}. */
    public static String read(BufferedImage image, int dpi) throws IOException {
        Path png = Files.createTempFile("ocr-", ".png");
        try {
            if (!ImageIO.write(image, "png", png.toFile())) throw new IOException("no PNG writer for image type " + image.getType());
            return read(png, dpi);
        } finally {
            Files.deleteIfExists(png);
        }
    }

    /** The text tesseract reads from the image file {@code file} (PNG, TIFF, JPEG…), at {@code dpi}. */
    public static String read(Path file, int dpi) throws IOException {
        Path tesseract = require();
        Path out = Files.createTempFile("ocr-", ".log");
        try {
            Process p = new ProcessBuilder(tesseract.toString(), file.toString(), "stdout", "--dpi", Integer.toString(dpi), "-l", "eng")
                    .redirectError(out.toFile()).start();
            byte[] text = p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("tesseract did not finish within 5 minutes");
            }
            if (p.exitValue() != 0) throw new IOException("tesseract exited " + p.exitValue() + ": " + Files.readString(out));
            return new String(text, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for tesseract", e);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The words of {@code text}: letters and digits, lower case, accents kept (NFC), punctuation dropped. */
    public static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String w : Normalizer.normalize(text, Normalizer.Form.NFC).toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) words.add(w);
        }
        return words;
    }

    /**
     * Word recall: the share of {@code expected}'s words (counted with repeats) that {@code read} also has,
     * each word of {@code read} matching at most once. 1.0 when every word was read; 0 when none.
     */
    public static double recall(String expected, String read) {
        List<String> want = words(expected);
        if (want.isEmpty()) return 1.0;
        Map<String, Integer> have = new HashMap<>();
        for (String w : words(read)) have.merge(w, 1, Integer::sum);
        int found = 0;
        for (String w : want) {
            Integer n = have.get(w);
            if (n != null && n > 0) {
                found++;
                have.put(w, n - 1);
            }
        }
        return (double) found / want.size();
    }
}
