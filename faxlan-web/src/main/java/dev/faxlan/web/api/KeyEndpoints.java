package dev.faxlan.web.api;

import dev.faxlan.protocol.message.ApiKeyMessage;
import dev.faxlan.sdk.ApiKey;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;

/** The user's API keys: {@code /api/v1/keys}, as {@code faxlan apikey} manages them. */
final class KeyEndpoints {
    private final ApiCaller caller;

    KeyEndpoints(ApiCaller caller) {
        this.caller = caller;
    }

    @ApiDoc("An API key; key is the whole secret, only in the answer that created it (a repeat of that request answers without it)")
    public record Key(long id, String label, String user, String prefix, Instant created, @Nullable Instant lastUsed, @Nullable String key) {
        static Key of(ApiKey k) {
            return new Key(k.id(), k.label(), k.user(), k.prefix(), k.created(), k.lastUsed(), k.key());
        }
    }

    @ApiDoc("The user's API keys, oldest first (administrators: everyone's with all=true)")
    public record Keys(List<Key> items) {}

    @ApiDoc("A new API key's label")
    public record NewKey(String label) {}

    void addTo(ApiRoutes api, Javalin app) {
        api.add(app, Endpoint.get("/keys").summary("The user's API keys, never their secrets")
                .query("all", Boolean.class, false, "every user's keys (administrators only)")
                .responds(200, Keys.class).errors(400, 403).handle(ctx -> {
                    boolean all = "true".equals(ctx.queryParam("all"));
                    ctx.json(new Keys(caller.with(ctx, c -> c.apiKeys(all)).stream().map(Key::of).toList()));
                }));
        api.add(app, Endpoint.post("/keys").summary("Make an API key for the user; the answer holds the key, shown this once")
                .header(Idempotency.HEADER, false, "a repeat with the same key and body answers the first key's record, without its secret")
                .jsonBody(NewKey.class).responds(201, Key.class).errors(400, 422).handle(this::create));
        api.add(app, Endpoint.delete("/keys/{id}").summary("Revoke an API key: it logs in no more, and its sessions end")
                .pathId("id", "the key's id").responds(200, Key.class).errors(404).handle(ctx -> {
                    long id = FaxEndpoints.id(ctx);
                    ApiKey revoked = caller.with(ctx, c -> c.revokeApiKey(id));
                    ctx.json(Key.of(revoked));
                }));
    }

    private void create(Context ctx) {
        NewKey body = JsonBodies.required(ctx, NewKey.class);
        if (body.label() == null || body.label().isBlank()) throw ApiProblem.badRequest("label is missing: {\"label\": \"records system\"}");
        byte[] key = Idempotency.cpiKey(ctx, "apikey.create");
        ApiKeyMessage.CreatedKey k = caller.with(ctx, c -> Idempotency.call(c, new ApiKeyMessage.CreateKey(body.label(), null), key));
        ctx.status(201).json(new Key(k.id(), k.label(), k.user(), k.prefix(), Instant.ofEpochMilli(k.created()), null, k.key()));
    }
}
