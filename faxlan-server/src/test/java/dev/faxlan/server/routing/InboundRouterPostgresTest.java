package dev.faxlan.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.faxlan.server.core.port.BusMessage;
import dev.faxlan.server.events.InProcessEventBus;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.Documents;
import dev.faxlan.server.storage.Events;
import dev.faxlan.server.storage.ReceivedFaxes;
import dev.faxlan.server.storage.Users;
import dev.faxlan.testkit.PostgresCluster;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Routing a stored fax while its PostgreSQL is away, for real: the fax is routed once the database is
 * back, with its {@code fax.received} event in the log of everyone who sees its mailbox. Before
 * routing waited for the database, such a fax was in no mailbox and its event in no log (an alert
 * client of DatabaseRestartIT's two-node test saw 23 of 24 faxes).
 */
class InboundRouterPostgresTest {
    @Test
    void aFaxRoutedWhileTheDatabaseIsDownIsRoutedAndAlertedOnceItIsBack() throws Exception {
        try (PostgresCluster pg = PostgresCluster.start()) {
            Database db = Database.open(pg.jdbcUrl(pg.createDatabase()), pg.user(), pg.password());
            try {
                long now = System.currentTimeMillis();
                long admin = db.tx(c -> Users.insert(c, "admin", "admin", "h", now));
                ReceivedFaxes.Fax fax = db.tx(c -> {
                    Documents.insertIfAbsent(c, "a".repeat(64), 10, now);
                    long id = ReceivedFaxes.insert(c, new ReceivedFaxes.NewFax(now, "loopback", "0000", "100", "REMOTE", "", "", 1, 0, 1000, "OK",
                            "a".repeat(64), 10, null));
                    return ReceivedFaxes.byId(c, id).orElseThrow();
                });
                InProcessEventBus bus = new InProcessEventBus();
                List<BusMessage> told = new CopyOnWriteArrayList<>();
                bus.subscribe(told::add);
                InboundRouter router = new InboundRouter(db, Clock.systemUTC(), bus);

                // The router says when a try failed for want of the database: the test starts it again only then.
                Logger routerLog = (Logger) LoggerFactory.getLogger(InboundRouter.class);
                ListAppender<ILoggingEvent> said = new ListAppender<>();
                said.start();
                routerLog.addAppender(said);
                pg.stop();
                AtomicReference<Throwable> failed = new AtomicReference<>();
                Thread routing = new Thread(() -> {
                    try {
                        router.accept(fax);
                    } catch (Throwable e) {
                        failed.set(e);
                    }
                }, "routing");
                routing.start();
                // Its first try has failed: it waits to try again, or it gave up.
                Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> !routing.isAlive()
                        || said.list.stream().anyMatch(e -> e.getFormattedMessage().contains("database is unavailable")));
                pg.startAgain();
                routing.join(Duration.ofMinutes(2).toMillis());
                routerLog.detachAppender(said);

                assertThat(failed.get()).as("routing gave up").isNull();
                assertThat(db.tx((Connection c) -> ReceivedFaxes.byId(c, fax.id())).orElseThrow().mailbox()).isEqualTo("Unaddressed");
                List<Events.StoredEvent> log = db.tx((Connection c) -> Events.after(c, admin, 0, 10));
                assertThat(log).extracting(Events.StoredEvent::type).containsExactly(InboundRouter.EVENT_TYPE);
                assertThat(told).containsExactly(new BusMessage.FaxReceived(admin, fax.id()));
            } finally {
                db.close();
            }
        }
    }
}
