package dev.faxlan.documents.convert;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits plain text into pages of lines of at most {@code columns} characters: form feed starts
 * a new page, tabs stop every 8 columns, long lines wrap at the last space that leaves at least
 * half a line (else at the column limit), CR LF and lone CR end lines, other control characters
 * are dropped. Pure function, tested on its own.
 */
public final class TextLayout {

    public static final int TAB = 8;

    private TextLayout() {
    }

    /** Pages of lines; never empty (a text without content is one blank page). */
    public static List<List<String>> paginate(String text, int columns, int linesPerPage) {
        if (columns < 1 || linesPerPage < 1) {
            throw new IllegalArgumentException("columns " + columns + " and lines " + linesPerPage + " must be positive");
        }
        String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
        t = t.replace("\r\n", "\n").replace('\r', '\n');
        List<String> chunks = new ArrayList<>(List.of(t.split("\f", -1)));
        if (chunks.size() > 1 && chunks.get(chunks.size() - 1).isEmpty()) {
            chunks.remove(chunks.size() - 1);
        }
        List<List<String>> pages = new ArrayList<>();
        for (String chunk : chunks) {
            if (chunk.endsWith("\n")) {
                chunk = chunk.substring(0, chunk.length() - 1);
            }
            List<String> page = new ArrayList<>();
            for (String raw : chunk.split("\n", -1)) {
                for (String l : wrap(clean(raw), columns)) {
                    if (page.size() == linesPerPage) {
                        pages.add(page);
                        page = new ArrayList<>();
                    }
                    page.add(l);
                }
            }
            pages.add(page);
        }
        return pages;
    }

    /** Expands tabs and drops control characters. */
    static String clean(String raw) {
        StringBuilder line = new StringBuilder(raw.length());
        int cols = 0;
        for (int i = 0; i < raw.length(); ) {
            int c = raw.codePointAt(i);
            i += Character.charCount(c);
            if (c == '\t') {
                int spaces = TAB - cols % TAB;
                line.append(" ".repeat(spaces));
                cols += spaces;
            } else if (c >= 0x20 && !(c >= 0x7F && c < 0xA0)) {
                line.appendCodePoint(c);
                cols++;
            }
        }
        return line.toString();
    }

    /** Breaks one logical line into display lines of at most {@code columns} code points. */
    static List<String> wrap(String line, int columns) {
        List<String> out = new ArrayList<>();
        String rest = stripTrailing(line);
        while (rest.codePointCount(0, rest.length()) > columns) {
            int cut = rest.offsetByCodePoints(0, columns);
            int space = rest.lastIndexOf(' ', cut);
            int breakAt;
            int resume;
            if (space >= rest.offsetByCodePoints(0, columns / 2) && space > 0) {
                breakAt = space;
                resume = space + 1;
            } else {
                breakAt = cut;
                resume = cut;
            }
            out.add(stripTrailing(rest.substring(0, breakAt)));
            rest = rest.substring(resume);
        }
        out.add(rest);
        return out;
    }

    private static String stripTrailing(String s) {
        int e = s.length();
        while (e > 0 && s.charAt(e - 1) == ' ') {
            e--;
        }
        return s.substring(0, e);
    }
}
