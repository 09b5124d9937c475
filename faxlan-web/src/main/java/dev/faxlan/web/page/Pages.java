package dev.faxlan.web.page;

import dev.faxlan.sdk.FaxlanException;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders the jte templates (src/main/jte, compiled into {@code dev.faxlan.web.page.template} at
 * build time) and says the server's failures in words for a page.
 */
public final class Pages {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(null, ContentType.Html, Pages.class.getClassLoader(),
            "dev.faxlan.web.page.template");

    /** The frame of a page of the logged-in user of {@code ctx}. */
    public PageFrame frame(Context ctx, String title, String active) {
        BrowserSession s = PageGuard.session(ctx);
        return new PageFrame(title, active, s.user(), s.administrator(), s.csrfToken(), ctx.queryParam("notice"), null);
    }

    /** Renders {@code template} (a file name such as {@code "send.jte"}) with {@code frame} and the other parameters. */
    public void render(Context ctx, String template, PageFrame frame, Object... nameValuePairs) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("frame", frame);
        for (int i = 0; i < nameValuePairs.length; i += 2) params.put((String) nameValuePairs[i], nameValuePairs[i + 1]);
        StringOutput out = new StringOutput();
        engine.render(template, params, out);
        ctx.contentType("text/html; charset=utf-8").result(out.toString());
    }

    /** The HTTP status for a failure of the fax server: its refusal is the user's to fix, the rest is ours or the network's. */
    public static HttpStatus status(FaxlanException e) {
        if (e instanceof FaxlanException.Refused r) {
            return switch (r.code()) {
                case NOT_FOUND -> HttpStatus.NOT_FOUND;
                case PERMISSION_DENIED -> HttpStatus.FORBIDDEN;
                case AUTH_THROTTLED -> HttpStatus.TOO_MANY_REQUESTS;
                default -> HttpStatus.UNPROCESSABLE_CONTENT;
            };
        }
        if (e instanceof FaxlanException.Unreachable) return HttpStatus.BAD_GATEWAY;
        if (e instanceof FaxlanException.AuthenticationFailed) return HttpStatus.UNAUTHORIZED;
        return HttpStatus.BAD_GATEWAY;
    }

    /** The server's words for a failure, or what to do when it did not answer. */
    public static String say(FaxlanException e) {
        if (e instanceof FaxlanException.Unreachable) return "The fax server did not answer: try again in a moment.";
        return e.getMessage();
    }
}
