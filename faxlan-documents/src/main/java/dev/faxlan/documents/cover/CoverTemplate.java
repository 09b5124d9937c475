package dev.faxlan.documents.cover;

import dev.faxlan.documents.render.Fonts.Family;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed cover page template (format in docs/cover-pages.md): page margin, default font and
 * a list of elements drawn in order. Coordinates are {@link Length}s relative to the content
 * box (the page inside the margin), origin top left.
 *
 * @param name what the template is called ({@code classic}, or the file name)
 * @param margin blank border on every side, in points
 * @param font default family for text elements
 * @param elements what to draw, in order
 */
public record CoverTemplate(String name, double margin, Family font, List<Element> elements) {

    public CoverTemplate {
        elements = List.copyOf(elements);
    }

    /** A length: an absolute size in points, or a percentage of the content box. */
    public record Length(double value, boolean percent) {
        /** Points, given the content box dimension percentages refer to. */
        public double points(double base) {
            return percent ? value * base / 100 : value;
        }
    }

    /** Horizontal alignment of text at or within its box. */
    public enum Align {
        LEFT, CENTER, RIGHT
    }

    /** Draw only if {@code field} is truthy (or falsy, if negated); field null means always. */
    public record Condition(String field, boolean negate) {
        static final Condition ALWAYS = new Condition(null, false);

        public boolean holds(Map<String, String> fields) {
            return field == null || truthy(fields.get(field)) != negate;
        }
    }

    /** Text style shared by {@link Text} and {@link Para}. */
    public record Style(double size, boolean bold, Family font, boolean white) {
    }

    /** One drawing instruction. */
    public sealed interface Element permits Text, Para, Line, Box, Check {
        Condition when();
    }

    /** One line of text; shrunk to fit {@code w} if given, never clipped. */
    public record Text(Length x, Length y, Length w, Style style, Align align, String text, Condition when)
            implements Element {
    }

    /** Word-wrapped text in a box of width {@code w}; shrunk (to 6 pt at least) to fit {@code h} if given. */
    public record Para(Length x, Length y, Length w, Length h, Style style, double leading, String text,
            Condition when) implements Element {
    }

    /** A straight line. */
    public record Line(Length x1, Length y1, Length x2, Length y2, double width, Condition when) implements Element {
    }

    /** A rectangle, outlined ({@code width} > 0) and/or filled black. */
    public record Box(Length x, Length y, Length w, Length h, double width, boolean fill, double radius,
            Condition when) implements Element {
    }

    /** A check box, crossed when {@code field} is truthy. */
    public record Check(Length x, Length y, double size, String field, Condition when) implements Element {
    }

    private static final Pattern FIELD = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)(?::([^}]*))?}");

    /** Replaces {@code ${name}} and {@code ${name:default}} with field values. */
    public static String substitute(String text, Map<String, String> fields) {
        Matcher m = FIELD.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = fields.get(m.group(1));
            if (v == null || v.isEmpty()) {
                v = m.group(2) != null ? m.group(2) : "";
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** False for absent, empty, {@code no}, {@code false}, {@code off} and {@code 0}; true otherwise. */
    public static boolean truthy(String v) {
        if (v == null) {
            return false;
        }
        return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "", "no", "false", "off", "0", "n" -> false;
            default -> true;
        };
    }
}
