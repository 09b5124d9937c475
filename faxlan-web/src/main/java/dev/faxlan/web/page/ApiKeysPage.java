package dev.faxlan.web.page;

import dev.faxlan.sdk.ApiKey;
import dev.faxlan.sdk.FaxlanException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;

/**
 * The user's API keys for the REST API: create (the key is shown once, in the answer to the POST
 * itself, never in a link or a log), list and revoke. The server keeps only their hashes.
 */
final class ApiKeysPage {
    private final Pages pages;

    ApiKeysPage(Pages pages) {
        this.pages = pages;
    }

    void addTo(Javalin app) {
        app.get("/keys", ctx -> show(ctx, null));
        app.post("/keys", this::create);
        app.post("/keys/{id}/revoke", this::revoke);
    }

    private void show(Context ctx, ApiKey created) {
        List<ApiKey> keys;
        try {
            keys = PageGuard.session(ctx).client().apiKeys(false);
        } catch (FaxlanException e) {
            throw PageFailure.of("Listing your API keys", e, "/keys");
        }
        PageFrame frame = pages.frame(ctx, "API keys", "keys");
        pages.render(ctx, "keys.jte", created == null ? frame : frame.withNotice("API key " + created.prefix() + "… made."),
                "keys", keys.stream().map(KeyRow::of).toList(), "created", created == null ? null : created.key());
    }

    private void create(Context ctx) {
        String label = PageForms.field(ctx, "label");
        if (label == null) throw PageFailure.badRequest("Give the key a label that says what uses it.", "/keys");
        ApiKey key;
        try {
            key = PageGuard.session(ctx).client().createApiKey(label);
        } catch (FaxlanException e) {
            throw PageFailure.of("Creating API key " + label, e, "/keys");
        }
        // No redirect: the key is in this answer alone (no-store), not in a URL the browser keeps.
        ctx.status(HttpStatus.CREATED);
        show(ctx, key);
    }

    private void revoke(Context ctx) {
        long id = PageForms.pathId(ctx, "API key", "/keys");
        ApiKey revoked;
        try {
            revoked = PageGuard.session(ctx).client().revokeApiKey(id);
        } catch (FaxlanException e) {
            throw PageFailure.of("Revoking API key " + id, e, "/keys");
        }
        PageForms.done(ctx, "/keys", "API key " + revoked.prefix() + "… (" + revoked.label() + ") revoked.");
    }
}
