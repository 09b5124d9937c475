package dev.faxlan.protocol;

import dev.faxlan.protocol.cbor.Cbor;
import dev.faxlan.protocol.cbor.CborException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wire encoding of {@link Message}s. A frame is a 4-byte big-endian length followed by that many bytes
 * of CBOR: a map with "v" (protocol version) and the message's keys. Pure functions; no I/O.
 */
public final class CpiCodec {
    public static final int VERSION = 1;
    public static final String ALPN = "cpi/1";
    public static final int DEFAULT_PORT = 4644;
    /** Largest frame accepted: bounds memory per stream before authentication. */
    public static final int MAX_FRAME = 1 << 20;
    public static final int SESSION_TOKEN_BYTES = 32;
    public static final int IDEMPOTENCY_KEY_BYTES = 16;

    private CpiCodec() {}

    public static byte[] encode(Message m) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("v", (long) VERSION);
        if (m instanceof Message.Request r) {
            map.put("id", r.id());
            map.put("op", r.op().wire());
            if (r.session() != null) map.put("sess", r.session());
            if (r.idempotencyKey() != null) map.put("key", r.idempotencyKey());
            map.put("body", r.body().asMap());
        } else if (m instanceof Message.Ok ok) {
            map.put("id", ok.id());
            map.put("ok", true);
            map.put("body", ok.body().asMap());
        } else if (m instanceof Message.Error e) {
            map.put("id", e.id());
            map.put("ok", false);
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("code", e.code().name());
            err.put("num", (long) e.code().number());
            err.put("msg", e.message());
            map.put("err", err);
        } else if (m instanceof Message.Event ev) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("seq", ev.seq());
            event.put("type", ev.type());
            event.put("time", ev.timeMillis());
            event.put("body", ev.body().asMap());
            map.put("event", event);
        } else if (m instanceof Message.Ack a) {
            map.put("ack", a.seq());
        }
        byte[] cbor = Cbor.encode(map);
        byte[] frame = new byte[4 + cbor.length];
        frame[0] = (byte) (cbor.length >>> 24);
        frame[1] = (byte) (cbor.length >>> 16);
        frame[2] = (byte) (cbor.length >>> 8);
        frame[3] = (byte) cbor.length;
        System.arraycopy(cbor, 0, frame, 4, cbor.length);
        return frame;
    }

    /**
     * Reads the frame length from the first four bytes, or returns -1 if fewer are available.
     *
     * @throws CpiException if the length exceeds {@link #MAX_FRAME}
     */
    public static int frameLength(byte[] header4) throws CpiException {
        int len = ((header4[0] & 0xff) << 24) | ((header4[1] & 0xff) << 16) | ((header4[2] & 0xff) << 8) | (header4[3] & 0xff);
        if (len < 0 || len > MAX_FRAME) {
            throw new CpiException(ErrorCode.BAD_REQUEST, "frame of " + Integer.toUnsignedString(len) + " bytes exceeds the limit of " + MAX_FRAME);
        }
        return len;
    }

    /**
     * Decodes one frame body (the CBOR after the length prefix).
     *
     * @throws RequestFrameException if the frame is refused but is a map with an integer {@code id}
     * @throws CpiException if it is refused and no id can be read from it
     */
    public static Message decode(byte[] cbor) throws CpiException {
        Object root;
        try {
            root = Cbor.decode(cbor);
        } catch (CborException e) {
            throw new CpiException(ErrorCode.BAD_REQUEST, "malformed CPI frame: " + e.getMessage());
        }
        Fields f = Fields.of(root, "a CPI frame");
        try {
            return decodeFields(f);
        } catch (CpiException e) {
            // Whatever else is wrong (version, operation, a field), an id that can be read is echoed.
            if (f.asMap().get("id") instanceof Long id) throw new RequestFrameException(id, e);
            throw e;
        }
    }

    private static Message decodeFields(Fields f) throws CpiException {
        long v = f.integer("v");
        if (v != VERSION) {
            throw new CpiException(ErrorCode.UNSUPPORTED_VERSION, "CPI version " + v + " is not supported; this side speaks " + VERSION);
        }
        if (f.has("op")) {
            Op op = Op.fromWire(f.string("op"));
            byte[] sess = f.has("sess") ? f.bytes("sess") : null;
            byte[] key = f.has("key") ? f.bytes("key") : null;
            if (key != null && key.length != IDEMPOTENCY_KEY_BYTES) {
                throw new CpiException(ErrorCode.BAD_REQUEST, "idempotency key must be " + IDEMPOTENCY_KEY_BYTES + " bytes, got " + key.length);
            }
            return new Message.Request(f.integer("id"), op, sess, key, f.has("body") ? f.map("body") : Fields.EMPTY);
        }
        if (f.has("ok")) {
            long id = f.integer("id");
            if (f.bool("ok", false)) return new Message.Ok(id, f.has("body") ? f.map("body") : Fields.EMPTY);
            Fields err = f.map("err");
            return new Message.Error(id, ErrorCode.fromWire(err.string("code")), err.string("msg", ""));
        }
        if (f.has("event")) {
            Fields ev = f.map("event");
            return new Message.Event(ev.integer("seq"), ev.string("type"), ev.integer("time"), ev.has("body") ? ev.map("body") : Fields.EMPTY);
        }
        if (f.has("ack")) {
            return new Message.Ack(f.integer("ack"));
        }
        throw new CpiException(ErrorCode.BAD_REQUEST, "CPI frame is neither request, response, event nor ack");
    }
}
