package dev.faxlan.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * How every list command prints its items: with --json one JSON array of objects whose fields come
 * in the order {@code json} puts them (people diff and grep this output, so never a hash order);
 * otherwise a table of left-aligned columns sized to their widest cell, or, for an empty list, the
 * command's sentence when it has one (else the header alone).
 *
 * @param header the table's column titles
 * @param row one item's table cells, as many as {@code header} (null prints "-")
 * @param json one item as a JSON object; an ordered map ({@link Json#object}, LinkedHashMap)
 * @param whenEmpty the sentence for an empty list on a terminal, null for the bare header
 */
record Listing<T>(List<String> header, Function<T, List<String>> row, Function<T, Map<String, Object>> json, String whenEmpty) {

    Listing {
        header = List.copyOf(header);
        Objects.requireNonNull(row, "row");
        Objects.requireNonNull(json, "json");
    }

    static <T> Listing<T> of(List<String> header, Function<T, List<String>> row, Function<T, Map<String, Object>> json) {
        return new Listing<>(header, row, json, null);
    }

    /** This listing with {@code sentence} printed instead of an empty table. */
    Listing<T> whenEmpty(String sentence) {
        return new Listing<>(header, row, json, sentence);
    }

    void print(List<T> items, boolean asJson) {
        System.out.print(render(items, asJson));
    }

    /** The text {@link #print} writes, newline-terminated. */
    String render(List<T> items, boolean asJson) {
        if (asJson) {
            List<Map<String, Object>> out = new ArrayList<>(items.size());
            for (T item : items) out.add(json.apply(item));
            return Json.write(out) + "\n";
        }
        if (items.isEmpty() && whenEmpty != null) return whenEmpty + "\n";
        List<List<String>> rows = new ArrayList<>(items.size());
        for (T item : items) {
            List<String> cells = row.apply(item);
            if (cells.size() != header.size()) {
                throw new IllegalStateException("a row has " + cells.size() + " cells for " + header.size() + " columns " + header + ": " + cells);
            }
            rows.add(cells);
        }
        return table(header, rows);
    }

    /** Left-aligned columns sized to their widest cell, two spaces apart. */
    static String table(List<String> header, List<List<String>> rows) {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) w[i] = header.get(i).length();
        for (List<String> r : rows) for (int i = 0; i < w.length; i++) w[i] = Math.max(w[i], r.get(i) == null ? 1 : r.get(i).length());
        StringBuilder sb = new StringBuilder();
        line(sb, header, w);
        for (List<String> r : rows) line(sb, r, w);
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] w) {
        for (int i = 0; i < w.length; i++) {
            String c = cells.get(i) == null ? "-" : cells.get(i);
            sb.append(c);
            if (i < w.length - 1) sb.append(" ".repeat(w[i] - c.length() + 2));
        }
        sb.append('\n');
    }
}
