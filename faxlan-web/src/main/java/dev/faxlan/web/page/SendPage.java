package dev.faxlan.web.page;

import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.cover.CoverPage;
import dev.faxlan.engine.t4.Resolution;
import dev.faxlan.sdk.Contact;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.sdk.Job;
import dev.faxlan.sdk.SubmitRequest;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send page: documents (dropped or chosen), recipients completed from the phonebook, a cover page
 * with a live preview, subject, comment, schedule, priority, resolution, a preview of the exact fax
 * pages, and the submit itself through the SDK.
 */
final class SendPage {
    private static final Logger log = LoggerFactory.getLogger(SendPage.class);
    private final Pages pages;

    SendPage(Pages pages) {
        this.pages = pages;
    }

    void addTo(Javalin app) {
        app.get("/send", this::form);
        app.get("/send/cover.png", this::coverPreview);
        app.post("/send/preview", this::preview);
        app.get("/send/preview/{id}/{page}", this::previewPage);
        app.post("/send", this::submit);
    }

    private void form(Context ctx) {
        FaxlanClient client = PageGuard.session(ctx).client();
        List<String> covers;
        List<Contact> contacts;
        try {
            covers = client.covers().stream().map(FaxlanClient.CoverInfo::name).toList();
            contacts = client.contacts();
        } catch (FaxlanException e) {
            throw PageFailure.of("Opening the send page", e, "/outbox");
        }
        pages.render(ctx, "send.jte", pages.frame(ctx, "Send a fax", "send"), "covers", covers, "contacts", contacts);
    }

    /** The cover page as the fax would show it, for the fields in the query (the page's script asks on every change). */
    private void coverPreview(Context ctx) {
        BrowserSession s = PageGuard.session(ctx);
        String name = ctx.queryParam("cover");
        if (name == null || name.isBlank()) {
            ctx.status(HttpStatus.NOT_FOUND).result("no cover page chosen");
            return;
        }
        Map<String, String> fields = coverFields(ctx, s.user());
        fields.put("pages", "1");
        byte[] png;
        try {
            png = FaxPreviews.coverPng(FaxPreviews.cover(s.client(), name), fields, resolution(ctx));
        } catch (FaxlanException e) {
            throw PageFailure.of("Drawing cover page " + name, e, "/send");
        } catch (IOException e) {
            throw PageFailure.badRequest("Cover page " + name + " cannot be drawn: " + e.getMessage(), "/send");
        }
        ctx.contentType("image/png").result(png);
    }

    /** Converts the uploaded documents (and the cover) as the server will, and keeps the pages' pictures for the page to show. */
    private void preview(Context ctx) {
        BrowserSession s = PageGuard.session(ctx);
        try (Uploads docs = Uploads.save(ctx.uploadedFiles(Uploads.FIELD))) {
            String coverName = blankToNull(ctx.formParam("cover"));
            if (docs.isEmpty() && coverName == null) throw PageFailure.badRequest("Choose a document to fax first.", "/send");
            CoverPage cover = coverName == null ? null : new CoverPage(FaxPreviews.cover(s.client(), coverName), coverFields(ctx, s.user()));
            List<byte[]> pngs;
            try {
                pngs = FaxPreviews.pages(docs, cover, resolution(ctx));
            } catch (DocumentException e) {
                throw PageFailure.badRequest("Cannot be faxed: " + docs.scrub(e.getMessage()), "/send");
            } catch (IOException e) {
                throw PageFailure.badRequest("The documents could not be read: " + docs.scrub(e.getMessage()), "/send");
            }
            SendDrafts.Preview p = s.drafts().keep(pngs);
            List<String> urls = new ArrayList<>();
            for (int i = 1; i <= pngs.size(); i++) urls.add("/send/preview/" + p.id() + "/" + i);
            ctx.json(Map.of("pages", urls));
        } catch (FaxlanException e) {
            throw PageFailure.of("Preview", e, "/send");
        } catch (DocumentException e) {
            throw PageFailure.badRequest("The cover page cannot be drawn: " + e.getMessage(), "/send");
        } catch (IOException e) {
            throw uploadNotStored(e);
        }
    }

    private void previewPage(Context ctx) {
        byte[] png;
        try {
            png = PageGuard.session(ctx).drafts().page(ctx.pathParam("id"), Integer.parseInt(ctx.pathParam("page")));
        } catch (NumberFormatException e) {
            png = null;
        }
        if (png == null) {
            ctx.status(HttpStatus.NOT_FOUND).result("no such preview page (a newer preview replaced it)");
            return;
        }
        ctx.contentType("image/png").result(png);
    }

    private void submit(Context ctx) {
        BrowserSession s = PageGuard.session(ctx);
        List<String> to = recipients(ctx);
        if (to.isEmpty()) throw PageFailure.badRequest("Give at least one recipient: a fax number or a phonebook name.", "/send");
        List<Job> jobs;
        try (Uploads docs = Uploads.save(ctx.uploadedFiles(Uploads.FIELD))) {
            String cover = blankToNull(ctx.formParam("cover"));
            if (docs.isEmpty() && cover == null) throw PageFailure.badRequest("Choose a document to fax, or a cover page.", "/send");
            try {
                FaxPreviews.check(docs, resolution(ctx));
            } catch (DocumentException e) {
                throw PageFailure.badRequest("Nothing was sent: " + docs.scrub(e.getMessage()), "/send");
            }
            Map<String, String> fields = new LinkedHashMap<>();
            String comment = blankToNull(ctx.formParam("comment"));
            if (comment != null) fields.put("comment", comment);
            SubmitRequest req = new SubmitRequest(to, docs.files(), blankToNull(ctx.formParam("subject")), cover,
                    resolution(ctx).name().toLowerCase(java.util.Locale.ROOT), sendAt(ctx), priority(ctx), fields);
            jobs = s.client().submit(req);
        } catch (FaxlanException e) {
            throw PageFailure.of("Sending", e, "/send");
        } catch (IOException e) {
            throw uploadNotStored(e);
        }
        String ids = String.join(", ", jobs.stream().map(j -> Long.toString(j.id())).toList());
        ctx.redirect("/outbox?notice=" + URLEncoder.encode((jobs.size() == 1 ? "Job " : "Jobs ") + ids + " queued.", StandardCharsets.UTF_8),
                HttpStatus.SEE_OTHER);
    }

    /** The web server could not keep an upload while working on it (its disk, say): the details, with paths, go to the log only. */
    private static PageFailure uploadNotStored(IOException e) {
        log.warn("storing an upload for the send page failed: {}", e.toString());
        return PageFailure.badRequest("The web server could not store the upload (see its log); nothing was sent. Try again later.", "/send");
    }

    /** The {@code to} fields, each possibly a list separated by commas or semicolons. */
    static List<String> recipients(Context ctx) {
        List<String> to = new ArrayList<>();
        for (String field : ctx.formParams("to")) {
            for (String one : field.split("[,;\\n]")) if (!one.isBlank()) to.add(one.strip());
        }
        return to;
    }

    private static Map<String, String> coverFields(Context ctx, String user) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("from", user);
        String to = String.join(", ", ctx.queryParam("to") != null ? List.of(ctx.queryParam("to")) : recipients(ctx));
        if (!to.isBlank()) f.put("to", to);
        putIfGiven(f, "subject", param(ctx, "subject"));
        putIfGiven(f, "comment", param(ctx, "comment"));
        return f;
    }

    /** A query parameter (the cover preview is a GET) or a form field (the page preview is a POST). */
    private static String param(Context ctx, String name) {
        String q = ctx.queryParam(name);
        return q != null ? q : ctx.isMultipartFormData() ? ctx.formParam(name) : null;
    }

    private static void putIfGiven(Map<String, String> f, String key, String value) {
        if (value != null && !value.isBlank()) f.put(key, value.strip());
    }

    private static Resolution resolution(Context ctx) {
        String r = param(ctx, "resolution");
        try {
            return r == null || r.isBlank() ? Resolution.FINE : Resolution.parse(r);
        } catch (IllegalArgumentException e) {
            throw PageFailure.badRequest(e.getMessage(), "/send");
        }
    }

    private static int priority(Context ctx) {
        String p = Objects.requireNonNullElse(ctx.formParam("priority"), "").strip();
        if (p.isEmpty()) return SubmitRequest.DEFAULT_PRIORITY;
        try {
            int n = Integer.parseInt(p);
            if (n >= 0 && n <= 9) return n;
        } catch (NumberFormatException e) {
            // said below
        }
        throw PageFailure.badRequest("Priority must be 0 to 9, not " + p + ".", "/send");
    }

    /**
     * When to send: {@code send_at}, an instant the page's script made from the browser's local time, or
     * else {@code schedule} as a local time of this server's zone (a browser without scripts).
     */
    private static Instant sendAt(Context ctx) {
        String at = blankToNull(ctx.formParam("send_at"));
        String local = blankToNull(ctx.formParam("schedule"));
        try {
            if (at != null) return Instant.parse(at);
            if (local != null) return LocalDateTime.parse(local).atZone(ZoneId.systemDefault()).toInstant();
            return null;
        } catch (DateTimeParseException e) {
            throw PageFailure.badRequest("Not a date and time: " + (at != null ? at : local) + ".", "/send");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
