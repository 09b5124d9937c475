package dev.faxlan.cli;

import dev.faxlan.sdk.Alert;
import dev.faxlan.sdk.InboxFax;
import dev.faxlan.sdk.Job;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** How jobs, faxes and alerts look on a terminal and in --json (lists: {@link Listing}). */
public final class Views {
    /** The one timestamp format, on a terminal and in --json: local time, ISO 8601 with the offset (2026-12-06T10:15:30+01:00). */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx").withZone(ZoneId.systemDefault());

    private Views() {}

    static Map<String, Object> job(Job j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("owner", j.owner());
        m.put("submitter", j.submitter()); // who submitted it for the owner (a mail gateway), if not the owner
        m.put("to", j.to());
        m.put("state", j.state());
        m.put("subject", j.subject());
        m.put("cover", j.cover());
        m.put("resolution", j.resolution());
        m.put("priority", j.priority());
        m.put("at", j.at() == null ? null : time(j.at()));
        m.put("attempts", j.attempts());
        m.put("created", time(j.created()));
        m.put("updated", time(j.updated()));
        m.put("reason", j.reason());
        m.put("submission", j.submission());
        m.put("names", j.names());
        m.put("documents", j.documents());
        m.put("fields", new TreeMap<>(j.fields())); // by name: the job's map has no order of its own
        if (!j.calls().isEmpty()) m.put("calls", j.calls().stream().map(Views::call).toList());
        return m;
    }

    /** One call attempt: which media it used and why, what it planned and its carrier. */
    static Map<String, Object> call(dev.faxlan.sdk.JobCall c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("attempt", c.attempt());
        m.put("started", time(c.started()));
        m.put("ended", time(c.ended()));
        m.put("line", c.line());
        m.put("media", c.media().isEmpty() ? null : c.media());
        m.put("media_why", c.mediaWhy());
        m.put("plan", c.plan());
        m.put("carrier", c.carrier().isEmpty() ? null : c.carrier());
        m.put("outcome", c.outcome());
        m.put("pages", c.pages());
        m.put("reason", c.reason());
        return m;
    }

    /**
     * One call attempt on a terminal: "#1 2026-…  G.711  14,400 bit/s V.17, ECM  success, 1 page(s)", then
     * why that media and what the attempt planned, each on its own indented line.
     */
    static List<String> callLines(dev.faxlan.sdk.JobCall c) {
        List<String> out = new java.util.ArrayList<>();
        out.add("#" + c.attempt() + " " + time(c.started()) + "  line " + c.line() + "  " + (c.mediaShown().isEmpty() ? "media unknown" : c.mediaShown())
                + "  " + (c.carrier().isEmpty() ? "no carrier trained" : c.carrier()) + "  " + c.outcome() + ", " + c.pages() + " page(s)");
        if (!c.mediaWhy().isEmpty()) out.add("   media: " + c.mediaWhy());
        if (!c.plan().isEmpty()) out.add("   plan:  " + c.plan());
        return out;
    }

    static Map<String, Object> fax(InboxFax f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id());
        m.put("received", time(f.received()));
        m.put("mailbox", f.mailbox());
        m.put("caller", f.caller());
        m.put("csid", f.csid());
        m.put("did", f.did());
        m.put("subaddress", f.subaddress());
        m.put("line", f.line());
        m.put("pages", f.pages());
        m.put("bad_lines", f.badLines());
        m.put("duration_ms", f.durationMs());
        m.put("result", f.result());
        m.put("size", f.size());
        m.put("sha256", f.sha256());
        m.put("read", f.read());
        return m;
    }

    /** Who sent a fax: the sender's identification and calling number, whichever are known. */
    static String from(InboxFax f) {
        boolean csid = !f.csid().isEmpty();
        boolean caller = !f.caller().isEmpty();
        if (csid && caller && !f.csid().equals(f.caller())) return f.csid() + " (" + f.caller() + ")";
        return csid ? f.csid() : caller ? f.caller() : "-";
    }

    static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    static Map<String, Object> alert(Alert a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", a.seq());
        m.put("type", a.type());
        m.put("time", time(a.timeMillis()));
        m.putAll(a.body());
        return m;
    }

    public static String alertLine(Alert a) {
        Map<String, Object> b = a.body();
        String base = time(a.timeMillis()) + "  #" + a.seq() + "  ";
        if ("job".equals(a.type())) {
            return base + "job " + b.get("job") + " to " + b.get("to") + ": " + b.get("state")
                    + (b.get("subject") != null ? "  \"" + b.get("subject") + "\"" : "")
                    + (b.get("reason") != null ? "  (" + b.get("reason") + ")" : "");
        }
        if ("fax.received".equals(a.type())) {
            return base + "fax " + b.get("fax") + " received in " + b.get("mailbox") + " from " + b.get("csid") + " (" + b.get("caller")
                    + ") to " + b.get("did") + ": " + b.get("pages") + " pages, " + b.get("result");
        }
        return base + a.type() + " " + b;
    }

    static String time(long millis) {
        return millis == 0 ? "-" : TIME.format(Instant.ofEpochMilli(millis));
    }
}
