package dev.faxlan.web.page;

import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;

/** The server's fax lines and their state now ({@code line.list}, administrators only): a reload shows the state anew. */
final class LinesPage {
    private final Pages pages;

    LinesPage(Pages pages) {
        this.pages = pages;
    }

    void addTo(Javalin app) {
        app.get("/admin/lines", this::list);
    }

    private void list(Context ctx) {
        List<FaxlanClient.LineInfo> lines;
        try {
            lines = PageGuard.session(ctx).client().lines();
        } catch (FaxlanException e) {
            throw PageFailure.of("Listing the lines", e, "/admin");
        }
        pages.render(ctx, "lines.jte", pages.frame(ctx, "Lines", "admin"), "lines", lines);
    }
}
