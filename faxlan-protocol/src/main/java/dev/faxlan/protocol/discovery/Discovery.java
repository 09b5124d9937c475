package dev.faxlan.protocol.discovery;

import dev.faxlan.protocol.cbor.Cbor;
import dev.faxlan.protocol.cbor.CborException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Server discovery datagrams, sent as plain UDP to the CPI port. Their first byte is below 0x40, which
 * QUIC never uses (its fixed bit 0x40 is always set), so the server tells them apart from QUIC packets.
 *
 * <pre>
 * probe: 0x01 | version 0x01 | nonce (8 bytes) | zero padding to at least MIN_PROBE_SIZE bytes
 * reply: 0x02 | version 0x01 | nonce (8 bytes) | CBOR map {name, port, version, fp}
 * </pre>
 * A server answers only a probe at least {@link #MIN_PROBE_SIZE} bytes long and only with a reply no
 * larger than the probe, so a spoofed source never receives more bytes than were sent in its name.
 */
public final class Discovery {
    public static final int PROBE = 0x01;
    public static final int REPLY = 0x02;
    public static final int VERSION = 1;
    public static final int HEADER = 10;
    /** Probes are padded to this size so the reply (name, fingerprint…) always fits inside it. */
    public static final int MIN_PROBE_SIZE = 512;
    public static final int MAX_NAME_BYTES = 64;

    private Discovery() {}

    /** True when a datagram's first byte marks it as discovery rather than QUIC. */
    public static boolean isDiscovery(int firstByte) {
        return (firstByte & 0xff) < 0x40;
    }

    public record Probe(long nonce) {}

    /** What a server says about itself. {@code fingerprint} is SHA-256 of its certificate (DER). */
    public record Reply(long nonce, String name, int port, String version, byte[] fingerprint) {}

    public static byte[] encodeProbe(Probe p) {
        byte[] out = new byte[MIN_PROBE_SIZE];
        out[0] = PROBE;
        out[1] = VERSION;
        putLong(out, 2, p.nonce());
        return out;
    }

    /** Returns the probe, or empty when the datagram is not an acceptable probe (it is then dropped). */
    public static Optional<Probe> decodeProbe(byte[] data, int length) {
        if (length < MIN_PROBE_SIZE || (data[0] & 0xff) != PROBE || (data[1] & 0xff) != VERSION) {
            return Optional.empty();
        }
        return Optional.of(new Probe(getLong(data, 2)));
    }

    public static byte[] encodeReply(Reply r) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", truncateUtf8(r.name(), MAX_NAME_BYTES));
        map.put("port", (long) r.port());
        map.put("version", r.version());
        map.put("fp", r.fingerprint());
        byte[] cbor = Cbor.encode(map);
        byte[] out = new byte[HEADER + cbor.length];
        out[0] = REPLY;
        out[1] = VERSION;
        putLong(out, 2, r.nonce());
        System.arraycopy(cbor, 0, out, HEADER, cbor.length);
        return out;
    }

    public static Reply decodeReply(byte[] data, int length) throws CborException {
        if (length < HEADER || (data[0] & 0xff) != REPLY) throw new CborException("not a discovery reply");
        if ((data[1] & 0xff) != VERSION) throw new CborException("discovery version " + (data[1] & 0xff) + " is not supported");
        Object root = Cbor.decode(data, HEADER, length - HEADER);
        if (!(root instanceof Map<?, ?> m)) throw new CborException("discovery reply body is not a map");
        Object name = m.get("name"), port = m.get("port"), version = m.get("version"), fp = m.get("fp");
        if (!(name instanceof String n) || !(port instanceof Long p) || !(version instanceof String v) || !(fp instanceof byte[] f)) {
            throw new CborException("discovery reply lacks name, port, version or fp");
        }
        if (p < 1 || p > 65535) throw new CborException("discovery reply port " + p + " out of range");
        if (f.length != 32) throw new CborException("discovery reply fingerprint is not 32 bytes");
        return new Reply(getLong(data, 2), n, p.intValue(), v, f);
    }

    static String truncateUtf8(String s, int maxBytes) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (b.length <= maxBytes) return s;
        int end = s.length();
        while (s.substring(0, end).getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxBytes) end--;
        // Never cut between the two halves of a surrogate pair: a lone half would go out as '?'.
        if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) end--;
        return s.substring(0, end);
    }

    private static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (b[off + i] & 0xff);
        return v;
    }
}
