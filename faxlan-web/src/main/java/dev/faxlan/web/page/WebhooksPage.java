package dev.faxlan.web.page;

import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.web.api.ApiProblem;
import dev.faxlan.web.webhook.DeliveryAttempt;
import dev.faxlan.web.webhook.Webhook;
import dev.faxlan.web.webhook.WebhookEvent;
import dev.faxlan.web.webhook.Webhooks;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;

/**
 * The user's webhooks (docs/web.md, "Webhooks"): register (the signing secret is shown once, in the
 * answer to the POST itself), list, remove, and each one's delivery log. Registration is the REST API's
 * own, {@link Webhooks#register}, with the browser session's client making the webhook's API key.
 */
final class WebhooksPage {
    /** Attempts the delivery log page shows, newest first. */
    static final int LOG_SHOWN = 200;

    private final Pages pages;
    private final Webhooks webhooks;

    WebhooksPage(Pages pages, Webhooks webhooks) {
        this.pages = pages;
        this.webhooks = webhooks;
    }

    void addTo(Javalin app) {
        app.get("/webhooks", ctx -> show(ctx, null));
        app.post("/webhooks", this::register);
        app.post("/webhooks/{id}/remove", this::remove);
        app.get("/webhooks/{id}", this::deliveries);
    }

    private void show(Context ctx, Webhook registered) {
        List<WebhookRow> rows = webhooks.list(PageGuard.session(ctx).user()).stream().map(WebhookRow::of).toList();
        PageFrame frame = pages.frame(ctx, "Webhooks", "webhooks");
        pages.render(ctx, "webhooks.jte", registered == null ? frame : frame.withNotice("Webhook " + registered.id() + " registered."),
                "webhooks", rows, "types", WebhookEvent.TYPES, "secret", registered == null ? null : registered.secret());
    }

    private void register(Context ctx) {
        String url = PageForms.field(ctx, "url");
        if (url == null) throw PageFailure.badRequest("Give the URL the events are posted to.", "/webhooks");
        List<String> chosen = ctx.formParams("event");
        if (chosen.isEmpty()) throw PageFailure.badRequest("Choose at least one event type.", "/webhooks");
        // Every box ticked means every type, also types added later, as an API registration without "events".
        List<String> events = chosen.containsAll(WebhookEvent.TYPES) ? List.of() : chosen;
        Webhook webhook;
        try {
            webhook = webhooks.register(PageGuard.session(ctx).client(), null, url, events);
        } catch (FaxlanException e) {
            throw PageFailure.of("Registering the webhook", e, "/webhooks");
        } catch (ApiProblem e) {
            throw PageFailure.of("Registering the webhook", e, "/webhooks");
        }
        // No redirect: the secret is in this answer alone (no-store), not in a URL the browser keeps.
        ctx.status(HttpStatus.CREATED);
        show(ctx, webhook);
    }

    private void remove(Context ctx) {
        long id = PageForms.pathId(ctx, "webhook", "/webhooks");
        BrowserSession session = PageGuard.session(ctx);
        boolean removed;
        try {
            removed = webhooks.remove(session.client(), session.user(), id);
        } catch (FaxlanException e) {
            throw PageFailure.of("Removing webhook " + id, e, "/webhooks");
        }
        if (!removed) throw PageFailure.notFound("No such webhook: " + id, "/webhooks");
        PageForms.done(ctx, "/webhooks", "Webhook " + id + " removed, and its API key revoked.");
    }

    private void deliveries(Context ctx) {
        long id = PageForms.pathId(ctx, "webhook", "/webhooks");
        String user = PageGuard.session(ctx).user();
        // Another user's webhook is not found, as the REST API and the fax server answer.
        Webhook webhook = webhooks.owned(user, id).orElseThrow(() -> PageFailure.notFound("No such webhook: " + id, "/webhooks"));
        List<DeliveryAttempt> log = webhooks.deliveries(user, id, LOG_SHOWN).orElse(List.of());
        pages.render(ctx, "webhook.jte", pages.frame(ctx, "Webhook " + id, "webhooks"), "webhook", WebhookRow.of(webhook),
                "deliveries", log.stream().map(DeliveryRow::of).toList(), "shown", LOG_SHOWN);
    }
}
