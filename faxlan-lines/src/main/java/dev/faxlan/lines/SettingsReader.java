package dev.faxlan.lines;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads setting values as whole numbers, booleans, lists and phone numbers, and collects every
 * problem found ({@code key=value: what is wrong}) instead of stopping at the first, so that one
 * {@link LinesConfigException} can list them all.
 */
final class SettingsReader {
    private final List<String> problems = new ArrayList<>();

    List<String> problems() {
        return problems;
    }

    /** How many problems so far: a part of the settings compares it before and after to see whether it added any. */
    int problemCount() {
        return problems.size();
    }

    void problem(String key, String value, String what) {
        problems.add(key + "=" + value + ": " + what);
    }

    /** A problem that is not about one key's value (two keys that conflict, a line that cannot be built). */
    void problem(String text) {
        problems.add(text);
    }

    int integer(String key, String value, int dflt, int min, int max) {
        if (value == null || value.isBlank()) return dflt;
        int v;
        try {
            v = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            problem(key, value, "not a whole number");
            return dflt;
        }
        if (v < min || v > max) {
            problem(key, value, "outside " + min + ".." + max);
            return dflt;
        }
        return v;
    }

    boolean bool(String key, String value, boolean dflt) {
        if (value == null || value.isBlank()) return dflt;
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("yes")) return true;
        if (v.equals("false") || v.equals("no")) return false;
        problem(key, value, "not true or false");
        return dflt;
    }

    /** Comma-separated numbers, each normalised with {@code plan}, without repeats. */
    List<String> numbers(String key, String value, NumberPlan plan) {
        List<String> out = new ArrayList<>();
        for (String n : list(value)) {
            String norm = number(key, n, plan);
            if (norm != null && !out.contains(norm)) out.add(norm);
        }
        return out;
    }

    /** The number normalised with {@code plan}; null (and a problem) when it cannot be. */
    String number(String key, String value, NumberPlan plan) {
        try {
            return plan.normalise(value);
        } catch (IllegalArgumentException e) {
            problem(key, value, e.getMessage());
            return null;
        }
    }

    /** A problem for each key under {@code prefix} that is not one of {@code known}; password values are not shown. */
    void unknownKeys(String prefix, Map<String, String> k, Set<String> known) {
        for (Map.Entry<String, String> e : k.entrySet()) {
            if (!known.contains(e.getKey())) {
                String shown = e.getKey().contains("password") ? "(hidden)" : e.getValue();
                problem(prefix + e.getKey(), shown, "unknown setting" + (prefix.equals("line.loopback.")
                        ? " for the loopback line (known: " + sorted(known) + ")" : " (known: " + sorted(known) + ")"));
            }
        }
    }

    static List<String> list(String value) {
        if (value == null || value.isBlank()) return List.of();
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    static String sorted(Set<String> keys) {
        return String.join(", ", new TreeSet<>(keys));
    }
}
