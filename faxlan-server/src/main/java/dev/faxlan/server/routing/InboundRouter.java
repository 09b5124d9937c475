package dev.faxlan.server.routing;

import dev.faxlan.server.core.job.Job;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.cbor.Cbor;
import dev.faxlan.server.core.port.BusMessage;
import dev.faxlan.server.core.port.EventBus;
import dev.faxlan.server.service.JobEvents;
import dev.faxlan.server.service.JobState;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.Events;
import dev.faxlan.server.storage.FaxTexts;
import dev.faxlan.server.storage.WhileUnavailable;
import java.time.Duration;
import java.util.Set;
import dev.faxlan.server.storage.Mailboxes;
import dev.faxlan.server.storage.ReceivedFaxes;
import dev.faxlan.server.storage.Routes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import dev.faxlan.server.storage.Jobs;
import dev.faxlan.server.storage.Users;
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
    private final EventBus bus;

    /** @param bus where each viewer of the mailbox hears of the fax (and the owner of a forward of its job), once committed */
    public InboundRouter(Database db, Clock clock, EventBus bus) {
        this.db = Objects.requireNonNull(db, "db");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.bus = Objects.requireNonNull(bus, "bus");
    }

    /** How long routing a stored fax waits for an unavailable database, as storing it does. */
    static final Duration ROUTE_RETRY = Duration.ofMinutes(5);

    @Override
    public void accept(ReceivedFaxes.Fax fax) {
        try {
            // A fax stored just before the database went away is routed once it is back, never left without a mailbox.
            WhileUnavailable.retry(log, "routing received fax " + fax.id(), ROUTE_RETRY, () -> route(fax));
        } catch (Exception e) {
            throw new IllegalStateException("routing received fax " + fax.id() + " failed", e);
        }
    }

    /** Routes one fax as its call alone decides (a rule on content never matches); returns the mailbox it went to. */
    public String route(ReceivedFaxes.Fax fax) throws Exception {
        List<BusMessage> notify = new ArrayList<>();
        String mailbox = db.tx(c -> {
            // A try before this one may have committed before the database went away: routed once only.
            Optional<ReceivedFaxes.Fax> now = ReceivedFaxes.byId(c, fax.id());
            if (now.isPresent() && now.get().mailbox() != null) return now.get().mailbox();
            return route(c, fax, null, notify);
        });
        log.info("received fax {} routed to mailbox {}", fax.id(), mailbox);
        notify.forEach(bus::publish);
        return mailbox;
    }

    /**
     * Routes fax {@code faxId}, which waited for its page 1 to be read, with that page's search words,
     * unless it is gone or already routed; returns the mailbox, or null when it did nothing. Its OCR queue
     * entry stops waiting in the same transaction, so a restart never routes it twice.
     */
    public String routeRead(long faxId, Set<String> page1Words) throws Exception {
        List<BusMessage> notify = new ArrayList<>();
        String mailbox = db.tx(c -> {
            Optional<ReceivedFaxes.Fax> fax = ReceivedFaxes.byId(c, faxId);
            FaxTexts.routed(c, faxId);
            if (fax.isEmpty() || fax.get().mailbox() != null) return null;
            return route(c, fax.get(), page1Words, notify);
        });
        if (mailbox != null) log.info("received fax {} routed to mailbox {} after its page 1 was read", faxId, mailbox);
        notify.forEach(bus::publish);
        return mailbox;
    }

    private String route(Connection c, ReceivedFaxes.Fax fax, Set<String> page1Words, List<BusMessage> notify) throws SQLException {
        List<Routes.Route> rules = Routes.all(c);
        Optional<Routes.Route> rule = Router.firstMatch(rules, Router.Call.of(fax, page1Words));
        String name = rule.map(Routes.Route::mailbox).orElse(Mailboxes.UNADDRESSED);
        Optional<String> forward = rule.isPresent() ? Routes.forwardOf(c, rule.get().id()) : Optional.empty();
        // Forwarding a fax to the number it was sent to would bring it straight back: a loop, not a forward.
        if (forward.isPresent() && fax.sha256() != null && !forward.get().equals(fax.calledNumber())) forward(c, fax, forward.get(), notify);
        Mailboxes.Mailbox box = Mailboxes.byName(c, name).orElseThrow(() -> new IllegalStateException("mailbox " + name + " is missing"));
        ReceivedFaxes.setMailbox(c, fax.id(), box.name());
        byte[] body = Cbor.encode(event(fax, box.name()).asMap());
        long now = clock.millis();
        for (long userId : MailboxAccess.viewers(c, box)) {
            Events.append(c, userId, EVENT_TYPE, body, now);
            notify.add(new BusMessage.FaxReceived(userId, fax.id()));
        }
        return box.name();
    }

    /**
     * A rule that forwards: the received TIFF goes out again as a job of the first administrator (the
     * rules are theirs), to the rule's number, with the usual retries and alerts.
     */
    private void forward(Connection c, ReceivedFaxes.Fax fax, String number, List<BusMessage> notify) throws SQLException {
        Optional<Users.User> admin = Users.all(c).stream().filter(u -> u.role().equals("admin")).findFirst();
        if (admin.isEmpty()) {
            log.warn("received fax {} should be forwarded to {}, but there is no administrator to own the job", fax.id(), number);
            return;
        }
        long now = clock.millis();
        String subject = "fax " + fax.id() + " from " + (fax.remoteIdent().isBlank() ? fax.callerNumber() : fax.remoteIdent());
        long id = Jobs.insert(c, new Jobs.NewJob(admin.get().id(), "forward-" + fax.id(), number, JobState.QUEUED.wire(), subject, null, "fine", null,
                List.of(fax.sha256())), now);
        Job j = Jobs.byId(c, id).orElseThrow();
        JobEvents.append(c, j, "forwarded by a routing rule", now);
        notify.add(new BusMessage.JobChanged(j.userId(), j.id(), j.jobState()));
        log.info("received fax {} forwarded to {} as job {}", fax.id(), number, id);
    }

    static Fields event(ReceivedFaxes.Fax f, String mailbox) {
        return Fields.builder().put("fax", f.id()).put("mailbox", mailbox).put("caller", f.callerNumber()).put("did", f.calledNumber())
                .put("csid", f.remoteIdent()).put("pages", f.pages()).put("result", f.result()).build();
    }
}
