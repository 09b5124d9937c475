package dev.faxlan.protocol.message;

import java.util.List;

/** {@code route.list}, {@code route.add}, {@code route.remove} and {@code route.test}. */
public sealed interface RouteMessage {
    record ListRoutes() implements RouteMessage, CpiRequest<Routes> {}

    record Routes(List<Route> routes) implements RouteMessage {}

    /** Each pattern absent for "any", a trailing '*' for a prefix; {@code position} 1-based, absent to append. */
    record AddRoute(@MayBeAbsent String did, @MayBeAbsent String subaddress, @MayBeAbsent String csid, @MayBeAbsent String caller,
            @MayBeAbsent String line, String mailbox, @MayBeAbsent String forward, @MayBeAbsent Long position)
            implements RouteMessage, CpiRequest<OneRoute> {}

    record OneRoute(Route route) implements RouteMessage {}

    record RemoveRoute(long route) implements RouteMessage, CpiRequest<Removed> {}

    record Removed(long route) implements RouteMessage {}

    /** The values of a call. */
    record TestRoute(@MayBeAbsent String did, @MayBeAbsent String subaddress, @MayBeAbsent String csid, @MayBeAbsent String caller,
            @MayBeAbsent String line) implements RouteMessage, CpiRequest<Tested> {}

    /** {@code route}: the rule that chose the mailbox, absent when none did. */
    record Tested(String mailbox, @MayBeAbsent Route route) implements RouteMessage {}

    record Route(long id, @MayBeAbsent Long position, @MayBeAbsent String did, @MayBeAbsent String subaddress, @MayBeAbsent String csid,
            @MayBeAbsent String caller, @MayBeAbsent String line, String mailbox, @MayBeAbsent String forward, @MayBeAbsent Long created) {}
}
