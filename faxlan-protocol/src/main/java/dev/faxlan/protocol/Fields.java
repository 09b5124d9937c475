package dev.faxlan.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed access to a CBOR map of message fields. A missing or mistyped required field is a
 * {@link ErrorCode#BAD_REQUEST} naming the field, so handlers never see a ClassCastException.
 */
public final class Fields {
    public static final Fields EMPTY = new Fields(Map.of());
    private final Map<String, Object> map;

    public Fields(Map<String, Object> map) {
        this.map = map;
    }

    public static Fields of(Object value, String what) throws CpiException {
        if (value == null) return EMPTY;
        if (!(value instanceof Map<?, ?> m)) throw bad(what + " must be a map");
        @SuppressWarnings("unchecked")
        Map<String, Object> typed = (Map<String, Object>) m;
        return new Fields(typed);
    }

    public Map<String, Object> asMap() {
        return Collections.unmodifiableMap(map);
    }

    public boolean has(String name) {
        return map.get(name) != null;
    }

    public String string(String name) throws CpiException {
        Object v = require(name);
        if (!(v instanceof String s)) throw bad("field \"" + name + "\" must be text");
        return s;
    }

    public String string(String name, String dflt) throws CpiException {
        return has(name) ? string(name) : dflt;
    }

    public long integer(String name) throws CpiException {
        Object v = require(name);
        if (!(v instanceof Long l)) throw bad("field \"" + name + "\" must be an integer");
        return l;
    }

    public long integer(String name, long dflt) throws CpiException {
        return has(name) ? integer(name) : dflt;
    }

    public boolean bool(String name, boolean dflt) throws CpiException {
        Object v = map.get(name);
        if (v == null) return dflt;
        if (!(v instanceof Boolean b)) throw bad("field \"" + name + "\" must be a boolean");
        return b;
    }

    public byte[] bytes(String name) throws CpiException {
        Object v = require(name);
        if (!(v instanceof byte[] b)) throw bad("field \"" + name + "\" must be a byte string");
        return b;
    }

    public List<String> strings(String name) throws CpiException {
        Object v = require(name);
        if (!(v instanceof List<?> list)) throw bad("field \"" + name + "\" must be an array");
        for (Object o : list) {
            if (!(o instanceof String)) throw bad("field \"" + name + "\" must be an array of text");
        }
        @SuppressWarnings("unchecked")
        List<String> typed = (List<String>) list;
        return typed;
    }

    public List<Fields> maps(String name) throws CpiException {
        Object v = require(name);
        if (!(v instanceof List<?> list)) throw bad("field \"" + name + "\" must be an array");
        java.util.ArrayList<Fields> out = new java.util.ArrayList<>(list.size());
        for (Object o : list) out.add(Fields.of(o, "an element of \"" + name + "\""));
        return out;
    }

    public Fields map(String name) throws CpiException {
        return Fields.of(require(name), "field \"" + name + "\"");
    }

    private Object require(String name) throws CpiException {
        Object v = map.get(name);
        if (v == null) throw bad("field \"" + name + "\" is missing");
        return v;
    }

    private static CpiException bad(String message) {
        return new CpiException(ErrorCode.BAD_REQUEST, message);
    }

    /** Builder for outgoing field maps; null values are left out. */
    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final Map<String, Object> map = new LinkedHashMap<>();

        public Builder put(String name, Object value) {
            if (value instanceof Integer i) value = i.longValue();
            if (value != null) map.put(name, value);
            return this;
        }

        public Fields build() {
            return new Fields(map);
        }

        public Map<String, Object> map() {
            return map;
        }
    }

    @Override
    public String toString() {
        return map.toString();
    }
}
