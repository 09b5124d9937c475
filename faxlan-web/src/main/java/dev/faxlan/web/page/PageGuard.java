package dev.faxlan.web.page;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * What runs before every page handler: the security headers, the browser session (from its cookie)
 * and the CSRF check of every request that changes something. It guards every path outside the REST
 * API ({@code /api/}), so a page added later is protected without doing anything.
 */
final class PageGuard {
    static final String SESSION_COOKIE = "faxlan_session";
    /** Before login there is no session to hold a token: the login form's token is also in this cookie (double submit). */
    static final String LOGIN_COOKIE = "faxlan_login";
    static final String CSRF_FIELD = "_csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final String SESSION = "faxlan.session";

    // Scripts and styles only from this server's own files: no inline script runs, whatever a page shows.
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
    private static final Set<String> PUBLIC = Set.of("/login", "/healthz");
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final BrowserSessions sessions;

    PageGuard(BrowserSessions sessions) {
        this.sessions = sessions;
    }

    /** Whether {@code path} is one of the pages' (the REST API has its own authentication and headers). */
    static boolean guarded(String path) {
        return !path.equals("/api") && !path.startsWith("/api/");
    }

    void before(Context ctx) {
        if (!guarded(ctx.path())) return;
        securityHeaders(ctx);
        String path = ctx.path();
        if (PUBLIC.contains(path) || path.startsWith("/assets/")) {
            if ("/login".equals(path) && !safe(ctx) && !loginTokenMatches(ctx)) refuseCsrf(ctx);
            return;
        }
        Optional<BrowserSession> session = sessions.find(ctx.cookie(SESSION_COOKIE));
        if (session.isEmpty()) {
            if (safe(ctx) && !path.endsWith("/events")) {
                ctx.redirect("/login");
            } else {
                ctx.status(HttpStatus.UNAUTHORIZED).contentType("text/plain; charset=utf-8").result("Not logged in, or the session expired: log in again.");
            }
            ctx.skipRemainingHandlers();
            return;
        }
        if (!safe(ctx) && !session.get().csrfMatches(presentedToken(ctx))) {
            refuseCsrf(ctx);
            return;
        }
        ctx.attribute(SESSION, session.get());
    }

    /** The session the guard found for this request (every page but the public ones has one). */
    static BrowserSession session(Context ctx) {
        BrowserSession s = ctx.attribute(SESSION);
        if (s == null) throw new IllegalStateException("no browser session on " + ctx.path());
        return s;
    }

    static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        // Pages show faxes and jobs: no copy is kept by the browser or anything in between.
        ctx.header("Cache-Control", "no-store");
    }

    private static boolean safe(Context ctx) {
        return SAFE_METHODS.contains(ctx.method().name());
    }

    private static String presentedToken(Context ctx) {
        String header = ctx.header(CSRF_HEADER);
        return header != null ? header : ctx.formParam(CSRF_FIELD);
    }

    private static boolean loginTokenMatches(Context ctx) {
        String cookie = ctx.cookie(LOGIN_COOKIE);
        String presented = presentedToken(ctx);
        return cookie != null && presented != null && cookie.length() >= 20
                && MessageDigest.isEqual(cookie.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    private static void refuseCsrf(Context ctx) {
        ctx.status(HttpStatus.FORBIDDEN).contentType("text/plain; charset=utf-8")
                .result("Refused: the form's security token is missing or out of date (CSRF check). Reload the page and try again.");
        ctx.skipRemainingHandlers();
    }

    /**
     * A cookie the pages set: HttpOnly and SameSite=Strict always, Secure when the request came over
     * HTTPS. {@code maxAgeSeconds} 0 deletes it; negative: until the browser closes.
     */
    static void setCookie(Context ctx, String name, String value, int maxAgeSeconds) {
        StringBuilder c = new StringBuilder(name).append('=').append(value).append("; Path=/; HttpOnly; SameSite=Strict");
        if (maxAgeSeconds >= 0) c.append("; Max-Age=").append(maxAgeSeconds);
        if (ctx.req().isSecure()) c.append("; Secure");
        ctx.res().addHeader("Set-Cookie", c.toString());
    }
}
