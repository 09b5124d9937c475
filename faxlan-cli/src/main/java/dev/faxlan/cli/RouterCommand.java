package dev.faxlan.cli;

import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.sdk.Route;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(mixinStandardHelpOptions = true, name = "router", description = {"Inbound routing rules that file received faxes in mailboxes (administrators).",
        "Rules are tried in order, the first match chooses the mailbox; faxes no rule matches go to Unaddressed. A value matches exactly, or by prefix when it ends in '*'; --content matches words of page 1."})
final class RouterCommand {
    static final Listing<Route> LISTING = Listing.<Route>of(List.of("POS", "ID", "DID", "SUBADDRESS", "CSID", "CALLER", "LINE", "CONTENT", "MAILBOX", "FORWARD"),
            r -> List.of(String.valueOf(r.position()), String.valueOf(r.id()), any(r.match().did()), any(r.match().subaddress()), any(r.match().csid()),
                    any(r.match().caller()), any(r.match().line()), r.match().content() == null ? "" : r.match().content(), r.mailbox(), r.forward() == null ? "" : r.forward()),
            RouterCommand::view).whenEmpty("no rules: every fax goes to Unaddressed");

    @Mixin
    ClientOptions client;

    /** The match options shared by add and test. */
    static final class MatchOptions {
        @Option(names = "--did", paramLabel = "NUMBER", description = "called number (DID)")
        String did;

        @Option(names = "--subaddress", paramLabel = "SUB", description = "T.30 subaddress")
        String subaddress;

        @Option(names = "--csid", paramLabel = "ID", description = "the sender's fax identification (CSID/TSI)")
        String csid;

        @Option(names = "--caller", paramLabel = "NUMBER", description = "calling number")
        String caller;

        @Option(names = "--line", paramLabel = "NAME", description = "the line the fax came in on")
        String line;

        @Option(names = "--content", paramLabel = "WORDS", description = {"words that must all be on page 1, in any case, as the server's OCR reads it"
                + " (needs tesseract on the server; the fax is filed once page 1 is read)", "for test: the text of page 1"})
        String content;

        Route.Match match() {
            return new Route.Match(did, subaddress, csid, caller, line, content);
        }
    }

    @Command(mixinStandardHelpOptions = true, name = "list", description = "List the rules in the order they are tried.")
    int list() {
        List<Route> routes;
        try (FaxlanClient c = client.connect()) {
            routes = c.routes();
        }
        LISTING.print(routes, client.json);
        return 0;
    }

    @Command(mixinStandardHelpOptions = true, name = "add", description = "Add a rule (last, or at --position).")
    int add(@ArgGroup(exclusive = false, multiplicity = "0..1") MatchOptions match,
            @Option(names = "--mailbox", required = true, paramLabel = "NAME", description = "where matching faxes go") String mailbox,
            @Option(names = "--position", paramLabel = "N", defaultValue = "0", description = "1-based place in the order (default: last)") int position,
            @Option(names = "--forward", paramLabel = "NUMBER", description = "also send each matching fax on to this number") String forward) {
        if (position < 0) throw new FaxlanException("--position must be 1 or more", 2);
        Route r;
        try (FaxlanClient c = client.connect()) {
            r = c.addRoute(match == null ? new Route.Match(null, null, null, null, null) : match.match(), mailbox, position, forward);
        }
        if (client.json) System.out.println(Json.write(view(r)));
        else System.out.println("added rule " + r.id() + " at position " + r.position() + " -> " + r.mailbox()
                + (r.forward() != null ? ", forwarded to " + r.forward() : ""));
        return 0;
    }

    @Command(mixinStandardHelpOptions = true, name = "remove", description = "Remove a rule by id.")
    int remove(@Parameters(paramLabel = "ID") long id) {
        try (FaxlanClient c = client.connect()) {
            c.removeRoute(id);
        }
        if (!client.json) System.out.println("removed rule " + id);
        else System.out.println(Json.write(Json.object("removed", id)));
        return 0;
    }

    @Command(mixinStandardHelpOptions = true, name = "test", description = "Show which rule a fax with these values would hit, and its mailbox.")
    int test(@ArgGroup(exclusive = false, multiplicity = "0..1") MatchOptions values) {
        Route.Hit hit;
        try (FaxlanClient c = client.connect()) {
            hit = c.testRoute(values == null ? new Route.Match(null, null, null, null, null) : values.match());
        }
        if (client.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mailbox", hit.mailbox());
            m.put("route", hit.route() == null ? null : view(hit.route()));
            System.out.println(Json.write(m));
        } else if (hit.route() == null) {
            System.out.println("no rule matches -> " + hit.mailbox());
        } else {
            System.out.println("rule " + hit.route().id() + " (position " + hit.route().position() + ") -> " + hit.mailbox());
        }
        return 0;
    }

    static Map<String, Object> view(Route r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("position", r.position());
        m.put("did", r.match().did());
        m.put("subaddress", r.match().subaddress());
        m.put("csid", r.match().csid());
        m.put("caller", r.match().caller());
        m.put("line", r.match().line());
        m.put("mailbox", r.mailbox());
        if (r.forward() != null) m.put("forward", r.forward());
        if (r.match().content() != null) m.put("content", r.match().content());
        return m;
    }

    private static String any(String s) {
        return s == null ? "*" : s;
    }
}
