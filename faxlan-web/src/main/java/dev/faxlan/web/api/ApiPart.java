package dev.faxlan.web.api;

import dev.faxlan.web.WebPart;
import dev.faxlan.web.WebSettings;
import io.javalin.Javalin;

/**
 * The REST API under {@code /api/v1} (docs/web.md): its endpoints, the OpenAPI document and the
 * problem answers. Every request acts through the CPI client of its bearer key ({@link ApiCaller}).
 */
public final class ApiPart implements WebPart {
    private final ApiRoutes routes;
    private final ApiCaller caller;
    private final WebSettings settings;

    /** {@code routes} and {@code caller} are shared with the other parts that offer API endpoints (webhooks). */
    public ApiPart(ApiRoutes routes, ApiCaller caller, WebSettings settings) {
        this.routes = routes;
        this.caller = caller;
        this.settings = settings;
    }

    @Override
    public void addTo(Javalin app) {
        MultipartLimits multipart = new MultipartLimits(settings.dataDirectory(), settings.maxUploadBytes());
        routes.addDocumentAndFallbacks(app);
        new FaxEndpoints(caller, multipart, settings.dataDirectory()).addTo(routes, app);
        new InboxEndpoints(caller, settings.dataDirectory()).addTo(routes, app);
        new DirectoryEndpoints(caller).addTo(routes, app);
        new KeyEndpoints(caller).addTo(routes, app);
    }

    @Override
    public void close() {
        caller.close();
    }
}
