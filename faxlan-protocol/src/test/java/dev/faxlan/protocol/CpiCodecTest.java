package dev.faxlan.protocol;

import static dev.faxlan.protocol.cbor.CborValues.normalize;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.protocol.cbor.Cbor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CpiCodecTest {
    private static final byte[] SESSION = filled(CpiCodec.SESSION_TOKEN_BYTES, 7);
    private static final byte[] KEY = filled(CpiCodec.IDEMPOTENCY_KEY_BYTES, 9);

    @ParameterizedTest
    @EnumSource(Op.class)
    void requestOfEveryOperationRoundTrips(Op op) throws CpiException {
        Fields body = Fields.builder().put("to", List.of("+4930123", "555")).put("n", 3).put("blob", new byte[] {1, 2})
                .put("nested", Map.of("deep", List.of(true, false))).build();
        Message.Request req = new Message.Request(42, op, op.needsSession() ? SESSION : null, op.mutating() ? KEY : null, body);
        Message decoded = roundTrip(req);
        assertThat(decoded).isInstanceOf(Message.Request.class);
        Message.Request r = (Message.Request) decoded;
        assertThat(r.id()).isEqualTo(42);
        assertThat(r.op()).isEqualTo(op);
        assertThat(r.session()).isEqualTo(req.session());
        assertThat(r.idempotencyKey()).isEqualTo(req.idempotencyKey());
        assertThat(normalize(r.body().asMap())).isEqualTo(normalize(body.asMap()));
    }

    @Test
    void requestWithoutBodyDecodesToEmptyFields() throws CpiException {
        Message.Request r = (Message.Request) roundTrip(new Message.Request(-1, Op.INFO, null, null, Fields.EMPTY));
        assertThat(r.body().asMap()).isEmpty();
        assertThat(r.session()).isNull();
        assertThat(r.idempotencyKey()).isNull();
        assertThat(r).isEqualTo(new Message.Request(-1, Op.INFO, null, null, Fields.EMPTY));
    }

    @Test
    void okRoundTrips() throws CpiException {
        Fields body = Fields.builder().put("jobs", List.of(Map.of("id", 1L, "state", "queued"))).put("fp", new byte[32]).build();
        Message.Ok ok = (Message.Ok) roundTrip(new Message.Ok(Long.MAX_VALUE, body));
        assertThat(ok.id()).isEqualTo(Long.MAX_VALUE);
        assertThat(normalize(ok.body().asMap())).isEqualTo(normalize(body.asMap()));
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void errorOfEveryCodeRoundTrips(ErrorCode code) throws CpiException {
        Message decoded = roundTrip(new Message.Error(5, code, "what went wrong: " + code.meaning()));
        assertThat(decoded).isEqualTo(new Message.Error(5, code, "what went wrong: " + code.meaning()));
    }

    @Test
    void errorCarriesCodeNameAndStableNumberOnTheWire() throws Exception {
        byte[] frame = CpiCodec.encode(new Message.Error(1, ErrorCode.AUTH_THROTTLED, "slow down"));
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) Cbor.decode(Arrays.copyOfRange(frame, 4, frame.length));
        assertThat(root).containsEntry("v", 1L).containsEntry("id", 1L).containsEntry("ok", false);
        assertThat(root.get("err")).isEqualTo(Map.of("code", "AUTH_THROTTLED", "num", 11L, "msg", "slow down"));
    }

    @Test
    void unknownErrorCodeFromANewerPeerBecomesInternal() throws CpiException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("v", 1L);
        root.put("id", 3L);
        root.put("ok", false);
        root.put("err", Map.of("code", "FROM_THE_FUTURE", "num", 999L, "msg", "?"));
        Message m = CpiCodec.decode(Cbor.encode(root));
        assertThat(m).isEqualTo(new Message.Error(3, ErrorCode.INTERNAL, "?"));
    }

    @Test
    void eventRoundTrips() throws CpiException {
        Fields body = Fields.builder().put("job", 17L).put("state", "queued").put("to", "555").build();
        Message.Event ev = (Message.Event) roundTrip(new Message.Event(99, "job", 1_700_000_000_000L, body));
        assertThat(ev.seq()).isEqualTo(99);
        assertThat(ev.type()).isEqualTo("job");
        assertThat(ev.timeMillis()).isEqualTo(1_700_000_000_000L);
        assertThat(ev.body().asMap()).isEqualTo(body.asMap());
    }

    @Test
    void ackRoundTrips() throws CpiException {
        assertThat(roundTrip(new Message.Ack(0))).isEqualTo(new Message.Ack(0));
        assertThat(roundTrip(new Message.Ack(123456789012L))).isEqualTo(new Message.Ack(123456789012L));
    }

    @Test
    void framePrefixIsTheBigEndianBodyLength() throws CpiException {
        byte[] frame = CpiCodec.encode(new Message.Ack(1));
        assertThat(CpiCodec.frameLength(frame)).isEqualTo(frame.length - 4);
        byte[] big = CpiCodec.encode(new Message.Ok(1, Fields.builder().put("b", new byte[300_000]).build()));
        assertThat(CpiCodec.frameLength(big)).isEqualTo(big.length - 4);
    }

    @Test
    void frameLengthUpToTheLimitIsAccepted() throws CpiException {
        assertThat(CpiCodec.frameLength(new byte[] {0, 0, 0, 0})).isZero();
        assertThat(CpiCodec.frameLength(prefix(CpiCodec.MAX_FRAME))).isEqualTo(CpiCodec.MAX_FRAME);
    }

    @Test
    void frameLengthBeyondTheLimitIsABadRequest() {
        for (int len : new int[] {CpiCodec.MAX_FRAME + 1, Integer.MAX_VALUE, -1, Integer.MIN_VALUE}) {
            assertThatThrownBy(() -> CpiCodec.frameLength(prefix(len)))
                    .isInstanceOfSatisfying(CpiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST))
                    .hasMessageContaining("exceeds the limit of " + CpiCodec.MAX_FRAME)
                    .hasMessageContaining(Integer.toUnsignedString(len));
        }
    }

    @Test
    void otherVersionIsRefusedWithUnsupportedVersion() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("v", 2L);
        root.put("id", 1L);
        root.put("op", "info");
        assertCode(Cbor.encode(root), ErrorCode.UNSUPPORTED_VERSION);
    }

    @Test
    void unknownOperationIsRefused() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("v", 1L);
        root.put("id", 1L);
        root.put("op", "format.disk");
        assertCode(Cbor.encode(root), ErrorCode.UNKNOWN_OPERATION);
    }

    @Test
    void idempotencyKeyOfTheWrongLengthIsABadRequest() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("v", 1L);
        root.put("id", 1L);
        root.put("op", "submit");
        root.put("key", new byte[15]);
        assertCode(Cbor.encode(root), ErrorCode.BAD_REQUEST);
    }

    @Test
    void malformedFramesAreBadRequests() {
        assertCode(new byte[0], ErrorCode.BAD_REQUEST);
        assertCode(new byte[] {(byte) 0xf9, 0, 0}, ErrorCode.BAD_REQUEST); // a float
        assertCode(Cbor.encode(List.of(1L)), ErrorCode.BAD_REQUEST); // not a map
        assertCode(Cbor.encode(Map.of("id", 1L)), ErrorCode.BAD_REQUEST); // no version
        assertCode(Cbor.encode(Map.of("v", "1")), ErrorCode.BAD_REQUEST); // version of the wrong type
        assertCode(Cbor.encode(Map.of("v", 1L)), ErrorCode.BAD_REQUEST); // no kind
        assertCode(Cbor.encode(Map.of("v", 1L, "op", "info")), ErrorCode.BAD_REQUEST); // no id
        assertCode(Cbor.encode(Map.of("v", 1L, "id", 1L, "op", 5L)), ErrorCode.BAD_REQUEST); // op not text
        assertCode(Cbor.encode(Map.of("v", 1L, "id", 1L, "op", "info", "body", List.of())), ErrorCode.BAD_REQUEST);
        assertCode(Cbor.encode(Map.of("v", 1L, "id", 1L, "op", "info", "sess", "text")), ErrorCode.BAD_REQUEST);
        assertCode(Cbor.encode(Map.of("v", 1L, "id", 1L, "ok", false)), ErrorCode.BAD_REQUEST); // error without err
        assertCode(Cbor.encode(Map.of("v", 1L, "id", 1L, "ok", "yes")), ErrorCode.BAD_REQUEST);
        assertCode(Cbor.encode(Map.of("v", 1L, "event", Map.of("seq", 1L))), ErrorCode.BAD_REQUEST);
        assertCode(Cbor.encode(Map.of("v", 1L, "ack", true)), ErrorCode.BAD_REQUEST);
    }

    @Test
    void aRefusedFrameCarriesItsIdWhenItCanBeRead() {
        assertRefusedWithId(Cbor.encode(Map.of("v", 2L, "id", 7L, "op", "info")), ErrorCode.UNSUPPORTED_VERSION, 7);
        assertRefusedWithId(Cbor.encode(Map.of("v", 1L, "id", 8L, "op", "format.disk")), ErrorCode.UNKNOWN_OPERATION, 8);
        assertRefusedWithId(Cbor.encode(Map.of("v", 1L, "id", 9L, "op", "submit", "key", new byte[15])), ErrorCode.BAD_REQUEST, 9);
        assertRefusedWithId(Cbor.encode(Map.of("v", 1L, "id", 10L, "op", "info", "body", List.of())), ErrorCode.BAD_REQUEST, 10);
    }

    @Test
    void aRefusedFrameWithoutAReadableIdCarriesNone() {
        for (byte[] cbor : List.of(Cbor.encode(List.of(1L)), Cbor.encode(Map.of("v", 1L, "op", "info")),
                Cbor.encode(Map.of("v", 1L, "id", "7", "op", "info")), new byte[] {(byte) 0xf9, 0, 0})) {
            assertThatThrownBy(() -> CpiCodec.decode(cbor)).isInstanceOf(CpiException.class).isNotInstanceOf(RequestFrameException.class);
        }
    }

    @Test
    void malformedFrameMessageSaysWhatIsWrong() {
        assertThatThrownBy(() -> CpiCodec.decode(new byte[] {(byte) 0xf9, 0, 0}))
                .hasMessageStartingWith("malformed CPI frame: ");
    }

    private static void assertRefusedWithId(byte[] cbor, ErrorCode code, long id) {
        assertThatThrownBy(() -> CpiCodec.decode(cbor)).isInstanceOfSatisfying(RequestFrameException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.requestId()).isEqualTo(id);
        });
    }

    private static void assertCode(byte[] cbor, ErrorCode code) {
        assertThatThrownBy(() -> CpiCodec.decode(cbor))
                .isInstanceOfSatisfying(CpiException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    /** Encodes, checks the prefix, decodes, and checks that encoding the result gives the same bytes. */
    static Message roundTrip(Message m) throws CpiException {
        byte[] frame = CpiCodec.encode(m);
        assertThat(CpiCodec.frameLength(frame)).isEqualTo(frame.length - 4);
        Message decoded = CpiCodec.decode(Arrays.copyOfRange(frame, 4, frame.length));
        assertThat(CpiCodec.encode(decoded)).isEqualTo(frame);
        return decoded;
    }

    static byte[] prefix(int len) {
        return new byte[] {(byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len};
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
