package dev.faxlan.web.page;

import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.view.FaxViewer;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.sdk.InboxFax;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * The inbox: received faxes of every mailbox the user sees, unread first, with a picture of page 1;
 * the page viewer (zoom, rotate, page through; viewer.js), mark read or unread, download as PDF or TIFF.
 * Opening a fax in the viewer marks it read.
 */
final class InboxPage {
    private final Pages pages;

    InboxPage(Pages pages) {
        this.pages = pages;
    }

    void addTo(Javalin app) {
        app.get("/inbox", this::list);
        app.get("/inbox/{id}", this::view);
        app.get("/inbox/{id}/pages/{page}", this::page);
        app.get("/inbox/{id}/document", this::document);
        app.post("/inbox/{id}/read", this::mark);
    }

    private void list(Context ctx) {
        List<FaxRow> rows;
        try {
            // Newest first from the server; a stable sort puts the unread ones before the rest.
            rows = PageGuard.session(ctx).client().inbox(null, false).stream().map(FaxRow::of)
                    .sorted(Comparator.comparing(FaxRow::read)).toList();
        } catch (FaxlanException e) {
            throw PageFailure.of("Listing received faxes", e, "/outbox");
        }
        pages.render(ctx, "inbox.jte", pages.frame(ctx, "Inbox", "inbox"), "rows", rows);
    }

    private void view(Context ctx) {
        long id = id(ctx);
        FaxRow fax;
        try {
            FaxlanClient client = PageGuard.session(ctx).client();
            InboxFax f = client.receivedFax(id);
            if (!f.read()) f = client.markRead(id, true);
            fax = FaxRow.of(f);
        } catch (FaxlanException e) {
            throw PageFailure.of("Opening fax " + id, e, "/inbox");
        }
        pages.render(ctx, "viewer.jte", pages.frame(ctx, "Fax " + id + " from " + fax.from(), "inbox"), "fax", fax);
    }

    private void page(Context ctx) {
        long id = id(ctx);
        BrowserSession s = PageGuard.session(ctx);
        int page;
        try {
            page = Integer.parseInt(ctx.pathParam("page"));
        } catch (NumberFormatException e) {
            page = 0;
        }
        if (page < 1) {
            ctx.status(HttpStatus.NOT_FOUND).result("no such page");
            return;
        }
        try {
            ctx.contentType("image/png").result(s.received().pagePng(s.client(), id, page));
        } catch (FaxlanException e) {
            throw PageFailure.of("Page " + page + " of fax " + id, e, "/inbox");
        } catch (DocumentException e) {
            ctx.status(HttpStatus.NOT_FOUND).result(e.getMessage());
        } catch (IOException e) {
            throw PageFailure.badRequest("Fax " + id + " cannot be shown: " + e.getMessage(), "/inbox");
        }
    }

    private void document(Context ctx) {
        long id = id(ctx);
        BrowserSession s = PageGuard.session(ctx);
        String format = ctx.queryParamAsClass("format", String.class).getOrDefault("pdf");
        if (!format.equals("pdf") && !format.equals("tiff")) throw PageFailure.badRequest("Format is pdf or tiff, not " + format + ".", "/inbox/" + id);
        try {
            Path tiff = s.received().tiff(s.client(), id);
            byte[] body;
            if (format.equals("tiff")) {
                body = Files.readAllBytes(tiff);
            } else {
                ByteArrayOutputStream pdf = new ByteArrayOutputStream();
                FaxViewer.toPdf(tiff, pdf);
                body = pdf.toByteArray();
            }
            ctx.contentType(format.equals("pdf") ? "application/pdf" : "image/tiff")
                    .header("Content-Disposition", "attachment; filename=\"fax-" + id + (format.equals("pdf") ? ".pdf" : ".tif") + "\"")
                    .result(body);
        } catch (FaxlanException e) {
            throw PageFailure.of("Downloading fax " + id, e, "/inbox");
        } catch (IOException e) {
            throw PageFailure.badRequest("Fax " + id + " cannot be converted: " + e.getMessage(), "/inbox/" + id);
        }
    }

    private void mark(Context ctx) {
        long id = id(ctx);
        boolean read = !"false".equals(ctx.formParam("read"));
        try {
            PageGuard.session(ctx).client().markRead(id, read);
        } catch (FaxlanException e) {
            throw PageFailure.of("Marking fax " + id, e, "/inbox");
        }
        ctx.redirect("/inbox", HttpStatus.SEE_OTHER);
    }

    private static long id(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw PageFailure.badRequest("No such fax: " + ctx.pathParam("id"), "/inbox");
        }
    }
}
