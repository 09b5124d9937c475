package dev.faxlan.server.cpi;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.Events;
import dev.faxlan.server.storage.Sessions;
import dev.faxlan.server.storage.Users;
import dev.faxlan.testkit.PostgresCluster;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The pusher reads the event log from a real PostgreSQL, stopped for real between an event and the
 * push that news of it woke: once the database is back the event is pushed, with no further news (a
 * Resync's wake-up that found the pool not yet reconnected was, before, the last word until the
 * client's next keep-alive).
 */
class AlertPusherPostgresTest {
    @Test
    void aWakeUpThatFoundTheDatabaseAwayReadsTheLogAgainOnceItIsBack() throws Exception {
        DefaultEventLoop loop = new DefaultEventLoop();
        ExecutorService workers = Executors.newFixedThreadPool(2);
        Logger pusherLog = (Logger) LoggerFactory.getLogger(AlertPusher.class);
        ListAppender<ILoggingEvent> said = new ListAppender<>();
        said.start();
        pusherLog.addAppender(said);
        try (PostgresCluster pg = PostgresCluster.start()) {
            Database db = Database.open(pg.jdbcUrl(pg.createDatabase()), pg.user(), pg.password());
            try {
                long now = System.currentTimeMillis();
                byte[] session = Sessions.tokenHash(new byte[32]);
                long user = db.tx(c -> {
                    long id = Users.insert(c, "alice", "user", "h", now);
                    Sessions.insert(c, session, id, now, now + Duration.ofHours(1).toMillis());
                    Events.append(c, id, "job", new byte[] {(byte) 0xa0}, now);
                    return id;
                });
                // The events pushed are the streams the pusher opens, one per event.
                AtomicInteger pushed = new AtomicInteger();
                EmbeddedChannel closeSignal = new EmbeddedChannel();
                QuicChannel connection = (QuicChannel) Proxy.newProxyInstance(QuicChannel.class.getClassLoader(), new Class<?>[] {QuicChannel.class},
                        (p, m, a) -> switch (m.getName()) {
                            case "closeFuture" -> closeSignal.newPromise();
                            case "eventLoop" -> loop;
                            case "createStream" -> {
                                pushed.incrementAndGet();
                                yield ImmediateEventExecutor.INSTANCE.newPromise();
                            }
                            default -> null;
                        });
                AlertPusher pusher = new AlertPusher(null, new AlertAccess(db, Clock.systemUTC()), workers, 16);
                pusher.subscribe(connection, user, session, "desk", 0).pump();
                Awaitility.await().untilAsserted(() -> assertThat(pushed).hasValue(1));

                db.tx(c -> Events.append(c, user, "job", new byte[] {(byte) 0xa0}, now));
                pg.stop();
                pusher.eventsAppended(user); // the news of event 2, heard when the database is already away
                Awaitility.await().atMost(Duration.ofMinutes(1))
                        .until(() -> said.list.stream().anyMatch(e -> e.getFormattedMessage().contains("reading events of user")
                                || e.getFormattedMessage().contains("waits for the database")));
                pg.startAgain();

                Awaitility.await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(pushed).hasValue(2));
            } finally {
                db.close();
            }
        } finally {
            pusherLog.detachAppender(said);
            workers.shutdownNow();
            loop.shutdownGracefully();
        }
    }
}
