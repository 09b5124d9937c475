package dev.faxlan.protocol.cbor;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subset of CBOR (RFC 8949) that CPI uses: unsigned and negative integers (64-bit signed range),
 * byte strings, UTF-8 text strings, arrays, maps with text keys, false, true and null. Definite lengths
 * only; no tags, floats or indefinite items.
 *
 * <p>Java model: {@link Long}, {@code byte[]}, {@link String}, {@link List}, {@link Map}
 * ({@code String} keys), {@link Boolean}, {@code null}. Pure functions over bytes, no I/O.
 */
public final class Cbor {
    /** Deepest nesting accepted when decoding; CPI messages nest at most four levels. */
    public static final int MAX_DEPTH = 16;
    /** Most items in one array or map; bounds allocation before the bytes are seen. */
    public static final int MAX_ITEMS = 100_000;

    private Cbor() {}

    public static byte[] encode(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        write(out, value);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, Object value) {
        if (value == null) {
            out.write(0xf6);
        } else if (value instanceof Boolean b) {
            out.write(b ? 0xf5 : 0xf4);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            long v = ((Number) value).longValue();
            if (v >= 0) head(out, 0, v);
            else head(out, 1, -1 - v);
        } else if (value instanceof byte[] bytes) {
            head(out, 2, bytes.length);
            out.writeBytes(bytes);
        } else if (value instanceof String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            head(out, 3, utf8.length);
            out.writeBytes(utf8);
        } else if (value instanceof List<?> list) {
            head(out, 4, list.size());
            for (Object item : list) write(out, item);
        } else if (value instanceof Map<?, ?> map) {
            head(out, 5, map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String)) {
                    throw new IllegalArgumentException("CBOR map keys must be strings, got " + e.getKey());
                }
                write(out, e.getKey());
                write(out, e.getValue());
            }
        } else {
            throw new IllegalArgumentException("not encodable as CPI CBOR: " + value.getClass().getName());
        }
    }

    private static void head(ByteArrayOutputStream out, int major, long arg) {
        int mt = major << 5;
        if (arg < 24) {
            out.write(mt | (int) arg);
        } else if (arg < 0x100) {
            out.write(mt | 24);
            out.write((int) arg);
        } else if (arg < 0x10000) {
            out.write(mt | 25);
            out.write((int) (arg >>> 8));
            out.write((int) arg);
        } else if (arg < 0x1_0000_0000L) {
            out.write(mt | 26);
            for (int s = 24; s >= 0; s -= 8) out.write((int) (arg >>> s));
        } else {
            out.write(mt | 27);
            for (int s = 56; s >= 0; s -= 8) out.write((int) (arg >>> s));
        }
    }

    /** Decodes exactly one item that must fill the whole input. */
    public static Object decode(byte[] data) throws CborException {
        return decode(data, 0, data.length);
    }

    public static Object decode(byte[] data, int offset, int length) throws CborException {
        if (offset < 0 || length < 0 || offset + length > data.length) {
            throw new CborException("bad slice");
        }
        Reader r = new Reader(data, offset, offset + length);
        Object v = r.item(0);
        if (r.pos != r.end) {
            throw new CborException((r.end - r.pos) + " trailing bytes after the CBOR item at offset " + (r.pos - offset));
        }
        return v;
    }

    private static final class Reader {
        final byte[] b;
        int pos;
        final int end;

        Reader(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        int u8() throws CborException {
            if (pos >= end) throw new CborException("truncated CBOR at offset " + pos);
            return b[pos++] & 0xff;
        }

        long arg(int info) throws CborException {
            if (info < 24) return info;
            int n = switch (info) {
                case 24 -> 1;
                case 25 -> 2;
                case 26 -> 4;
                case 27 -> 8;
                default -> throw new CborException("unsupported CBOR additional info " + info + " at offset " + (pos - 1));
            };
            long v = 0;
            for (int i = 0; i < n; i++) v = (v << 8) | u8();
            return v;
        }

        int length(long arg) throws CborException {
            if (arg < 0 || arg > end - pos) {
                throw new CborException("CBOR length " + Long.toUnsignedString(arg) + " exceeds the " + (end - pos) + " bytes left");
            }
            return (int) arg;
        }

        Object item(int depth) throws CborException {
            if (depth > MAX_DEPTH) throw new CborException("CBOR nested deeper than " + MAX_DEPTH);
            int ib = u8();
            int major = ib >>> 5;
            int info = ib & 0x1f;
            switch (major) {
                case 0: {
                    long v = arg(info);
                    if (v < 0) throw new CborException("CBOR integer out of 64-bit signed range");
                    return v;
                }
                case 1: {
                    long v = arg(info);
                    if (v < 0) throw new CborException("CBOR integer out of 64-bit signed range");
                    return -1 - v;
                }
                case 2: {
                    int n = length(arg(info));
                    byte[] out = new byte[n];
                    System.arraycopy(b, pos, out, 0, n);
                    pos += n;
                    return out;
                }
                case 3: {
                    int n = length(arg(info));
                    String s = utf8(pos, n);
                    pos += n;
                    return s;
                }
                case 4: {
                    long n = arg(info);
                    // Each item takes at least one byte: a count beyond the bytes left is a lie.
                    if (n < 0 || n > MAX_ITEMS || n > end - pos) throw new CborException("CBOR array of " + Long.toUnsignedString(n) + " items is too long");
                    List<Object> list = new ArrayList<>((int) n);
                    for (long i = 0; i < n; i++) list.add(item(depth + 1));
                    return Collections.unmodifiableList(list);
                }
                case 5: {
                    long n = arg(info);
                    if (n < 0 || n > MAX_ITEMS || n * 2 > end - pos) throw new CborException("CBOR map of " + Long.toUnsignedString(n) + " entries is too long");
                    Map<String, Object> map = new LinkedHashMap<>();
                    for (long i = 0; i < n; i++) {
                        Object k = item(depth + 1);
                        if (!(k instanceof String key)) throw new CborException("CBOR map key is not a text string");
                        if (map.containsKey(key)) throw new CborException("duplicate CBOR map key \"" + key + "\"");
                        map.put(key, item(depth + 1));
                    }
                    return Collections.unmodifiableMap(map);
                }
                case 7:
                    return switch (info) {
                        case 20 -> Boolean.FALSE;
                        case 21 -> Boolean.TRUE;
                        case 22 -> null;
                        default -> throw new CborException("unsupported CBOR simple value " + info);
                    };
                default:
                    throw new CborException("unsupported CBOR major type " + major + " (tags are not used by CPI)");
            }
        }

        String utf8(int off, int n) throws CborException {
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(b, off, n))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new CborException("invalid UTF-8 in CBOR text string");
            }
        }
    }
}
