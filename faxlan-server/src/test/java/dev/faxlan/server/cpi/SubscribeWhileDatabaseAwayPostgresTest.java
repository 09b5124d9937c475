package dev.faxlan.server.cpi;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.faxlan.protocol.CpiCodec;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Message;
import dev.faxlan.protocol.Op;
import dev.faxlan.server.cpi.operation.CpiService;
import dev.faxlan.server.storage.Database;
import dev.faxlan.testkit.PostgresCluster;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * An alert subscription asked for while the server's PostgreSQL is stopped is refused with BUSY, as
 * every other request is then, so clients retry it; the log has a warning, not a stack trace.
 */
class SubscribeWhileDatabaseAwayPostgresTest {
    @TempDir
    Path dir;
    long nextId = 10;

    @Test
    void aSubscriptionWhileTheDatabaseIsStoppedIsRefusedBusyAndSucceedsOnceItIsBack() throws Exception {
        List<Logger> loggers = List.of((Logger) LoggerFactory.getLogger(RequestStreamHandler.class), (Logger) LoggerFactory.getLogger(CpiService.class));
        ListAppender<ILoggingEvent> said = new ListAppender<>();
        said.start();
        loggers.forEach(l -> l.addAppender(said));
        try (PostgresCluster pg = PostgresCluster.startWithoutFsync()) {
            Database db = Database.open(pg.jdbcUrl(pg.createDatabase()), pg.user(), pg.password());
            try (CpiTestServer cpi = new CpiTestServer(dir, "subscribe-db-away-test", CpiLimits.defaults(), Clock.systemUTC(), db)) {
                RawCpiClient client = cpi.connect();
                byte[] session = ((Message.Ok) CpiTestServer.login(client)).body().bytes("session");

                pg.stop();
                Message refused = subscribe(client, session);
                assertThat(refused).isInstanceOf(Message.Error.class);
                assertThat(((Message.Error) refused).code()).isEqualTo(ErrorCode.BUSY);
                assertThat(((Message.Error) refused).message()).isEqualTo("the database cannot be reached just now; retry later");
                assertThat(ErrorCode.BUSY.retryable()).isTrue();
                assertThat(said.list).as("what the server logged").singleElement().satisfies(e -> {
                    assertThat(e.getLevel()).isEqualTo(Level.WARN);
                    assertThat(e.getFormattedMessage()).contains("database cannot be reached").contains(Op.ALERT_SUBSCRIBE.wire());
                    assertThat(e.getThrowableProxy()).as("no stack trace").isNull();
                });

                pg.startAgain();
                Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> subscribe(client, session) instanceof Message.Ok);
            }
        } finally {
            loggers.forEach(l -> l.detachAppender(said));
        }
    }

    private Message subscribe(RawCpiClient c, byte[] session) throws Exception {
        RawCpiClient.Stream s = c.open();
        s.sendLast(CpiCodec.encode(new Message.Request(nextId++, Op.ALERT_SUBSCRIBE, session, null, Fields.builder().put("subscriber", "desk").build())));
        return s.awaitResponse();
    }
}
