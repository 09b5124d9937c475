package dev.faxlan.web.page;

import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.web.api.ApiProblem;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A page's request that the fax server refused or did not answer, shown to the user as a page (or,
 * to a script, as JSON {@code {"error": ...}}) with the server's words and the HTTP status that fits.
 * Its own type, so the pages' handler never catches the REST API's failures.
 */
final class PageFailure extends RuntimeException {
    private final HttpStatus status;
    private final String back;
    private final boolean sessionGone;

    private PageFailure(String message, HttpStatus status, String back, boolean sessionGone, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.back = back;
        this.sessionGone = sessionGone;
    }

    /** The server's failure {@code e} while doing {@code what} ("Cancel job 12"); the page links back to {@code back}. */
    static PageFailure of(String what, FaxlanException e, String back) {
        // The server no longer knows this user's login (password changed elsewhere, account removed).
        boolean gone = e instanceof FaxlanException.AuthenticationFailed;
        return new PageFailure(what + " failed: " + Pages.say(e), Pages.status(e), back, gone, e);
    }

    /** A request the page itself finds wrong (no document, a file that cannot be faxed). */
    static PageFailure badRequest(String message, String back) {
        return new PageFailure(message, HttpStatus.BAD_REQUEST, back, false, null);
    }

    /** The web process's own refusal of a request (a webhook URL it does not post to), with its status and words. */
    static PageFailure of(String what, ApiProblem p, String back) {
        return new PageFailure(what + " failed: " + p.getMessage(), HttpStatus.forStatus(p.status()), back, false, p);
    }

    /** Something of the user's that is not there, or is another user's (which the page does not tell apart). */
    static PageFailure notFound(String message, String back) {
        return new PageFailure(message, HttpStatus.NOT_FOUND, back, false, null);
    }

    void show(Context ctx, Pages pages, BrowserSessions sessions) {
        if (sessionGone) {
            sessions.end(ctx.cookie(PageGuard.SESSION_COOKIE));
            PageGuard.setCookie(ctx, PageGuard.SESSION_COOKIE, "", 0);
        }
        ctx.status(status);
        String accept = ctx.header("Accept");
        if (accept != null && accept.contains("application/json")) {
            ctx.json(Map.of("error", getMessage()));
        } else if (sessionGone) {
            ctx.redirect("/login?notice=" + URLEncoder.encode(getMessage() + " Log in again.", StandardCharsets.UTF_8), HttpStatus.SEE_OTHER);
        } else {
            pages.render(ctx, "problem.jte", pages.frame(ctx, "Not done", null).withError(getMessage()), "back", back);
        }
    }
}
