package dev.faxlan.web;

import dev.faxlan.web.api.ApiCaller;
import dev.faxlan.web.api.ApiPart;
import dev.faxlan.web.api.ApiRoutes;
import dev.faxlan.web.cpi.UserClients;
import dev.faxlan.web.tls.HttpsConnector;
import dev.faxlan.web.tls.WebTls;
import dev.faxlan.web.page.PagesPart;
import dev.faxlan.web.webhook.WebhookEndpoints;
import dev.faxlan.web.webhook.Webhooks;
import io.javalin.Javalin;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP server of {@code faxlan web}: one Javalin instance that every part adds its routes to. */
public final class WebApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebApp.class);

    private final Javalin javalin;
    private final List<WebPart> parts;

    private final WebTls tls;

    private WebApp(Javalin javalin, List<WebPart> parts, WebTls tls) {
        this.javalin = javalin;
        this.parts = parts;
        this.tls = tls;
    }

    /** {@code https} or {@code http}. */
    public String scheme() {
        return tls == null ? "http" : "https";
    }

    /** Starts serving on {@code listen} (port 0: any free port, see {@link #port()}), over HTTPS as {@link WebTls#forListen} decides. */
    public static WebApp start(WebSettings settings, InetSocketAddress listen, UserClients clients) {
        try {
            return start(settings, listen, clients, WebTls.forListen(settings.tlsCertificate(), settings.tlsKey(), settings.dataDirectory(), listen));
        } catch (WebTls.Unusable e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Starts serving on {@code listen}, over HTTPS with {@code tls}, or plain HTTP when it is null. */
    public static WebApp start(WebSettings settings, InetSocketAddress listen, UserClients clients, WebTls tls) {
        List<WebPart> parts = new ArrayList<>(parts(settings, clients));
        Javalin javalin = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.maxRequestSize = settings.maxUploadBytes();
            if (tls != null) HttpsConnector.configure(config, listen, tls);
        });
        for (WebPart part : parts) part.addTo(javalin);
        try {
            javalin.start(listen.getAddress().getHostAddress(), listen.getPort());
        } catch (RuntimeException e) {
            parts.forEach(WebPart::close);
            throw e;
        }
        log.info("faxlan web listening on {}:{} for fax server {}", listen.getAddress().getHostAddress(), javalin.port(), clients.server());
        return new WebApp(javalin, parts, tls);
    }

    /** The parts of the web process, in the order their routes are added. */
    private static List<WebPart> parts(WebSettings settings, UserClients clients) {
        // One route table and one key-to-client cache for every part that offers REST endpoints.
        ApiRoutes api = new ApiRoutes(WebApp.class.getPackage().getImplementationVersion() == null ? "dev"
                : WebApp.class.getPackage().getImplementationVersion());
        ApiCaller apiCaller = new ApiCaller(clients::withApiKey, settings.sessionIdle());
        Webhooks webhooks = Webhooks.start(settings.dataDirectory(), settings.webhooks(), clients::withApiKey, settings.serverTimeout(), Clock.systemUTC());
        return List.of(new StatusPart(), new PagesPart(settings, clients, webhooks), new ApiPart(api, apiCaller, settings),
                new WebhookEndpoints(api, apiCaller, webhooks));
    }

    /** The port the server listens on. */
    public int port() {
        return javalin.port();
    }

    @Override
    public void close() {
        javalin.stop();
        parts.forEach(WebPart::close);
    }

    /** {@code GET /healthz}: whether the web process runs (not whether the fax server answers). */
    private static final class StatusPart implements WebPart {
        @Override
        public void addTo(Javalin app) {
            app.get("/healthz", ctx -> ctx.result("ok"));
        }
    }
}
