package dev.faxlan.server.routing;

import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.cbor.Cbor;
import dev.faxlan.server.service.AlertSink;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.Events;
import dev.faxlan.server.storage.Mailboxes;
import dev.faxlan.server.storage.ReceivedFaxes;
import dev.faxlan.server.storage.Routes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each stored fax to a mailbox and tells everyone who can see that mailbox, with a
 * {@code fax.received} event in their log. Mailbox and events commit together, so an alert never
 * names a fax that is not in its mailbox.
 */
public final class InboundRouter implements Consumer<ReceivedFaxes.Fax> {
    private static final Logger log = LoggerFactory.getLogger(InboundRouter.class);
    public static final String EVENT_TYPE = "fax.received";

    private final Database db;
    private final Clock clock;
    private final AlertSink alerts;

    public InboundRouter(Database db, Clock clock, AlertSink alerts) {
        this.db = Objects.requireNonNull(db, "db");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.alerts = Objects.requireNonNull(alerts, "alerts");
    }

    @Override
    public void accept(ReceivedFaxes.Fax fax) {
        try {
            route(fax);
        } catch (Exception e) {
            throw new IllegalStateException("routing received fax " + fax.id() + " failed", e);
        }
    }

    /** Routes one fax; returns the mailbox it went to. */
    public String route(ReceivedFaxes.Fax fax) throws Exception {
        List<Long> notify = new ArrayList<>();
        String mailbox = db.tx(c -> {
            List<Routes.Route> rules = Routes.all(c);
            String name = Router.mailboxFor(rules, Router.Call.of(fax));
            Mailboxes.Mailbox box = Mailboxes.byName(c, name).orElseThrow(() -> new IllegalStateException("mailbox " + name + " is missing"));
            ReceivedFaxes.setMailbox(c, fax.id(), box.name());
            byte[] body = Cbor.encode(event(fax, box.name()).asMap());
            long now = clock.millis();
            for (long userId : MailboxAccess.viewers(c, box)) {
                Events.append(c, userId, EVENT_TYPE, body, now);
                notify.add(userId);
            }
            return box.name();
        });
        log.info("received fax {} routed to mailbox {}", fax.id(), mailbox);
        for (long userId : notify) alerts.eventsAppended(userId);
        return mailbox;
    }

    static Fields event(ReceivedFaxes.Fax f, String mailbox) {
        return Fields.builder().put("fax", f.id()).put("mailbox", mailbox).put("caller", f.callerNumber()).put("did", f.calledNumber())
                .put("csid", f.remoteIdent()).put("pages", f.pages()).put("result", f.result()).build();
    }
}
