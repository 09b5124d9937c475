package dev.faxlan.web.page;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** What the pages' form handlers share: a field's value or null, and the redirect after a change that shows what was done. */
final class PageForms {
    private PageForms() {}

    /** The form field {@code name}, stripped; null when absent or blank. */
    static String field(Context ctx, String name) {
        return blankToNull(ctx.formParam(name));
    }

    /** The query parameter {@code name}, stripped; null when absent or blank. */
    static String query(Context ctx, String name) {
        return blankToNull(ctx.queryParam(name));
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** After a POST: to {@code path} (a page of ours), with {@code notice} shown there (303, so a reload does not post again). */
    static void done(Context ctx, String path, String notice) {
        ctx.redirect(path + (path.contains("?") ? "&" : "?") + "notice=" + URLEncoder.encode(notice, StandardCharsets.UTF_8), HttpStatus.SEE_OTHER);
    }

    /** A whole number from the path, or a "no such ..." page linking back to {@code back}. */
    static long pathId(Context ctx, String what, String back) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw PageFailure.badRequest("No such " + what + ": " + ctx.pathParam("id"), back);
        }
    }
}
