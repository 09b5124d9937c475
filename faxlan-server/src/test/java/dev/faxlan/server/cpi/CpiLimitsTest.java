package dev.faxlan.server.cpi;

import static dev.faxlan.server.cpi.CpiTestServer.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faxlan.protocol.CpiCodec;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Message;
import dev.faxlan.protocol.Op;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each limit of {@link CpiLimits} at its edge: at the limit the request is served, one over it is refused. */
class CpiLimitsTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    @TempDir
    Path dir;
    CpiTestServer cpi;

    void start(CpiLimits limits) throws Exception {
        cpi = new CpiTestServer(dir, "limits-test", limits);
    }

    @AfterEach
    void stop() {
        if (cpi != null) cpi.close();
    }

    /** An info request frame of exactly {@code total} bytes, prefix included (padded with a field the server ignores). */
    static byte[] infoFrame(int total) {
        // The CBOR string header grows with the pad's length: try the few lengths around the target.
        for (int pad = Math.max(0, total - 64); pad <= total; pad++) {
            byte[] f = CpiCodec.encode(info(pad));
            if (f.length == total) return f;
        }
        throw new AssertionError("no info frame of exactly " + total + " bytes");
    }

    private static Message.Request info(int pad) {
        return new Message.Request(7, Op.INFO, null, null, Fields.builder().put("pad", "x".repeat(pad)).build());
    }

    @Test
    void anUnauthenticatedConnectionHoldsOneLargestFramePlus64KiB() throws Exception {
        CpiLimits limits = CpiLimits.defaults();
        start(limits);
        long limit = limits.preAuthConnectionBytes();
        assertThat(limit).isEqualTo(4 + CpiCodec.MAX_FRAME + 65536);
        byte[] small = infoFrame(1000);
        for (long held : new long[] {limit - small.length, limit - small.length + 1}) {
            // Two streams hold unfinished frames: one largest frame short of a byte, and the rest.
            Message m = sendOnTopOfHeldFrames(cpi.connect(), held, small);
            if (held + small.length == limit) {
                assertThat(m).as("at the limit").isInstanceOf(Message.Ok.class);
            } else {
                assertThat(m).isInstanceOfSatisfying(Message.Error.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BUSY);
                    assertThat(e.message()).contains("would hold " + (limit + 1) + " bytes, over the limit of " + limit + " before login");
                });
            }
        }
    }

    @Test
    void aLoggedInConnectionHolds16MiB() throws Exception {
        CpiLimits limits = CpiLimits.defaults();
        start(limits);
        long limit = limits.connectionBytes();
        byte[] small = infoFrame(1000);
        for (long held : new long[] {limit - small.length, limit - small.length + 1}) {
            RawCpiClient c = cpi.connect();
            assertThat(login(c)).isInstanceOf(Message.Ok.class);
            Message m = sendOnTopOfHeldFrames(c, held, small);
            if (held + small.length == limit) {
                assertThat(m).as("at the limit").isInstanceOf(Message.Ok.class);
            } else {
                assertThat(m).isInstanceOfSatisfying(Message.Error.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BUSY);
                    assertThat(e.message()).endsWith("would hold " + (limit + 1) + " bytes, over the limit of " + limit);
                });
            }
        }
    }

    /**
     * Holds {@code held} bytes on {@code c} in unfinished frames, on streams of a largest frame short of
     * a byte each and one for the rest; then sends {@code frame} on a stream of its own and answers the
     * server's response. {@code c} is closed after, and the server holds no frame bytes then.
     */
    private Message sendOnTopOfHeldFrames(RawCpiClient c, long held, byte[] frame) throws Exception {
        long rest = held;
        while (rest > 0) {
            int part = (int) Math.min(rest, CpiCodec.MAX_FRAME + 3);
            RawCpiClient.Stream big = c.open();
            big.send(RawCpiClient.prefix(CpiCodec.MAX_FRAME));
            big.send(new byte[part - 4]);
            rest -= part;
        }
        await().atMost(WAIT).until(() -> cpi.server.heldFrameBytes() == held);
        RawCpiClient.Stream s = c.open();
        s.sendLast(frame);
        Message m = s.awaitResponse();
        c.close();
        await().atMost(WAIT).until(() -> cpi.server.heldFrameBytes() == 0);
        return m;
    }

    @Test
    void unauthenticatedConnectionsShareAServerWidePoolBeyondEachStreamsAllowance() throws Exception {
        CpiLimits limits = CpiLimits.defaults().withPreAuthServerBytes(100_000);
        start(limits);
        int atLimit = limits.streamAllowanceBytes() + 100_000;
        RawCpiClient.Stream ok = cpi.connect().open();
        ok.sendLast(infoFrame(atLimit));
        assertThat(ok.awaitResponse()).as("a frame of exactly allowance + pool").isInstanceOf(Message.Ok.class);
        await().atMost(WAIT).until(() -> cpi.server.preAuthFrameBytes() == 0);

        RawCpiClient.Stream over = cpi.connect().open();
        over.sendLast(infoFrame(atLimit + 1));
        assertThat(over.awaitResponse()).isInstanceOfSatisfying(Message.Error.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BUSY);
            assertThat(e.message()).contains("of 100000 bytes for request frames of connections that have not logged in");
        });
        // A login frame fits in a stream's allowance, so it is served even while the pool is full.
        RawCpiClient hog = cpi.connect();
        RawCpiClient.Stream holding = hog.open();
        holding.send(RawCpiClient.prefix(CpiCodec.MAX_FRAME));
        holding.send(new byte[limits.streamAllowanceBytes() + 100_000 - 4]);
        await().atMost(WAIT).until(() -> cpi.server.preAuthFrameBytes() == 100_000);
        assertThat(login(cpi.connect())).isInstanceOf(Message.Ok.class);
    }

    @Test
    void sixteenRequestsMayBeOpenBeforeLoginAndMoreAfterIt() throws Exception {
        start(CpiLimits.defaults());
        byte[] frame = infoFrame(200);
        RawCpiClient c = cpi.connect();
        List<RawCpiClient.Stream> open = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            RawCpiClient.Stream s = c.open();
            s.send(Arrays.copyOf(frame, 10));
            open.add(s);
        }
        await().atMost(WAIT).until(() -> cpi.server.heldFrameBytes() == 16 * 10);
        RawCpiClient.Stream seventeenth = c.open();
        seventeenth.send(Arrays.copyOf(frame, 10));
        assertThat(seventeenth.awaitResponse()).isInstanceOfSatisfying(Message.Error.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BUSY);
            assertThat(e.message()).isEqualTo("at most 16 requests may be open at once on a connection that has not logged in");
        });
        for (RawCpiClient.Stream s : open) s.sendLast(Arrays.copyOfRange(frame, 10, frame.length));
        for (RawCpiClient.Stream s : open) assertThat(s.awaitResponse()).isInstanceOf(Message.Ok.class);

        assertThat(login(c)).isInstanceOf(Message.Ok.class);
        List<RawCpiClient.Stream> after = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            RawCpiClient.Stream s = c.open();
            s.send(Arrays.copyOf(frame, 10));
            after.add(s);
        }
        await().atMost(WAIT).until(() -> cpi.server.heldFrameBytes() == 20 * 10);
        for (RawCpiClient.Stream s : after) s.sendLast(Arrays.copyOfRange(frame, 10, frame.length));
        for (RawCpiClient.Stream s : after) assertThat(s.awaitResponse()).as("after login").isInstanceOf(Message.Ok.class);
    }

    @Test
    void aRequestFrameMustCompleteWithinTheDeadline() throws Exception {
        start(CpiLimits.defaults().withFrameDeadline(Duration.ofSeconds(1)));
        RawCpiClient c = cpi.connect();
        byte[] frame = infoFrame(200);
        RawCpiClient.Stream late = c.open();
        late.send(Arrays.copyOf(frame, 100));
        assertThat(late.awaitResponse()).isInstanceOfSatisfying(Message.Error.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(e.message()).isEqualTo("no complete request frame within 1.0 s of opening the stream");
        });
        await().atMost(WAIT).until(() -> cpi.server.heldFrameBytes() == 0);
        RawCpiClient.Stream inTime = c.open();
        inTime.sendLast(frame);
        assertThat(inTime.awaitResponse()).isInstanceOf(Message.Ok.class);
    }

    @Test
    void connectionsPerAddressAreCountedAndFreedOnClose() throws Exception {
        start(CpiLimits.defaults().withConnections(100, 3));
        List<RawCpiClient> three = List.of(cpi.connect(), cpi.connect(), cpi.connect());
        await().atMost(WAIT).until(() -> cpi.server.openConnections() == 3);
        for (RawCpiClient c : three) assertThat(login(c)).as("at the limit").isInstanceOf(Message.Ok.class);
        QuicConnectionCloseEvent refused = cpi.connect().closedByServer.get(30, TimeUnit.SECONDS);
        assertThat(refused.error()).isEqualTo(ErrorCode.BUSY.number());
        assertThat(RawCpiClient.reason(refused)).isEqualTo("too many connections from 127.0.0.1: the limit is 3");

        three.get(0).close();
        await().atMost(WAIT).until(() -> cpi.server.openConnections() == 2);
        assertThat(login(cpi.connect())).isInstanceOf(Message.Ok.class);
    }

    @Test
    void connectionsInTotalAreLimited() throws Exception {
        start(CpiLimits.defaults().withConnections(2, 10));
        cpi.connect();
        cpi.connect();
        await().atMost(WAIT).until(() -> cpi.server.openConnections() == 2);
        QuicConnectionCloseEvent refused = cpi.connect().closedByServer.get(30, TimeUnit.SECONDS);
        assertThat(RawCpiClient.reason(refused)).isEqualTo("too many connections to this server: the limit is 2");
        assertThat(cpi.server.openConnections()).isEqualTo(2);
    }

    @Test
    void aUserHoldsAtMostTheConfiguredAlertSubscriptions() throws Exception {
        start(CpiLimits.defaults().withSubscriptionsPerUser(2));
        RawCpiClient c = cpi.connect();
        Message.Ok login = (Message.Ok) login(c);
        byte[] session = login.body().bytes("session");
        assertThat(subscribe(c, session, "a")).isInstanceOf(Message.Ok.class);
        assertThat(subscribe(c, session, "b")).as("at the limit").isInstanceOf(Message.Ok.class);
        assertThat(subscribe(c, session, "c")).isInstanceOfSatisfying(Message.Error.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(e.message()).contains("has 2 alert subscriptions already, the limit is 2");
        });
        assertThat(subscribe(c, session, "a")).as("a subscriber that subscribes again replaces itself").isInstanceOf(Message.Ok.class);
    }

    private static Message subscribe(RawCpiClient c, byte[] session, String subscriber) throws Exception {
        RawCpiClient.Stream s = c.open();
        s.sendLast(CpiCodec.encode(new Message.Request(2, Op.ALERT_SUBSCRIBE, session, null, Fields.builder().put("subscriber", subscriber).build())));
        return s.awaitResponse();
    }
}
