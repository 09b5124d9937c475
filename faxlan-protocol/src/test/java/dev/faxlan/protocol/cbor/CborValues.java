package dev.faxlan.protocol.cbor;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helpers for CBOR values: content equality for byte strings, and hex conversion. */
public final class CborValues {
    private CborValues() {}

    /**
     * Maps a value of the CBOR Java model to one whose {@code equals} compares content: byte arrays
     * become read-only {@link ByteBuffer}s, smaller integer types become {@link Long}.
     */
    public static Object normalize(Object v) {
        if (v instanceof byte[] b) return ByteBuffer.wrap(b.clone()).asReadOnlyBuffer();
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) out.add(normalize(o));
            return out;
        }
        if (v instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) out.put(e.getKey(), normalize(e.getValue()));
            return out;
        }
        return v;
    }

    public static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
