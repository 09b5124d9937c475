package dev.faxlan.documents.cover;

import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.DocumentException.Reason;
import dev.faxlan.documents.cover.CoverTemplate.Align;
import dev.faxlan.documents.cover.CoverTemplate.Box;
import dev.faxlan.documents.cover.CoverTemplate.Check;
import dev.faxlan.documents.cover.CoverTemplate.Condition;
import dev.faxlan.documents.cover.CoverTemplate.Element;
import dev.faxlan.documents.cover.CoverTemplate.Length;
import dev.faxlan.documents.cover.CoverTemplate.Line;
import dev.faxlan.documents.cover.CoverTemplate.Para;
import dev.faxlan.documents.cover.CoverTemplate.Style;
import dev.faxlan.documents.cover.CoverTemplate.Text;
import dev.faxlan.documents.render.Fonts.Family;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses the cover page template language of docs/cover-pages.md: one statement per line,
 * {@code KIND key=value ... "text"}, {@code #} comments. Errors name the line and the word.
 */
public final class CoverTemplateParser {

    private CoverTemplateParser() {
    }

    /** One tokenized statement. */
    private record Statement(int line, String kind, Map<String, String> attrs, String text) {
    }

    public static CoverTemplate parse(String name, String source) throws DocumentException {
        double margin = 54;
        Family font = Family.SANS;
        List<Element> elements = new ArrayList<>();
        String[] lines = source.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Statement s = tokenize(name, i + 1, lines[i]);
            if (s == null) {
                continue;
            }
            Attrs a = new Attrs(name, s);
            switch (s.kind()) {
                case "margin" -> {
                    margin = a.points("value", null);
                    a.noText();
                }
                case "font" -> {
                    font = a.family("value", Family.SANS);
                    a.noText();
                }
                case "text" -> elements.add(new Text(a.len("x"), a.len("y"), a.optLen("w"),
                        a.style(font), a.align(), a.text(), a.when()));
                case "para" -> elements.add(new Para(a.len("x"), a.len("y"), a.len("w"), a.optLen("h"),
                        a.style(font), a.number("leading", 1.25), a.text(), a.when()));
                case "line" -> {
                    elements.add(new Line(a.len("x1"), a.len("y1"), a.len("x2"), a.len("y2"),
                            a.points("width", 1.0), a.when()));
                    a.noText();
                }
                case "box" -> {
                    boolean fill = a.choice("fill", "none", "none", "black").equals("black");
                    elements.add(new Box(a.len("x"), a.len("y"), a.len("w"), a.len("h"),
                            a.points("width", fill ? 0.0 : 1.0), fill, a.points("radius", 0.0), a.when()));
                    a.noText();
                }
                case "check" -> {
                    elements.add(new Check(a.len("x"), a.len("y"), a.points("size", 10.0), a.required("field"),
                            a.when()));
                    a.noText();
                }
                default -> throw error(name, s.line(), "unknown statement '" + s.kind()
                        + "' (expected margin, font, text, para, line, box or check)");
            }
            a.checkAllUsed();
        }
        if (elements.isEmpty()) {
            throw error(name, lines.length, "the template draws nothing");
        }
        return new CoverTemplate(name, margin, font, elements);
    }

    private static Statement tokenize(String name, int line, String raw) throws DocumentException {
        String src = raw.strip();
        if (src.isEmpty() || src.startsWith("#")) {
            return null;
        }
        List<String> words = new ArrayList<>();
        List<Boolean> quoted = new ArrayList<>();
        int i = 0;
        while (i < src.length()) {
            char c = src.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c == '#') {
                break;
            }
            StringBuilder w = new StringBuilder();
            boolean q = c == '"';
            while (i < src.length() && !Character.isWhitespace(src.charAt(i))) {
                char d = src.charAt(i);
                if (d == '"') {
                    i++;
                    boolean closed = false;
                    while (i < src.length()) {
                        char e = src.charAt(i++);
                        if (e == '\\' && i < src.length()) {
                            char n = src.charAt(i++);
                            w.append(n == 'n' ? '\n' : n);
                        } else if (e == '"') {
                            closed = true;
                            break;
                        } else {
                            w.append(e);
                        }
                    }
                    if (!closed) {
                        throw error(name, line, "unterminated string");
                    }
                } else {
                    w.append(d);
                    i++;
                }
            }
            words.add(w.toString());
            quoted.add(q);
        }
        if (words.isEmpty()) {
            return null;
        }
        String kind = words.get(0).toLowerCase(Locale.ROOT);
        Map<String, String> attrs = new LinkedHashMap<>();
        String text = null;
        for (int k = 1; k < words.size(); k++) {
            String w = words.get(k);
            int eq = w.indexOf('=');
            if (quoted.get(k)) {
                if (text != null) {
                    throw error(name, line, "more than one quoted text");
                }
                text = w;
            } else if (eq > 0) {
                String key = w.substring(0, eq).toLowerCase(Locale.ROOT);
                if (attrs.put(key, w.substring(eq + 1)) != null) {
                    throw error(name, line, "'" + key + "' given twice");
                }
            } else if (k == 1) {
                attrs.put("value", w);
            } else {
                throw error(name, line, "'" + w + "' is neither key=value nor a quoted text");
            }
        }
        return new Statement(line, kind, attrs, text);
    }

    static DocumentException error(String name, int line, String what) {
        return new DocumentException(Reason.BAD_TEMPLATE, "cover template " + name + " line " + line + ": " + what);
    }

    /** Attribute access that remembers what was used, to reject misspelt keys. */
    private static final class Attrs {
        private final String name;
        private final Statement s;
        private final Set<String> used = new HashSet<>();
        private boolean textUsed;

        Attrs(String name, Statement s) {
            this.name = name;
            this.s = s;
        }

        String raw(String key) {
            used.add(key);
            return s.attrs().get(key);
        }

        String required(String key) throws DocumentException {
            String v = raw(key);
            if (v == null || v.isEmpty()) {
                throw error(name, s.line(), s.kind() + " needs " + key + "=");
            }
            return v;
        }

        Length len(String key) throws DocumentException {
            return parseLength(required(key), key);
        }

        Length optLen(String key) throws DocumentException {
            String v = raw(key);
            return v == null ? null : parseLength(v, key);
        }

        double points(String key, Double dflt) throws DocumentException {
            String v = raw(key);
            if (v == null) {
                if (dflt == null) {
                    throw error(name, s.line(), s.kind() + " needs a length, such as 20mm");
                }
                return dflt;
            }
            Length l = parseLength(v, key);
            if (l.percent()) {
                throw error(name, s.line(), key + " cannot be a percentage");
            }
            return l.value();
        }

        double number(String key, double dflt) throws DocumentException {
            String v = raw(key);
            if (v == null) {
                return dflt;
            }
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw error(name, s.line(), key + "=" + v + " is not a number");
            }
        }

        String choice(String key, String dflt, String... allowed) throws DocumentException {
            String v = raw(key);
            if (v == null) {
                return dflt;
            }
            v = v.toLowerCase(Locale.ROOT);
            for (String a : allowed) {
                if (a.equals(v)) {
                    return v;
                }
            }
            throw error(name, s.line(), key + "=" + v + " is not one of " + String.join(", ", allowed));
        }

        Family family(String key, Family dflt) throws DocumentException {
            String v = raw(key);
            if (v == null) {
                return dflt;
            }
            try {
                return Family.parse(v);
            } catch (IllegalArgumentException e) {
                throw error(name, s.line(), e.getMessage());
            }
        }

        Style style(Family dfltFont) throws DocumentException {
            double size = points("size", 11.0);
            if (size < 4 || size > 200) {
                throw error(name, s.line(), "size " + size + "pt outside 4..200pt");
            }
            String style = choice("style", "plain", "plain", "bold");
            String color = choice("color", "black", "black", "white");
            return new Style(size, style.equals("bold"), family("font", dfltFont), color.equals("white"));
        }

        Align align() throws DocumentException {
            return Align.valueOf(choice("align", "left", "left", "center", "right").toUpperCase(Locale.ROOT));
        }

        Condition when() throws DocumentException {
            String w = raw("when");
            String u = raw("unless");
            if (w != null && u != null) {
                throw error(name, s.line(), "give when= or unless=, not both");
            }
            if (w != null) {
                return new Condition(w, false);
            }
            if (u != null) {
                return new Condition(u, true);
            }
            return Condition.ALWAYS;
        }

        String text() throws DocumentException {
            textUsed = true;
            if (s.text() == null) {
                throw error(name, s.line(), s.kind() + " needs a quoted text");
            }
            return s.text();
        }

        void noText() throws DocumentException {
            textUsed = true;
            if (s.text() != null) {
                throw error(name, s.line(), s.kind() + " takes no quoted text");
            }
        }

        void checkAllUsed() throws DocumentException {
            for (String k : s.attrs().keySet()) {
                if (!used.contains(k)) {
                    throw error(name, s.line(), "unknown attribute '" + k + "' for " + s.kind());
                }
            }
            if (!textUsed && s.text() != null) {
                throw error(name, s.line(), s.kind() + " takes no quoted text");
            }
        }

        private Length parseLength(String v, String key) throws DocumentException {
            String t = v.strip().toLowerCase(Locale.ROOT);
            double factor;
            boolean percent = false;
            String num;
            if (t.endsWith("mm")) {
                factor = 72 / 25.4;
                num = t.substring(0, t.length() - 2);
            } else if (t.endsWith("cm")) {
                factor = 720 / 25.4;
                num = t.substring(0, t.length() - 2);
            } else if (t.endsWith("in")) {
                factor = 72;
                num = t.substring(0, t.length() - 2);
            } else if (t.endsWith("pt")) {
                factor = 1;
                num = t.substring(0, t.length() - 2);
            } else if (t.endsWith("%")) {
                factor = 1;
                percent = true;
                num = t.substring(0, t.length() - 1);
            } else if (t.equals("0")) {
                factor = 1;
                num = t;
            } else {
                throw error(name, s.line(), key + "=" + v + " needs a unit: mm, cm, in, pt or %");
            }
            try {
                return new Length(Double.parseDouble(num) * factor, percent);
            } catch (NumberFormatException e) {
                throw error(name, s.line(), key + "=" + v + " is not a length");
            }
        }
    }
}
