package dev.faxlan.web.webhook;

import dev.faxlan.web.WebPart;
import dev.faxlan.web.api.ApiCaller;
import dev.faxlan.web.api.ApiDoc;
import dev.faxlan.web.api.ApiProblem;
import dev.faxlan.web.api.ApiRoutes;
import dev.faxlan.web.api.Endpoint;
import dev.faxlan.web.api.Idempotency;
import dev.faxlan.web.api.Nullable;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;

/**
 * The webhook endpoints of the REST API (docs/web.md, "Webhooks"): register, list, remove, and the
 * delivery log. A caller sees and removes only the webhooks of its own user; another user's is not found.
 */
public final class WebhookEndpoints implements WebPart {
    static final int DEFAULT_LOG_LIMIT = 100;
    static final int MAX_LOG_LIMIT = 1000;

    private final ApiRoutes routes;
    private final ApiCaller caller;
    private final Webhooks webhooks;

    public WebhookEndpoints(ApiRoutes routes, ApiCaller caller, Webhooks webhooks) {
        this.routes = routes;
        this.caller = caller;
        this.webhooks = webhooks;
    }

    @ApiDoc("A webhook to register: the URL events are posted to, and the event types (none or empty: all)")
    public record NewWebhook(String url, @Nullable List<String> events) {}

    @ApiDoc("A new webhook; its secret signs the deliveries and is shown in this answer only")
    public record RegisteredWebhook(long id, String url, List<String> events, Instant created, String secret) {}

    @ApiDoc("A webhook: where the user's fax events are posted (events empty: all); stopped says why deliveries stopped, if they did")
    public record WebhookView(long id, String url, List<String> events, Instant created, @Nullable String stopped) {
        static WebhookView of(Webhook w) {
            return new WebhookView(w.id(), w.url().toString(), WebhookEndpoints.events(w), w.created(), w.stopped());
        }
    }

    @ApiDoc("The user's webhooks, oldest first")
    public record WebhookList(List<WebhookView> items) {}

    @ApiDoc("One attempt to deliver an event: the receiver's HTTP status, or the error when there was none; outcome delivered, retry or given-up")
    public record Delivery(String eventId, String eventType, int attempt, Instant at, @Nullable Integer status, @Nullable String error, long durationMs,
            String outcome) {
        static Delivery of(DeliveryAttempt a) {
            return new Delivery(a.eventId(), a.eventType(), a.attempt(), a.at(), a.status(), a.error(), a.duration().toMillis(), a.outcome().wire());
        }
    }

    @ApiDoc("A webhook's delivery log, newest attempt first")
    public record DeliveryLog(List<Delivery> items) {}

    @Override
    public void addTo(Javalin app) {
        routes.add(app, Endpoint.post("/webhooks").summary("Register a webhook")
                .description("Posts the user's fax events to url, signed with the secret this answer gives once (docs/web.md, Webhooks)")
                .header(Idempotency.HEADER, false, "a repeat with the same key and body answers the first webhook and makes no other")
                .jsonBody(NewWebhook.class).responds(201, RegisteredWebhook.class).errors(400, 409, 422).handle(this::register));
        routes.add(app, Endpoint.get("/webhooks").summary("The user's webhooks").responds(200, WebhookList.class).handle(this::list));
        routes.add(app, Endpoint.delete("/webhooks/{id}").summary("Remove a webhook and revoke its API key").pathId("id", "the webhook's id")
                .responds(204, null).errors(404).handle(this::remove));
        routes.add(app, Endpoint.get("/webhooks/{id}/deliveries").summary("A webhook's delivery log, newest attempt first")
                .pathId("id", "the webhook's id")
                .query("limit", Integer.class, false, "attempts, 1 to " + MAX_LOG_LIMIT + " (default " + DEFAULT_LOG_LIMIT + ")")
                .responds(200, DeliveryLog.class).errors(400, 404).handle(this::deliveries));
    }

    private void register(Context ctx) {
        NewWebhook body;
        try {
            body = ctx.bodyAsClass(NewWebhook.class);
        } catch (RuntimeException e) {
            throw ApiProblem.badRequest("the body must be JSON: {\"url\": \"https://...\", \"events\": [\"fax.sent\", ...]}");
        }
        if (body == null) throw ApiProblem.badRequest("the body must be JSON: {\"url\": \"https://...\", \"events\": [...]}");
        byte[] key = Idempotency.cpiKey(ctx, "webhook");
        Webhook w = caller.with(ctx, c -> webhooks.register(c, key, body.url(), body.events()));
        ctx.status(201).json(new RegisteredWebhook(w.id(), w.url().toString(), events(w), w.created(), w.secret()));
    }

    private void list(Context ctx) {
        List<Webhook> own = caller.with(ctx, c -> webhooks.list(c.user()));
        ctx.json(new WebhookList(own.stream().map(WebhookView::of).toList()));
    }

    private void remove(Context ctx) {
        long id = id(ctx);
        boolean removed = caller.with(ctx, c -> webhooks.remove(c, c.user(), id));
        if (!removed) throw ApiProblem.notFound("no webhook " + id);
        ctx.status(204);
    }

    private void deliveries(Context ctx) {
        long id = id(ctx);
        int limit = limit(ctx.queryParam("limit"));
        List<DeliveryAttempt> log = caller.with(ctx, c -> webhooks.deliveries(c.user(), id, limit))
                .orElseThrow(() -> ApiProblem.notFound("no webhook " + id));
        ctx.json(new DeliveryLog(log.stream().map(Delivery::of).toList()));
    }

    static List<String> events(Webhook w) {
        return w.events().stream().sorted(java.util.Comparator.comparingInt(WebhookEvent.TYPES::indexOf)).toList();
    }

    private static long id(Context ctx) {
        String v = ctx.pathParam("id");
        try {
            long id = Long.parseLong(v);
            if (id > 0) return id;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiProblem.notFound("no webhook " + v);
    }

    private static int limit(String v) {
        if (v == null) return DEFAULT_LOG_LIMIT;
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= MAX_LOG_LIMIT) return n;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiProblem.badRequest("limit must be a whole number from 1 to " + MAX_LOG_LIMIT + ", not '" + v + "'");
    }

    @Override
    public void close() {
        webhooks.close();
    }
}
