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
 * An alert subscription, a fetch or upload data asked for while the server's PostgreSQL is stopped
 * are refused with BUSY, as every other request is then, so clients retry them; the log has a
 * warning, not a stack trace.
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

                // The other requests answered on their own streams, as they open.
                Message fetch = request(client, Op.INBOX_FETCH, session, Fields.builder().put("fax", 1L).build());
                Message upload = request(client, Op.UPLOAD_DATA, session, Fields.builder().put("upload", "u1").put("offset", 0L).build());
                for (Message m : List.of(fetch, upload)) {
                    assertThat(m).isInstanceOf(Message.Error.class);
                    assertThat(((Message.Error) m).code()).as(m.toString()).isEqualTo(ErrorCode.BUSY);
                }
                assertThat(said.list).as("no stack trace").allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());

                pg.startAgain();
                Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> subscribe(client, session) instanceof Message.Ok);
            }
        } finally {
            loggers.forEach(l -> l.detachAppender(said));
        }
    }

    private Message subscribe(RawCpiClient c, byte[] session) throws Exception {
        return request(c, Op.ALERT_SUBSCRIBE, session, Fields.builder().put("subscriber", "desk").build());
    }

    private Message request(RawCpiClient c, Op op, byte[] session, Fields body) throws Exception {
        RawCpiClient.Stream s = c.open();
        s.sendLast(CpiCodec.encode(new Message.Request(nextId++, op, session, null, body)));
        return s.awaitResponse();
    }
}
