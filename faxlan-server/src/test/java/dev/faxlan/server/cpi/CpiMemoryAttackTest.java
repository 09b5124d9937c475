package dev.faxlan.server.cpi;

import static dev.faxlan.server.cpi.CpiTestServer.login;
import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.protocol.CpiCodec;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Message;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unauthenticated memory exhaustion of security finding 3, over real QUIC connections against a
 * server with its default limits: frames that never complete, many of them, on many connections.
 */
class CpiMemoryAttackTest {
    @TempDir
    Path dir;
    CpiTestServer cpi;

    @BeforeEach
    void start() throws Exception {
        cpi = new CpiTestServer(dir, "attack-test", CpiLimits.defaults());
    }

    @AfterEach
    void stop() {
        if (cpi != null) cpi.close();
    }

    @Test
    void unfinishedFramesOverAConnectionsBudgetAreRefusedAndALoginStillWorks() throws Exception {
        RawCpiClient attacker = cpi.connect();
        byte[] body = new byte[700 << 10];
        List<RawCpiClient.Stream> streams = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            RawCpiClient.Stream s = attacker.open();
            s.send(RawCpiClient.prefix(CpiCodec.MAX_FRAME));
            s.send(body);
            streams.add(s);
        }
        // 2 x 700 KiB of frames that never complete: over one connection's budget before login.
        Object first = CompletableFuture.anyOf(streams.get(0).response, streams.get(1).response).get(30, TimeUnit.SECONDS);
        assertThat(first).isInstanceOfSatisfying(Message.Error.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BUSY);
            assertThat(e.message()).contains("over the limit of 1114116 before login");
        });
        assertThat(login(cpi.connect())).isInstanceOf(Message.Ok.class);
    }

    @Test
    void aFrameThatDoesNotCompleteInTimeIsAnswered() throws Exception {
        RawCpiClient.Stream s = cpi.connect().open();
        s.send(RawCpiClient.prefix(100));
        s.send(new byte[10]);
        assertThat(s.awaitResponse()).isInstanceOfSatisfying(Message.Error.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(e.message()).contains("no complete request frame within 10.0 s");
        });
    }

    @Test
    void aConnectionThatHasNotLoggedInMayNotOpenMoreThanSixteenRequests() throws Exception {
        RawCpiClient attacker = cpi.connect();
        List<RawCpiClient.Stream> open = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            RawCpiClient.Stream s = attacker.open();
            s.send(RawCpiClient.prefix(1000));
            open.add(s);
        }
        Object first = CompletableFuture.anyOf(open.stream().map(s -> s.response).toArray(CompletableFuture[]::new)).get(9, TimeUnit.SECONDS);
        assertThat(first).isInstanceOfSatisfying(Message.Error.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BUSY);
            assertThat(e.message()).contains("at most 16 requests");
        });
    }

    @Test
    void oneAddressMayNotOpenMoreThanSixtyFourConnections() throws Exception {
        for (int i = 0; i < 64; i++) cpi.connect();
        RawCpiClient extra = cpi.connect();
        QuicConnectionCloseEvent closed = extra.closedByServer.get(30, TimeUnit.SECONDS);
        assertThat(closed.isApplicationClose()).isTrue();
        assertThat(closed.error()).isEqualTo(ErrorCode.BUSY.number());
        assertThat(RawCpiClient.reason(closed)).isEqualTo("too many connections from 127.0.0.1: the limit is 64");
        assertThat(cpi.clients().get(0).quic.isActive()).isTrue();
    }
}
