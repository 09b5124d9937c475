package dev.faxlan.web.page;

import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.sdk.Route;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;

/**
 * Routing rules (administrators): the rules in the order they are tried, add one at a position,
 * remove one, and the tester "which rule would take this fax" ({@code route.test}), a GET since it
 * changes nothing, so its result has a link of its own.
 */
final class RoutesPage {
    private static final String PATH = "/admin/routes";
    private final Pages pages;

    RoutesPage(Pages pages) {
        this.pages = pages;
    }

    void addTo(Javalin app) {
        app.get(PATH, this::list);
        app.post(PATH, this::add);
        app.post(PATH + "/{id}/remove", this::remove);
    }

    private void list(Context ctx) {
        FaxlanClient client = PageGuard.session(ctx).client();
        List<RouteRow> routes;
        List<String> mailboxes;
        Route.Match test = match(ctx.queryParam("test") != null ? ctx::queryParam : name -> null);
        RouteTest tested = null;
        try {
            routes = client.routes().stream().map(RouteRow::of).toList();
            mailboxes = client.mailboxes().stream().map(FaxlanClient.MailboxInfo::name).toList();
            if (ctx.queryParam("test") != null) {
                Route.Hit hit = client.testRoute(test);
                tested = new RouteTest(hit.mailbox(), hit.route() == null ? null : RouteRow.of(hit.route()));
            }
        } catch (FaxlanException e) {
            throw PageFailure.of(ctx.queryParam("test") != null ? "Testing the rules" : "Listing routing rules", e, PATH);
        }
        pages.render(ctx, "routes.jte", pages.frame(ctx, "Routing rules", "admin"), "routes", routes, "mailboxes", mailboxes,
                "test", test, "tested", tested);
    }

    private void add(Context ctx) {
        String mailbox = PageForms.field(ctx, "mailbox");
        if (mailbox == null) throw PageFailure.badRequest("Choose the mailbox the rule delivers to.", PATH);
        int position = 0;
        String p = PageForms.field(ctx, "position");
        if (p != null) {
            try {
                position = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                position = -1;
            }
            if (position < 0) throw PageFailure.badRequest("Position must be 1 or more (empty: after the last rule), not " + p + ".", PATH);
        }
        Route added;
        try {
            added = PageGuard.session(ctx).client().addRoute(match(name -> PageForms.field(ctx, name)), mailbox, position,
                    PageForms.field(ctx, "forward"));
        } catch (FaxlanException e) {
            throw PageFailure.of("Adding the rule", e, PATH);
        }
        PageForms.done(ctx, PATH, "Rule " + added.id() + " added at position " + added.position() + ": to " + added.mailbox() + ".");
    }

    private void remove(Context ctx) {
        long id = PageForms.pathId(ctx, "rule", PATH);
        try {
            PageGuard.session(ctx).client().removeRoute(id);
        } catch (FaxlanException e) {
            throw PageFailure.of("Removing rule " + id, e, PATH);
        }
        PageForms.done(ctx, PATH, "Rule " + id + " removed.");
    }

    private interface Fields {
        String get(String name);
    }

    /** The match fields of a form (the rule) or of the tester's query (a call's values); blank is "any". */
    private static Route.Match match(Fields f) {
        return new Route.Match(PageForms.blankToNull(f.get("did")), PageForms.blankToNull(f.get("subaddress")),
                PageForms.blankToNull(f.get("csid")), PageForms.blankToNull(f.get("caller")), PageForms.blankToNull(f.get("line")),
                PageForms.blankToNull(f.get("content")));
    }
}
