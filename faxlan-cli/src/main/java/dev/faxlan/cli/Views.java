package dev.faxlan.cli;

import dev.faxlan.sdk.Alert;
import dev.faxlan.sdk.Job;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How jobs, alerts and tables look on a terminal and in --json. */
final class Views {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private Views() {}

    static Map<String, Object> job(Job j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("owner", j.owner());
        m.put("to", j.to());
        m.put("state", j.state());
        m.put("subject", j.subject());
        m.put("cover", j.cover());
        m.put("resolution", j.resolution());
        m.put("at", j.at() == null ? null : Instant.ofEpochMilli(j.at()).toString());
        m.put("created", Instant.ofEpochMilli(j.created()).toString());
        m.put("updated", Instant.ofEpochMilli(j.updated()).toString());
        m.put("reason", j.reason());
        m.put("submission", j.submission());
        m.put("documents", j.documents());
        return m;
    }

    static Map<String, Object> alert(Alert a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", a.seq());
        m.put("type", a.type());
        m.put("time", Instant.ofEpochMilli(a.timeMillis()).toString());
        m.putAll(a.body());
        return m;
    }

    static String alertLine(Alert a) {
        Map<String, Object> b = a.body();
        String base = TIME.format(Instant.ofEpochMilli(a.timeMillis())) + "  #" + a.seq() + "  ";
        if ("job".equals(a.type())) {
            return base + "job " + b.get("job") + " to " + b.get("to") + ": " + b.get("state")
                    + (b.get("subject") != null ? "  \"" + b.get("subject") + "\"" : "")
                    + (b.get("reason") != null ? "  (" + b.get("reason") + ")" : "");
        }
        return base + a.type() + " " + b;
    }

    static String time(long millis) {
        return millis == 0 ? "-" : TIME.format(Instant.ofEpochMilli(millis));
    }

    /** Left-aligned columns sized to their widest cell. */
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
