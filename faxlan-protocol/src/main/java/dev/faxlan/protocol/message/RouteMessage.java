package dev.faxlan.protocol.message;

import java.util.List;

/** {@code route.list}, {@code route.add}, {@code route.remove} and {@code route.test}. */
public sealed interface RouteMessage {
    record ListRoutes() implements RouteMessage, CpiRequest<Routes> {}

    record Routes(List<Route> routes) implements RouteMessage {}

    /**
     * Each pattern absent for "any", a trailing '*' for a prefix; {@code content}: words that must all be on
     * page 1 of the fax (any case); {@code position} 1-based, absent to append.
     */
    record AddRoute(@MayBeAbsent String did, @MayBeAbsent String subaddress, @MayBeAbsent String csid, @MayBeAbsent String caller,
            @MayBeAbsent String line, String mailbox, @MayBeAbsent String forward, @MayBeAbsent Long position, @MayBeAbsent String content)
            implements RouteMessage, CpiRequest<OneRoute> {
        public AddRoute(String did, String subaddress, String csid, String caller, String line, String mailbox, String forward, Long position) {
            this(did, subaddress, csid, caller, line, mailbox, forward, position, null);
        }
    }

    record OneRoute(Route route) implements RouteMessage {}

    record RemoveRoute(long route) implements RouteMessage, CpiRequest<Removed> {}

    record Removed(long route) implements RouteMessage {}

    /** The values of a call; {@code content}: the text of its page 1. */
    record TestRoute(@MayBeAbsent String did, @MayBeAbsent String subaddress, @MayBeAbsent String csid, @MayBeAbsent String caller,
            @MayBeAbsent String line, @MayBeAbsent String content) implements RouteMessage, CpiRequest<Tested> {
        public TestRoute(String did, String subaddress, String csid, String caller, String line) {
            this(did, subaddress, csid, caller, line, null);
        }
    }

    /** {@code route}: the rule that chose the mailbox, absent when none did. */
    record Tested(String mailbox, @MayBeAbsent Route route) implements RouteMessage {}

    record Route(long id, @MayBeAbsent Long position, @MayBeAbsent String did, @MayBeAbsent String subaddress, @MayBeAbsent String csid,
            @MayBeAbsent String caller, @MayBeAbsent String line, String mailbox, @MayBeAbsent String forward, @MayBeAbsent Long created,
            @MayBeAbsent String content) {
        public Route(long id, Long position, String did, String subaddress, String csid, String caller, String line, String mailbox, String forward,
                Long created) {
            this(id, position, did, subaddress, csid, caller, line, mailbox, forward, created, null);
        }
    }
}
