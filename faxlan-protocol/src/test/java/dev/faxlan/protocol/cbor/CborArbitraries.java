package dev.faxlan.protocol.cbor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/** jqwik generators for values of CPI's CBOR model. */
public final class CborArbitraries {
    private CborArbitraries() {}

    /** Text without lone surrogates (which UTF-8 cannot carry), including supplementary characters. */
    public static Arbitrary<String> text() {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0x20, 0x7e)),
                Tuple.of(2, Arbitraries.integers().between(0, 0xd7ff)),
                Tuple.of(1, Arbitraries.integers().between(0xe000, 0xffff)),
                Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10ffff)));
        return codePoint.list().ofMaxSize(12).map(cps -> {
            StringBuilder sb = new StringBuilder();
            for (int cp : cps) sb.appendCodePoint(cp);
            return sb.toString();
        });
    }

    public static Arbitrary<Object> scalar() {
        return Arbitraries.oneOf(
                Arbitraries.longs().map(Object.class::cast),
                Arbitraries.longs().between(-30, 30).map(Object.class::cast),
                Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, 23L, 24L, 255L, 256L, 65535L, 65536L,
                        4294967295L, 4294967296L, -4294967297L).map(Object.class::cast),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(Object.class::cast),
                text().map(Object.class::cast),
                Arbitraries.of(Boolean.TRUE, Boolean.FALSE).map(Object.class::cast),
                Arbitraries.just(null));
    }

    /** Nested values up to {@code maxDepth} container levels. */
    public static Arbitrary<Object> value(int maxDepth) {
        return Arbitraries.recursive(CborArbitraries::scalar, CborArbitraries::containerOf, 0, maxDepth);
    }

    /** Maps with text keys whose values nest up to {@code maxDepth} further levels. */
    public static Arbitrary<Map<String, Object>> map(int maxDepth) {
        return Arbitraries.maps(text(), value(maxDepth)).ofMaxSize(6).map(m -> new LinkedHashMap<>(m));
    }

    private static Arbitrary<Object> containerOf(Arbitrary<Object> inner) {
        Arbitrary<Object> list = inner.list().ofMaxSize(4).map(l -> (Object) new ArrayList<>(l));
        Arbitrary<Object> map = Arbitraries.maps(text(), inner).ofMaxSize(4).map(m -> (Object) new LinkedHashMap<>(m));
        return Arbitraries.oneOf(list, map, inner);
    }
}
