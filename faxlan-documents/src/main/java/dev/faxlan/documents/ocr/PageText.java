package dev.faxlan.documents.ocr;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The words read from one fax page, each with its box in the pixels of the image that was read
 * ({@code width} × {@code height} at {@code xDpi} × {@code yDpi}), in reading order.
 */
public record PageText(int width, int height, double xDpi, double yDpi, List<Word> words) {
    /** A word as read; {@code line} numbers the page's lines in reading order, so the text keeps its line breaks. */
    public record Word(String text, int left, int top, int width, int height, int line) {
        public Word {
            Objects.requireNonNull(text, "text");
        }
    }

    public PageText {
        words = List.copyOf(words);
    }

    /** A page where nothing was read (a blank page, or one tesseract gave up on). */
    public static PageText empty(int width, int height, double xDpi, double yDpi) {
        return new PageText(width, height, xDpi, yDpi, List.of());
    }

    /** The text: words separated by spaces, lines by newlines. */
    public String text() {
        StringBuilder b = new StringBuilder();
        int line = Integer.MIN_VALUE;
        for (Word w : words) {
            if (!b.isEmpty()) b.append(w.line() == line ? ' ' : '\n');
            b.append(w.text());
            line = w.line();
        }
        return b.toString();
    }

    /**
     * The words of {@code text} as search and routing compare them: letters and digits only, lower
     * case, NFC; anything else separates words, so "Order-No. 4711" is {@code order no 4711}.
     */
    public static List<String> searchWords(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) return out;
        for (String w : Normalizer.normalize(text, Normalizer.Form.NFC).toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) out.add(w);
        }
        return out;
    }

    /** This page's distinct {@link #searchWords} in reading order. */
    public Set<String> searchWords() {
        return new LinkedHashSet<>(searchWords(text()));
    }
}
