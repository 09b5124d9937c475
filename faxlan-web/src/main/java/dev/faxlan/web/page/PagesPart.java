package dev.faxlan.web.page;

import dev.faxlan.web.WebPart;
import dev.faxlan.web.WebSettings;
import dev.faxlan.web.cpi.UserClients;
import dev.faxlan.web.webhook.Webhooks;
import io.javalin.Javalin;
import io.javalin.http.HttpStatus;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;

/**
 * The web FaxMain: server-rendered pages (jte templates, a little JavaScript from {@code /assets/}),
 * each browser logged in as its own CPI session (docs/web.md, "Pages"). {@link PageGuard} guards
 * every path outside {@code /api/}.
 */
public final class PagesPart implements WebPart {
    /** The files under {@code /assets/}: only these, so no request names a resource of its own choosing. */
    private static final Map<String, String> ASSETS = Map.of(
            "faxlan.css", "text/css; charset=utf-8",
            "send.js", "text/javascript; charset=utf-8",
            "outbox.js", "text/javascript; charset=utf-8",
            "viewer.js", "text/javascript; charset=utf-8");
    /** Received faxes whose pictures the pages keep at most (each a TIFF, its page PNGs and PDF: about 1 MB). */
    static final int CACHED_FAXES = 200;

    private final BrowserSessions sessions;
    private final Pages pages = new Pages();
    private final ReceivedFaxCache faxCache;
    private final Webhooks webhooks;

    /** {@code webhooks}: the REST API's, which the webhooks page registers with too (its owner closes it). */
    public PagesPart(WebSettings settings, UserClients clients, Webhooks webhooks) {
        this.webhooks = webhooks;
        this.sessions = new BrowserSessions(clients, settings.sessionIdle(), Clock.systemUTC());
        this.faxCache = new ReceivedFaxCache(settings.dataDirectory().resolve("fax-cache"), CACHED_FAXES);
    }

    @Override
    public void addTo(Javalin app) {
        PageGuard guard = new PageGuard(sessions);
        app.before(guard::before);
        app.get("/assets/{name}", ctx -> {
            String type = ASSETS.get(ctx.pathParam("name"));
            InputStream in = type == null ? null : PagesPart.class.getResourceAsStream("assets/" + ctx.pathParam("name"));
            if (in == null) {
                ctx.status(HttpStatus.NOT_FOUND).result("no such file");
                return;
            }
            try (in) {
                ctx.contentType(type).header("Cache-Control", "no-cache").result(in.readAllBytes());
            }
        });
        new SessionPages(sessions, pages).addTo(app);
        new OutboxPage(pages).addTo(app);
        new SendPage(pages).addTo(app);
        new InboxPage(pages, faxCache).addTo(app);
        new PhonebookPage(pages).addTo(app);
        new ApiKeysPage(pages).addTo(app);
        new WebhooksPage(pages, webhooks).addTo(app);
        new AdminPages(pages).addTo(app);
        new RoutesPage(pages).addTo(app);
        new CoversPage(pages).addTo(app);
        new LinesPage(pages).addTo(app);
        app.exception(PageFailure.class, (e, ctx) -> e.show(ctx, pages, sessions));
    }

    @Override
    public void close() {
        sessions.close();
        faxCache.close();
    }

}
