package dev.faxlan.protocol.message;

import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Fields;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CBOR mapping of the typed messages, written once for all of them: a record's components are the
 * message's fields in wire order, named as the components (or {@link WireName}), required unless
 * {@link MayBeAbsent}. Encoding leaves absent fields out; decoding checks each field's type and presence
 * with {@link Fields}, so a malformed field is the same {@link ErrorCode#BAD_REQUEST} naming it as ever.
 */
public final class MessageCodec {
    private MessageCodec() {}

    /** What a field holds on the wire. */
    public enum Kind {
        TEXT("text"),
        INTEGER("integer"),
        BOOLEAN("boolean"),
        BYTES("byte string"),
        TEXT_LIST("array of text"),
        TEXT_MAP("map of text"),
        /** A map whose values the receiver checks itself (cover page fields: their checks name each field). */
        MAP("map"),
        RECORD("map"),
        RECORD_LIST("array of maps");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        /** How docs/protocol.md names the type. */
        public String wire() {
            return wire;
        }
    }

    /** One field of a message: {@code record} is the nested message type of RECORD and RECORD_LIST fields. */
    public record FieldSpec(String name, Kind kind, boolean required, Class<? extends Record> record, Method accessor) {}

    private record Schema(List<FieldSpec> fields, Constructor<?> constructor) {}

    private static final ClassValue<Schema> SCHEMAS = new ClassValue<>() {
        @Override
        protected Schema computeValue(Class<?> type) {
            return schemaOf(type);
        }
    };

    /** The fields of message type {@code type}, in wire order. */
    public static List<FieldSpec> fields(Class<? extends Record> type) {
        return SCHEMAS.get(type).fields();
    }

    public static Fields encode(Record message) {
        return new Fields(encodeMap(message));
    }

    private static Map<String, Object> encodeMap(Record message) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (FieldSpec f : fields(message.getClass())) {
            Object v = read(f, message);
            if (v == null) continue;
            out.put(f.name(), switch (f.kind()) {
                case RECORD -> encodeMap((Record) v);
                case RECORD_LIST -> {
                    List<Object> list = new ArrayList<>();
                    for (Object o : (List<?>) v) list.add(encodeMap((Record) o));
                    yield list;
                }
                case TEXT_LIST -> new ArrayList<Object>((List<?>) v);
                case TEXT_MAP, MAP -> new LinkedHashMap<String, Object>((Map<String, ?>) v);
                default -> v;
            });
        }
        return out;
    }

    /** Reads a message of {@code type} from a body; a missing required or mistyped field is BAD_REQUEST naming it. */
    public static <R extends Record> R decode(Class<R> type, Fields body) throws CpiException {
        Schema s = SCHEMAS.get(type);
        Object[] args = new Object[s.fields().size()];
        for (int i = 0; i < args.length; i++) {
            FieldSpec f = s.fields().get(i);
            if (!body.has(f.name())) {
                if (f.required()) throw new CpiException(ErrorCode.BAD_REQUEST, "field \"" + f.name() + "\" is missing");
                continue;
            }
            args[i] = switch (f.kind()) {
                case TEXT -> body.string(f.name());
                case INTEGER -> body.integer(f.name());
                case BOOLEAN -> body.bool(f.name(), false);
                case BYTES -> body.bytes(f.name());
                case TEXT_LIST -> List.copyOf(body.strings(f.name()));
                case TEXT_MAP -> textMap(f.name(), body.map(f.name()));
                case MAP -> Collections.unmodifiableMap(new LinkedHashMap<>(body.map(f.name()).asMap()));
                case RECORD -> decode(f.record(), body.map(f.name()));
                case RECORD_LIST -> {
                    List<Object> list = new ArrayList<>();
                    for (Fields m : body.maps(f.name())) list.add(decode(f.record(), m));
                    yield Collections.unmodifiableList(list);
                }
            };
        }
        try {
            return type.cast(s.constructor().newInstance(args));
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot make a " + type.getSimpleName(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make a " + type.getSimpleName(), e);
        }
    }

    private static Map<String, String> textMap(String name, Fields map) throws CpiException {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : map.asMap().entrySet()) {
            if (!(e.getValue() instanceof String s)) throw new CpiException(ErrorCode.BAD_REQUEST, "field \"" + name + "\" must be a map of text");
            out.put(e.getKey(), s);
        }
        return Collections.unmodifiableMap(out);
    }

    private static Object read(FieldSpec f, Record message) {
        try {
            return f.accessor().invoke(message);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + f.name() + " of " + message.getClass().getSimpleName(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Schema schemaOf(Class<?> type) {
        if (!type.isRecord()) throw new IllegalArgumentException(type.getName() + " is not a message record");
        RecordComponent[] components = type.getRecordComponents();
        List<FieldSpec> fields = new ArrayList<>();
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            WireName wn = c.getAnnotation(WireName.class);
            String name = wn != null ? wn.value() : c.getName();
            boolean required = c.getType().isPrimitive() || !c.isAnnotationPresent(MayBeAbsent.class);
            Kind kind = kindOf(type, c);
            Class<? extends Record> nested = null;
            if (kind == Kind.RECORD) nested = (Class<? extends Record>) c.getType();
            if (kind == Kind.RECORD_LIST) nested = (Class<? extends Record>) typeArgument(c.getGenericType(), 0);
            c.getAccessor().setAccessible(true);
            fields.add(new FieldSpec(name, kind, required, nested, c.getAccessor()));
        }
        try {
            Constructor<?> ctor = type.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            return new Schema(List.copyOf(fields), ctor);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(type.getName() + " has no canonical constructor", e);
        }
    }

    private static Kind kindOf(Class<?> owner, RecordComponent c) {
        Class<?> t = c.getType();
        if (t == String.class) return Kind.TEXT;
        if (t == long.class || t == Long.class) return Kind.INTEGER;
        if (t == boolean.class || t == Boolean.class) return Kind.BOOLEAN;
        if (t == byte[].class) return Kind.BYTES;
        if (t.isRecord()) return Kind.RECORD;
        if (t == List.class) {
            Class<?> e = typeArgument(c.getGenericType(), 0);
            if (e == String.class) return Kind.TEXT_LIST;
            if (e.isRecord()) return Kind.RECORD_LIST;
        }
        if (t == Map.class && typeArgument(c.getGenericType(), 0) == String.class) {
            Class<?> v = typeArgument(c.getGenericType(), 1);
            if (v == String.class) return Kind.TEXT_MAP;
            if (v == Object.class) return Kind.MAP;
        }
        throw new IllegalArgumentException(owner.getName() + "." + c.getName() + " has a type CPI cannot carry: " + c.getGenericType());
    }

    private static Class<?> typeArgument(Type generic, int index) {
        if (generic instanceof ParameterizedType p && p.getActualTypeArguments()[index] instanceof Class<?> c) return c;
        throw new IllegalArgumentException("not a plain parameterized type: " + generic);
    }
}
