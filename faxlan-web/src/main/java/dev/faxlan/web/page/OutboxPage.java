package dev.faxlan.web.page;

import dev.faxlan.protocol.message.JobMessage;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.sdk.Job;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outbox: the user's jobs, their state kept live by server-sent events from {@code /outbox/events}
 * (outbox.js), the reason of a failure, cancel and resend.
 */
final class OutboxPage {
    private final Pages pages;

    OutboxPage(Pages pages) {
        this.pages = pages;
    }

    void addTo(Javalin app) {
        app.get("/outbox", this::list);
        app.sse("/outbox/events", sse -> {
            sse.keepAlive();
            PageGuard.session(sse.ctx()).jobFeed().add(sse);
        });
        app.post("/outbox/{id}/cancel", this::cancel);
        app.post("/outbox/{id}/resend", this::resend);
    }

    private void list(Context ctx) {
        BrowserSession s = PageGuard.session(ctx);
        List<JobRow> rows;
        try {
            rows = s.client().jobs(true).stream().map(JobRow::of).toList();
        } catch (FaxlanException e) {
            throw PageFailure.of("Listing your jobs", e, "/outbox");
        }
        pages.render(ctx, "outbox.jte", pages.frame(ctx, "Outbox", "outbox"), "rows", rows);
    }

    private void cancel(Context ctx) {
        long id = id(ctx);
        try {
            PageGuard.session(ctx).client().cancel(id);
        } catch (FaxlanException e) {
            throw PageFailure.of("Cancelling job " + id, e, "/outbox");
        }
        ctx.redirect("/outbox?notice=" + URLEncoder.encode("Job " + id + " cancelled.", StandardCharsets.UTF_8));
    }

    /** Submits the job's documents again, as they were uploaded (the server has them by SHA-256), with its options. */
    private void resend(Context ctx) {
        long id = id(ctx);
        List<Long> made;
        try {
            var client = PageGuard.session(ctx).client();
            Job j = client.job(id);
            Map<String, Object> fields = j.fields().isEmpty() ? null : new LinkedHashMap<>(j.fields());
            JobMessage.Submit again = new JobMessage.Submit(List.of(j.to()), j.documents(), j.subject(), j.cover(), j.resolution(), null,
                    (long) j.priority(), fields);
            made = client.call(again).jobs().stream().map(JobMessage.Job::id).toList();
        } catch (FaxlanException e) {
            throw PageFailure.of("Resending job " + id, e, "/outbox");
        }
        ctx.redirect("/outbox?notice=" + URLEncoder.encode("Job " + id + " sent again as job " + made.get(0) + ".", StandardCharsets.UTF_8));
    }

    private static long id(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw PageFailure.badRequest("No such job: " + ctx.pathParam("id"), "/outbox");
        }
    }
}
