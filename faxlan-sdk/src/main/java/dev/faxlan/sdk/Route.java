package dev.faxlan.sdk;

import dev.faxlan.protocol.message.RouteMessage;

/** An inbound routing rule: where faxes matching it go, and its place in the order rules are tried. */
public record Route(long id, int position, Match match, String mailbox, long created, String forward) {

    /**
     * What a rule matches; each field null for "any", a trailing '*' for a prefix; {@code content}: words
     * that must all be on the fax's page 1 (any case), as the server's OCR read it. For a route test, the
     * values of a call instead (content: the text of its page 1).
     */
    public record Match(String did, String subaddress, String csid, String caller, String line, String content) {
        /** A match on the call alone. */
        public Match(String did, String subaddress, String csid, String caller, String line) {
            this(did, subaddress, csid, caller, line, null);
        }
    }

    /** The outcome of a route test: the mailbox, and the rule that chose it (null: none did). */
    public record Hit(String mailbox, Route route) {}

    static Route from(RouteMessage.Route r) {
        Match m = new Match(r.did(), r.subaddress(), r.csid(), r.caller(), r.line(), r.content());
        return new Route(r.id(), (int) FaxlanClient.or(r.position(), 0), m, r.mailbox(), FaxlanClient.or(r.created(), 0), r.forward());
    }
}
