package dev.faxlan.web.page;

import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.sdk.InboxFax;
import dev.faxlan.sdk.Job;
import dev.faxlan.sdk.SubmitRequest;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The inbox: received faxes of the mailboxes the user sees (one at a time if they see several),
 * unread first, each with a page-1 thumbnail; the viewer of one fax (every page, zoom, rotate,
 * page through: viewer.js); mark read or unread, move to another mailbox, forward by fax, download
 * as PDF or TIFF. Every request asks the server for the fax first, as the user, so the server
 * decides who sees it; the pictures come from {@link ReceivedFaxCache}.
 */
final class InboxPage {
    private final Pages pages;
    private final ReceivedFaxCache cache;

    InboxPage(Pages pages, ReceivedFaxCache cache) {
        this.pages = pages;
        this.cache = cache;
    }

    void addTo(Javalin app) {
        app.get("/inbox", this::list);
        app.get("/inbox/{id}", this::view);
        app.get("/inbox/{id}/thumbnail.png", this::thumbnail);
        app.get("/inbox/{id}/pages/{n}", this::page);
        app.get("/inbox/{id}/document", this::document);
        app.post("/inbox/{id}/read", this::mark);
        app.post("/inbox/{id}/move", this::move);
        app.post("/inbox/{id}/forward", this::forward);
    }

    private void list(Context ctx) {
        FaxlanClient client = PageGuard.session(ctx).client();
        String mailbox = PageForms.query(ctx, "mailbox");
        List<FaxlanClient.MailboxInfo> mailboxes;
        List<InboxRow> rows;
        try {
            mailboxes = client.mailboxes();
            rows = client.inbox(mailbox, false).stream().sorted(InboxRow.ORDER).map(InboxRow::of).toList();
        } catch (FaxlanException e) {
            throw PageFailure.of("Listing received faxes", e, "/inbox");
        }
        pages.render(ctx, "inbox.jte", pages.frame(ctx, "Inbox", "inbox"), "rows", rows,
                "mailboxes", mailboxes.stream().map(FaxlanClient.MailboxInfo::name).toList(), "mailbox", mailbox);
    }

    private void view(Context ctx) {
        FaxlanClient client = PageGuard.session(ctx).client();
        InboxFax opened = fax(ctx);
        int count = 0;
        List<String> mailboxes;
        InboxFax fax;
        try {
            // Opening a fax is reading it: it stops being listed first.
            fax = opened.read() ? opened : client.markRead(opened.id(), true);
            mailboxes = client.mailboxes().stream().map(FaxlanClient.MailboxInfo::name).filter(m -> !m.equals(opened.mailbox())).toList();
        } catch (FaxlanException e) {
            throw PageFailure.of("Opening fax " + opened.id(), e, "/inbox");
        }
        if (fax.sha256() != null) {
            try {
                count = cache.pageCount(client, fax);
            } catch (FaxlanException e) {
                throw PageFailure.of("Fetching fax " + fax.id(), e, "/inbox");
            } catch (IOException e) {
                throw PageFailure.badRequest("Fax " + fax.id() + " cannot be shown: " + e.getMessage(), "/inbox");
            }
        }
        pages.render(ctx, "viewer.jte", pages.frame(ctx, "Fax " + fax.id(), "inbox"), "fax", InboxRow.of(fax), "pageCount", count,
                "mailboxes", mailboxes);
    }

    private void thumbnail(Context ctx) {
        InboxFax fax = fax(ctx);
        image(ctx, fax, () -> cache.thumbnail(PageGuard.session(ctx).client(), fax));
    }

    private void page(Context ctx) {
        InboxFax fax = fax(ctx);
        String n = ctx.pathParam("n").replaceFirst("\\.png$", "");
        int page;
        try {
            page = Integer.parseInt(n);
        } catch (NumberFormatException e) {
            page = 0;
        }
        if (page < 1) {
            ctx.status(HttpStatus.NOT_FOUND).result("no page " + n + " in fax " + fax.id());
            return;
        }
        int p = page;
        image(ctx, fax, () -> cache.page(PageGuard.session(ctx).client(), fax, p));
    }

    private interface Bytes {
        byte[] get() throws IOException;
    }

    private static void image(Context ctx, InboxFax fax, Bytes png) {
        try {
            ctx.contentType("image/png").result(png.get());
        } catch (FaxlanException e) {
            throw PageFailure.of("Fetching fax " + fax.id(), e, "/inbox");
        } catch (IOException e) {
            ctx.status(HttpStatus.NOT_FOUND).contentType("text/plain; charset=utf-8").result("Fax " + fax.id() + ": " + e.getMessage());
        }
    }

    private void document(Context ctx) {
        FaxlanClient client = PageGuard.session(ctx).client();
        InboxFax fax = fax(ctx);
        String format = Objects.requireNonNullElse(ctx.queryParam("format"), "pdf");
        if (!format.equals("pdf") && !format.equals("tiff")) throw PageFailure.badRequest("Download as pdf or tiff, not " + format + ".", back(fax));
        try {
            byte[] body = format.equals("pdf") ? cache.pdf(client, fax) : Files.readAllBytes(cache.tiff(client, fax));
            ctx.contentType(format.equals("pdf") ? "application/pdf" : "image/tiff")
                    .header("Content-Disposition", "attachment; filename=\"fax-" + fax.id() + (format.equals("pdf") ? ".pdf" : ".tif") + "\"")
                    .result(body);
        } catch (FaxlanException e) {
            throw PageFailure.of("Downloading fax " + fax.id(), e, back(fax));
        } catch (IOException e) {
            throw PageFailure.badRequest("Fax " + fax.id() + " cannot be downloaded: " + e.getMessage(), back(fax));
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
        redirect(ctx, "/inbox", "Fax " + id + " marked " + (read ? "read." : "unread."));
    }

    private void move(Context ctx) {
        long id = id(ctx);
        String mailbox = PageForms.field(ctx, "mailbox");
        if (mailbox == null) throw PageFailure.badRequest("Choose the mailbox to move fax " + id + " to.", "/inbox/" + id);
        try {
            PageGuard.session(ctx).client().moveFax(id, mailbox);
        } catch (FaxlanException e) {
            throw PageFailure.of("Moving fax " + id + " to " + mailbox, e, "/inbox/" + id);
        }
        redirect(ctx, "/inbox", "Fax " + id + " moved to " + mailbox + ".");
    }

    /** Sends the received fax's own pages (its TIFF, as the server stored it) to the numbers or phonebook names given. */
    private void forward(Context ctx) {
        FaxlanClient client = PageGuard.session(ctx).client();
        InboxFax fax = fax(ctx);
        List<String> to = SendPage.recipients(ctx);
        if (to.isEmpty()) throw PageFailure.badRequest("Give the fax number or phonebook name to forward fax " + fax.id() + " to.", back(fax));
        List<Job> jobs;
        Path dir = null;
        try {
            // A copy under a name of its own: the cached file may leave the cache while it uploads.
            dir = Files.createTempDirectory("faxlan-web-forward-");
            Path copy = Files.copy(cache.tiff(client, fax), dir.resolve("fax-" + fax.id() + ".tif"));
            jobs = client.submit(new SubmitRequest(to, List.of(copy), "Fax " + fax.id() + " from " + InboxRow.of(fax).from(), null, null, null));
        } catch (FaxlanException e) {
            throw PageFailure.of("Forwarding fax " + fax.id(), e, back(fax));
        } catch (IOException e) {
            throw PageFailure.badRequest("Fax " + fax.id() + " cannot be forwarded: " + e.getMessage(), back(fax));
        } finally {
            if (dir != null) dev.faxlan.documents.WorkDirectories.delete(dir);
        }
        String ids = String.join(", ", jobs.stream().map(j -> Long.toString(j.id())).toList());
        redirect(ctx, "/outbox", "Fax " + fax.id() + " forwarded: " + (jobs.size() == 1 ? "job " : "jobs ") + ids + " queued.");
    }

    /** The fax of the path's id as the server shows it to this user; a fax they may not see is "not found", as the server says. */
    private static InboxFax fax(Context ctx) {
        long id = id(ctx);
        try {
            return PageGuard.session(ctx).client().receivedFax(id);
        } catch (FaxlanException e) {
            throw PageFailure.of("Opening fax " + id, e, "/inbox");
        }
    }

    private static long id(Context ctx) {
        return PageForms.pathId(ctx, "fax", "/inbox");
    }

    private static String back(InboxFax fax) {
        return "/inbox/" + fax.id();
    }

    private static void redirect(Context ctx, String path, String notice) {
        PageForms.done(ctx, path, notice);
    }
}
