package dev.faxlan.web.api;

import dev.faxlan.documents.WorkDirectories;
import dev.faxlan.documents.view.FaxViewer;
import dev.faxlan.protocol.message.InboxMessage;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.InboxFax;
import dev.faxlan.web.api.Views.Move;
import dev.faxlan.web.api.Views.Read;
import dev.faxlan.web.api.Views.ReceivedFax;
import dev.faxlan.web.api.Views.ReceivedFaxList;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Received faxes: {@code /api/v1/inbox}, listing per mailbox, one fax, its document, marking read and moving it. */
final class InboxEndpoints {
    /** Where documents being fetched for a download wait, under the data directory; removed after each request. */
    static final String AREA = "api-downloads";

    private final ApiCaller caller;
    private final Path dataDir;

    InboxEndpoints(ApiCaller caller, Path dataDir) {
        this.caller = caller;
        this.dataDir = dataDir;
    }

    void addTo(ApiRoutes api, Javalin app) {
        api.add(app, Endpoint.get("/inbox").summary("Received faxes in the mailboxes the user sees, unread first, then newest first")
                .query("mailbox", String.class, false, "only this mailbox (GET /mailboxes)")
                .query("unread", Boolean.class, false, "only unread faxes (default false)")
                .query("limit", Integer.class, false, "faxes per page, 1 to " + Paging.MAX_LIMIT + " (default " + Paging.DEFAULT_LIMIT + ")")
                .query("cursor", String.class, false, "the next value of the previous page")
                .responds(200, ReceivedFaxList.class).errors(400, 404).handle(this::list));
        api.add(app, Endpoint.get("/inbox/{id}").summary("One received fax").pathId("id", "the fax's id")
                .responds(200, ReceivedFax.class).errors(404).handle(ctx -> ctx.json(ReceivedFax.of(caller.<InboxFax>with(ctx, c -> c.receivedFax(FaxEndpoints.id(ctx)))))));
        api.add(app, Endpoint.get("/inbox/{id}/document").summary("A received fax's document as PDF or TIFF (as received)")
                .pathId("id", "the fax's id").query("format", String.class, false, "pdf (the default) or tiff")
                .respondsBytes(200, "application/pdf", "image/tiff").errors(400, 404, 409).handle(this::document));
        api.add(app, Endpoint.post("/inbox/{id}/read").summary("Mark a received fax read, or unread with {\"read\": false}")
                .pathId("id", "the fax's id").header(Idempotency.HEADER, false, "a repeat with the same key and body answers the first result")
                .jsonBody(Read.class).responds(200, ReceivedFax.class).errors(400, 404, 422).handle(this::read));
        api.add(app, Endpoint.post("/inbox/{id}/move").summary("Move a received fax to another mailbox the user sees")
                .pathId("id", "the fax's id").header(Idempotency.HEADER, false, "a repeat with the same key and body answers the first result")
                .jsonBody(Move.class).responds(200, ReceivedFax.class).errors(400, 404, 422).handle(this::move));
    }

    private void list(Context ctx) {
        String mailbox = ctx.queryParam("mailbox");
        String unread = ctx.queryParam("unread");
        if (unread != null && !unread.equals("true") && !unread.equals("false")) throw ApiProblem.badRequest("unread must be true or false");
        List<InboxFax> faxes = caller.with(ctx, c -> c.inbox(mailbox == null || mailbox.isBlank() ? null : mailbox, "true".equals(unread)));
        Paging<InboxFax> page = Paging.of(ctx, faxes, f -> new long[] {f.read() ? 1 : 0, -f.id()});
        ctx.json(new ReceivedFaxList(page.items().stream().map(ReceivedFax::of).toList(), page.next()));
    }

    private void document(Context ctx) {
        String format = ctx.queryParam("format") == null ? "pdf" : ctx.queryParam("format");
        if (!format.equals("pdf") && !format.equals("tiff")) throw ApiProblem.badRequest("format must be pdf or tiff, not " + format);
        long id = FaxEndpoints.id(ctx);
        FaxlanClient client = caller.client(ctx);
        Path dir;
        try {
            dir = Files.createTempDirectory(Files.createDirectories(dataDir.resolve(AREA)), "fax");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Path tiff = dir.resolve("fax.tif");
            caller.with(ctx, c -> c.fetch(id, tiff, n -> {}));
            Path out = tiff;
            if (format.equals("pdf")) {
                out = dir.resolve("fax.pdf");
                FaxViewer.toPdf(tiff, out);
            }
            ctx.contentType(format.equals("pdf") ? "application/pdf" : "image/tiff");
            ctx.header("Content-Disposition", "attachment; filename=\"fax-" + id + "." + (format.equals("pdf") ? "pdf" : "tif") + "\"");
            try (InputStream in = Files.newInputStream(out)) {
                in.transferTo(ctx.outputStream());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            WorkDirectories.delete(dir);
        }
    }

    private void read(Context ctx) {
        Read body = JsonBodies.optional(ctx, Read.class);
        boolean read = body == null || body.read() == null || body.read();
        long id = FaxEndpoints.id(ctx);
        byte[] key = Idempotency.cpiKey(ctx, "inbox.mark");
        ctx.json(ReceivedFax.fromWire(caller.with(ctx, c -> Idempotency.call(c, new InboxMessage.Mark(id, read), key).fax())));
    }

    private void move(Context ctx) {
        Move body = JsonBodies.required(ctx, Move.class);
        if (body.mailbox() == null || body.mailbox().isBlank()) throw ApiProblem.badRequest("mailbox is missing: {\"mailbox\": \"NAME\"}");
        long id = FaxEndpoints.id(ctx);
        byte[] key = Idempotency.cpiKey(ctx, "inbox.move");
        ctx.json(ReceivedFax.fromWire(caller.with(ctx, c -> Idempotency.call(c, new InboxMessage.Move(id, body.mailbox()), key).fax())));
    }
}
