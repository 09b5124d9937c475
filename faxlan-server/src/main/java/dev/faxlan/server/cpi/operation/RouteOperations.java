package dev.faxlan.server.cpi.operation;

import static dev.faxlan.server.cpi.operation.Operations.encode;

import dev.faxlan.documents.ocr.PageText;
import dev.faxlan.protocol.Op;
import dev.faxlan.protocol.message.RouteMessage;
import dev.faxlan.server.core.Checks;
import dev.faxlan.server.core.routing.RouteService;
import dev.faxlan.server.routing.Router;
import dev.faxlan.server.storage.Routes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/** {@code route.*}, the administrators' alone: checked before the body is read, so a user is refused whatever they send. */
final class RouteOperations {
    private final RouteService routes;

    RouteOperations(RouteService routes) {
        this.routes = routes;
    }

    void register(Operations ops) {
        ops.query(Op.ROUTE_LIST, call -> {
            Checks.requireAdmin(call.caller());
            call.body(RouteMessage.ListRoutes.class);
            List<RouteMessage.Route> out = new ArrayList<>();
            for (RouteService.Rule r : routes.list(call.caller())) out.add(rule(r));
            return encode(new RouteMessage.Routes(out));
        });
        ops.query(Op.ROUTE_TEST, call -> {
            Checks.requireAdmin(call.caller());
            RouteMessage.TestRoute r = call.body(RouteMessage.TestRoute.class);
            Router.Call asked = new Router.Call(orEmpty(r.did()), orEmpty(r.subaddress()), orEmpty(r.csid()), orEmpty(r.caller()), orEmpty(r.line()),
                    r.content() == null ? null : new HashSet<>(PageText.searchWords(r.content())));
            RouteService.Tested tested = routes.test(call.caller(), asked);
            return encode(new RouteMessage.Tested(tested.mailbox(), tested.rule() != null ? rule(tested.rule()) : null));
        });
        ops.command(Op.ROUTE_ADD, call -> {
            Checks.requireAdmin(call.caller());
            RouteMessage.AddRoute r = call.body(RouteMessage.AddRoute.class);
            Routes.Match match = new Routes.Match(r.did(), r.subaddress(), r.csid(), r.caller(), r.line(), r.content());
            RouteService.NewRule rule = new RouteService.NewRule(match, r.mailbox(), r.position(), r.forward());
            return (c, after) -> encode(new RouteMessage.OneRoute(rule(routes.add(c, call.caller(), rule))));
        });
        ops.command(Op.ROUTE_REMOVE, call -> {
            Checks.requireAdmin(call.caller());
            long id = call.body(RouteMessage.RemoveRoute.class).route();
            return (c, after) -> encode(new RouteMessage.Removed(routes.remove(c, call.caller(), id)));
        });
    }

    private static RouteMessage.Route rule(RouteService.Rule r) {
        Routes.Match m = r.match();
        return new RouteMessage.Route(r.id(), (long) r.position(), m.calledNumber(), m.subaddress(), m.remoteIdent(), m.callerNumber(), m.line(),
                r.mailbox(), r.forward(), r.created(), m.content());
    }

    private static String orEmpty(String s) {
        return s != null ? s : "";
    }
}
