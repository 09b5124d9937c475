package dev.faxlan.web.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faxlan.sdk.FaxlanException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API's route table: every part that offers endpoints under {@link #BASE} adds them here
 * ({@link #add}), which routes them in Javalin and lists them in the OpenAPI document served at
 * {@code /api/v1/openapi.json}. Each handler runs inside the problem rendering: an {@link ApiProblem}
 * or a failed CPI call becomes an {@code application/problem+json} answer, anything else a 500 that
 * is logged. Unknown paths and methods under {@code /api/} are problems too (404, 405).
 */
public final class ApiRoutes {
    public static final String BASE = "/api/v1";
    public static final String DOCUMENT = BASE + "/openapi.json";
    private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);

    private final List<Endpoint> endpoints = new CopyOnWriteArrayList<>();
    private final String version;

    public ApiRoutes(String version) {
        this.version = version;
    }

    /** Routes {@code e} in {@code app} and lists it in the document. */
    public void add(Javalin app, Endpoint e) {
        if (endpoints.stream().anyMatch(x -> x.method() == e.method() && x.path().equals(e.path()))) {
            throw new IllegalArgumentException(e.method() + " " + e.path() + " is declared twice");
        }
        endpoints.add(e);
        app.addHttpHandler(e.method(), BASE + e.path(), ctx -> run(e, ctx));
    }

    /** The endpoints declared so far. */
    public List<Endpoint> endpoints() {
        return List.copyOf(endpoints);
    }

    /** The OpenAPI 3.1 document of every endpoint declared. */
    public ObjectNode document() {
        return OpenApiDocument.of(endpoints, version);
    }

    /** Adds the document itself and the problem answers for unknown paths and methods; once, by the API part. */
    void addDocumentAndFallbacks(Javalin app) {
        add(app, Endpoint.get("/openapi.json").summary("This OpenAPI 3.1 document").open().responds(200, null)
                .handle(ctx -> ctx.contentType("application/json").result(document().toString())));
        app.error(404, ctx -> {
            if (!ctx.path().startsWith("/api/") || isProblem(ctx)) return;
            Set<String> allowed = methodsAt(ctx.path());
            if (allowed.isEmpty()) {
                render(ctx, ApiProblem.notFound("no endpoint " + ctx.path() + "; the endpoints are listed in " + DOCUMENT));
            } else {
                ctx.header("Allow", String.join(", ", allowed));
                render(ctx, new ApiProblem(405, "Method not allowed", ctx.method() + " is not allowed on " + ctx.path()
                        + "; allowed: " + String.join(", ", allowed), "METHOD_NOT_ALLOWED"));
            }
        });
    }

    private static boolean isProblem(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith(ApiProblem.MEDIA_TYPE);
    }

    /** The methods declared for a concrete path, to tell a wrong method (405) from a wrong path (404). */
    private Set<String> methodsAt(String concretePath) {
        Set<String> methods = new TreeSet<>();
        for (Endpoint e : endpoints) {
            if (concretePath.matches(pattern(BASE + e.path()))) methods.add(e.method().name());
        }
        return methods;
    }

    /** A regular expression for a path template: the text as written, each {@code {name}} one or more characters of a segment. */
    static String pattern(String template) {
        String[] pieces = template.split("\\{[^}]*}", -1);
        StringBuilder b = new StringBuilder(Pattern.quote(pieces[0]));
        for (int i = 1; i < pieces.length; i++) b.append("[^/]+").append(Pattern.quote(pieces[i]));
        return b.toString();
    }

    private static void run(Endpoint e, Context ctx) {
        try {
            ctx.status(e.status());
            e.handler().handle(ctx);
        } catch (ApiProblem p) {
            render(ctx, p);
        } catch (FaxlanException f) {
            render(ctx, ApiProblem.from(f));
        } catch (Exception x) {
            log.warn("{} {} failed", ctx.method(), ctx.path(), x);
            render(ctx, new ApiProblem(500, "Internal error", "the web process failed; its log has details", "INTERNAL"));
        }
    }

    /** Answers {@code p} as a problem document. */
    public static void render(Context ctx, ApiProblem p) {
        if (p.status() == 401) ctx.header("WWW-Authenticate", "Bearer");
        ctx.status(p.status()).json(p.document()).contentType(ApiProblem.MEDIA_TYPE);
    }

    static boolean isMutating(HandlerType method) {
        return method == HandlerType.POST || method == HandlerType.PUT || method == HandlerType.DELETE || method == HandlerType.PATCH;
    }
}
