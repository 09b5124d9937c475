package dev.faxlan.testkit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses the one-level JSON object the spandsp peer prints: string, integer, decimal, boolean
 * and null values, no nesting. Integers become {@code Long}, decimals {@code Double}.
 */
public final class FlatJson {
    private final String s;
    private int p;

    private FlatJson(String s) {
        this.s = s;
    }

    public static Map<String, Object> parse(String text) {
        FlatJson j = new FlatJson(text.strip());
        Map<String, Object> out = new LinkedHashMap<>();
        j.expect('{');
        j.ws();
        if (j.peek() == '}') {
            j.p++;
            return out;
        }
        while (true) {
            j.ws();
            String key = j.string();
            j.ws();
            j.expect(':');
            j.ws();
            out.put(key, j.value());
            j.ws();
            char c = j.next();
            if (c == '}') {
                break;
            }
            if (c != ',') {
                throw j.error("',' or '}'");
            }
        }
        j.ws();
        if (j.p != j.s.length()) {
            throw j.error("end of line");
        }
        return out;
    }

    private Object value() {
        char c = peek();
        if (c == '"') {
            return string();
        }
        if (s.startsWith("true", p)) {
            p += 4;
            return Boolean.TRUE;
        }
        if (s.startsWith("false", p)) {
            p += 5;
            return Boolean.FALSE;
        }
        if (s.startsWith("null", p)) {
            p += 4;
            return null;
        }
        int start = p;
        while (p < s.length() && "+-0123456789.eE".indexOf(s.charAt(p)) >= 0) {
            p++;
        }
        String num = s.substring(start, p);
        if (num.isEmpty()) {
            throw error("a value");
        }
        try {
            return num.matches("-?\\d+") ? (Object) Long.parseLong(num) : (Object) Double.parseDouble(num);
        } catch (NumberFormatException e) {
            throw error("a number");
        }
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return b.toString();
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'u' -> {
                    if (p + 4 > s.length()) {
                        throw error("four hex digits");
                    }
                    b.append((char) Integer.parseInt(s.substring(p, p + 4), 16));
                    p += 4;
                }
                default -> throw error("an escape");
            }
        }
    }

    private void ws() {
        while (p < s.length() && Character.isWhitespace(s.charAt(p))) {
            p++;
        }
    }

    private char peek() {
        if (p >= s.length()) {
            throw error("more input");
        }
        return s.charAt(p);
    }

    private char next() {
        char c = peek();
        p++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            p--;
            throw error("'" + c + "'");
        }
    }

    private IllegalArgumentException error(String expected) {
        return new IllegalArgumentException("peer JSON: expected " + expected + " at offset " + p + " of " + s);
    }
}
