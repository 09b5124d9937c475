package dev.faxlan.sdk;

import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.Fields;

/** An inbound routing rule: where faxes matching it go, and its place in the order rules are tried. */
public record Route(long id, int position, Match match, String mailbox, long created, String forward) {

    /**
     * What a rule matches; each field null for "any", a trailing '*' for a prefix. For a route test,
     * the values of a call instead.
     */
    public record Match(String did, String subaddress, String csid, String caller, String line) {
        Fields.Builder into(Fields.Builder b) {
            return b.put("did", did).put("subaddress", subaddress).put("csid", csid).put("caller", caller).put("line", line);
        }
    }

    /** The outcome of a route test: the mailbox, and the rule that chose it (null: none did). */
    public record Hit(String mailbox, Route route) {}

    static Route from(Fields f) throws CpiException {
        Match m = new Match(f.string("did", null), f.string("subaddress", null), f.string("csid", null), f.string("caller", null),
                f.string("line", null));
        return new Route(f.integer("id"), (int) f.integer("position", 0), m, f.string("mailbox"), f.integer("created", 0), f.string("forward", null));
    }
}
