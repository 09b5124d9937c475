package dev.faxlan.server.cpi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Message;
import dev.faxlan.protocol.cbor.Cbor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/protocol.md §3: a refused request's error echoes the request's {@code id} whenever the frame
 * was a map with an integer {@code id}, whatever else was wrong with it; only a frame whose id cannot
 * be read is answered with id 0. Over a real QUIC connection, with frames a codec would never write.
 */
class RefusedRequestIdTest {
    @TempDir
    Path dir;
    CpiTestServer cpi;

    @BeforeEach
    void start() throws Exception {
        cpi = new CpiTestServer(dir, "refused-id-test", CpiLimits.defaults());
    }

    @AfterEach
    void stop() {
        if (cpi != null) cpi.close();
    }

    @Test
    void anUnknownOperationIsAnsweredWithTheRequestsId() throws Exception {
        Message.Error e = refusal(frame(Map.of("v", 1L, "id", 42L, "op", "no.such.op", "body", Map.of())));
        assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_OPERATION);
        assertThat(e.message()).contains("no.such.op");
        assertThat(e.id()).isEqualTo(42);
    }

    @Test
    void anUnsupportedVersionIsAnsweredWithTheRequestsId() throws Exception {
        Message.Error e = refusal(frame(Map.of("v", 2L, "id", 43L, "op", "info", "body", Map.of())));
        assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
        assertThat(e.id()).isEqualTo(43);
    }

    @Test
    void aMalformedFieldIsAnsweredWithTheRequestsId() throws Exception {
        Message.Error e = refusal(frame(Map.of("v", 1L, "id", 44L, "op", "job.cancel", "key", new byte[3], "body", Map.of())));
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(e.message()).contains("idempotency key must be 16 bytes, got 3");
        assertThat(e.id()).isEqualTo(44);
    }

    @Test
    void aFrameWhoseIdCannotBeReadIsAnsweredWithIdZero() throws Exception {
        assertThat(refusal(frame(Map.of("v", 1L, "id", "forty-five", "op", "info"))).id()).isZero();
        assertThat(refusal(frame(List.of(1L, 46L, "info")))).satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(e.id()).isZero();
        });
    }

    @Test
    void theConnectionStillServesRequestsAfterARefusal() throws Exception {
        RawCpiClient c = cpi.connect();
        RawCpiClient.Stream bad = c.open();
        bad.sendLast(frame(Map.of("v", 1L, "id", 47L, "op", "no.such.op")));
        assertThat(bad.awaitResponse()).isInstanceOf(Message.Error.class);
        assertThat(CpiTestServer.login(c)).isInstanceOf(Message.Ok.class);
    }

    private Message.Error refusal(byte[] frame) throws Exception {
        RawCpiClient.Stream s = cpi.connect().open();
        s.sendLast(frame);
        Message m = s.awaitResponse();
        assertThat(m).isInstanceOf(Message.Error.class);
        return (Message.Error) m;
    }

    /** A length-prefixed frame of any CBOR value, as a client of another make might send it. */
    private static byte[] frame(Object value) {
        byte[] cbor = Cbor.encode(value instanceof Map<?, ?> m ? new LinkedHashMap<>(m) : value);
        byte[] frame = new byte[4 + cbor.length];
        System.arraycopy(RawCpiClient.prefix(cbor.length), 0, frame, 0, 4);
        System.arraycopy(cbor, 0, frame, 4, cbor.length);
        return frame;
    }
}
