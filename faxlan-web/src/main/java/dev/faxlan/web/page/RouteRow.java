package dev.faxlan.web.page;

import dev.faxlan.sdk.Route;

/** A routing rule as the rules page shows it: "any" for a field the rule leaves open. */
public record RouteRow(long id, int position, String did, String subaddress, String csid, String caller, String line, String mailbox,
        String forward, String content) {
    static RouteRow of(Route r) {
        Route.Match m = r.match();
        return new RouteRow(r.id(), r.position(), any(m.did()), any(m.subaddress()), any(m.csid()), any(m.caller()), any(m.line()),
                r.mailbox(), r.forward() == null ? "" : r.forward(), any(m.content()));
    }

    private static String any(String s) {
        return s == null || s.isEmpty() ? "any" : s;
    }
}
