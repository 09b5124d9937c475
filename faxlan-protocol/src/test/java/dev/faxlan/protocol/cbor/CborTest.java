package dev.faxlan.protocol.cbor;

import static dev.faxlan.protocol.cbor.CborValues.hex;
import static dev.faxlan.protocol.cbor.CborValues.normalize;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CborTest {

    /** RFC 8949 Appendix A examples within CPI's subset, plus the 64-bit edges of that subset. */
    static Stream<Arguments> supportedVectors() {
        return Stream.of(
                Arguments.of(0L, "00"),
                Arguments.of(1L, "01"),
                Arguments.of(10L, "0a"),
                Arguments.of(23L, "17"),
                Arguments.of(24L, "1818"),
                Arguments.of(25L, "1819"),
                Arguments.of(100L, "1864"),
                Arguments.of(1000L, "1903e8"),
                Arguments.of(1000000L, "1a000f4240"),
                Arguments.of(1000000000000L, "1b000000e8d4a51000"),
                Arguments.of(-1L, "20"),
                Arguments.of(-10L, "29"),
                Arguments.of(-100L, "3863"),
                Arguments.of(-1000L, "3903e7"),
                // argument-width boundaries
                Arguments.of(255L, "18ff"),
                Arguments.of(256L, "190100"),
                Arguments.of(65535L, "19ffff"),
                Arguments.of(65536L, "1a00010000"),
                Arguments.of(4294967295L, "1affffffff"),
                Arguments.of(4294967296L, "1b0000000100000000"),
                Arguments.of(-24L, "37"),
                Arguments.of(-25L, "3818"),
                Arguments.of(-256L, "38ff"),
                Arguments.of(-257L, "390100"),
                Arguments.of(-4294967296L, "3affffffff"),
                Arguments.of(-4294967297L, "3b0000000100000000"),
                // 64-bit signed edges
                Arguments.of(Long.MAX_VALUE, "1b7fffffffffffffff"),
                Arguments.of(Long.MIN_VALUE, "3b7fffffffffffffff"),
                Arguments.of(false, "f4"),
                Arguments.of(true, "f5"),
                Arguments.of(null, "f6"),
                Arguments.of(new byte[0], "40"),
                Arguments.of(new byte[] {1, 2, 3, 4}, "4401020304"),
                Arguments.of("", "60"),
                Arguments.of("a", "6161"),
                Arguments.of("IETF", "6449455446"),
                Arguments.of("\"\\", "62225c"),
                Arguments.of("\u00fc", "62c3bc"),
                Arguments.of("\u6c34", "63e6b0b4"),
                Arguments.of("\ud800\udd51", "64f0908591"),
                Arguments.of(List.of(), "80"),
                Arguments.of(List.of(1L, 2L, 3L), "83010203"),
                Arguments.of(List.of(1L, List.of(2L, 3L), List.of(4L, 5L)), "8301820203820405"),
                Arguments.of(LongStream.rangeClosed(1, 25).boxed().toList(),
                        "98190102030405060708090a0b0c0d0e0f101112131415161718181819"),
                Arguments.of(Map.of(), "a0"),
                Arguments.of(ordered("a", 1L, "b", List.of(2L, 3L)), "a26161016162820203"),
                Arguments.of(List.of("a", Map.of("b", "c")), "826161a161626163"),
                Arguments.of(ordered("a", "A", "b", "B", "c", "C", "d", "D", "e", "E"),
                        "a56161614161626142616361436164614461656145"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("supportedVectors")
    void encodesRfc8949Vectors(Object value, String expectedHex) {
        assertThat(hex(Cbor.encode(value))).isEqualTo(expectedHex);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("supportedVectors")
    void decodesRfc8949Vectors(Object value, String encodedHex) throws CborException {
        assertThat(normalize(Cbor.decode(hex(encodedHex)))).isEqualTo(normalize(value));
    }

    @Test
    void encodesSmallerIntegerTypesAsIntegers() {
        assertThat(Cbor.encode(1000)).isEqualTo(Cbor.encode(1000L));
        assertThat(Cbor.encode((short) -5)).isEqualTo(Cbor.encode(-5L));
        assertThat(Cbor.encode((byte) 7)).isEqualTo(Cbor.encode(7L));
    }

    @Test
    void decodedContainersAreImmutableAndKeepMapOrder() throws CborException {
        Object v = Cbor.decode(hex("a3617a01616102616d03"));
        assertThat(v).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) v;
        assertThat(m.keySet()).containsExactly("z", "a", "m");
        assertThatThrownBy(() -> m.put("x", 1L)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        List<Object> l = (List<Object>) Cbor.decode(hex("820102"));
        assertThatThrownBy(() -> l.add(3L)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void decodesASliceOfALargerArray() throws CborException {
        byte[] data = hex("ff ff 6449455446 ff");
        assertThat(Cbor.decode(data, 2, 5)).isEqualTo("IETF");
    }

    /** RFC 8949 Appendix A items outside CPI's subset, and other items CPI refuses. */
    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        // integers beyond the signed 64-bit range
        "1bffffffffffffffff", "3bffffffffffffffff", "3b8000000000000000", "1b8000000000000000",
        // bignums and other tags
        "c249010000000000000000", "c349010000000000000000",
        "c074323031332d30332d32315432303a30343a30305a", "c11a514b67b0", "c1fb41d452d9ec200000",
        "d74401020304", "d818456449455446", "d82076687474703a2f2f7777772e6578616d706c652e636f6d",
        // floats
        "f90000", "f98000", "f93c00", "fb3ff199999999999a", "f93e00", "f97bff", "fa47c35000",
        "fa7f7fffff", "fb7e37e43c8800759c", "f90001", "f90400", "f9c400", "fbc010666666666666",
        "f97c00", "f97e00", "f9fc00", "fa7f800000", "fa7fc00000", "faff800000",
        "fb7ff0000000000000", "fb7ff8000000000000", "fbfff0000000000000",
        // undefined and other simple values
        "f7", "f0", "f8ff", "e0", "f3",
        // indefinite lengths
        "5f42010243030405ff", "7f657374726561646d696e67ff", "9fff", "9f018202039f0405ffff",
        "9f01820203820405ff", "83018202039f0405ff", "83019f0203ff820405",
        "9f0102030405060708090a0b0c0d0e0f101112131415161718181819ff", "bf61610161629f0203ffff",
        "826161bf61626163ff", "bf6346756ef563416d7421ff", "ff",
        // reserved additional information values
        "1c", "1d", "1e", "3c", "5c", "7c", "9c", "bc",
        // map keys other than text strings (RFC example {1: 2, 3: 4})
        "a201020304", "a14101f6", "a180f6",
        // duplicate map key
        "a2616101616102",
    })
    void rejectsItemsOutsideTheSubset(String encodedHex) {
        assertThatThrownBy(() -> Cbor.decode(hex(encodedHex))).isInstanceOf(CborException.class);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "", // nothing at all
        "18", "19ff", "1aff", "1bffffffffffffff", // truncated integer arguments
        "4201", "6361", "8201", "a16161", // content shorter than announced
        "5bffffffffffffffff", "5b7fffffffffffffff", "5a7fffffff", "7bffffffffffffffff", "7a7fffffff00", // lying string lengths
        "9bffffffffffffffff", "9b00000000ffffffff", "9a7fffffff", "9a0001869f", // lying array counts
        "bbffffffffffffffff", "ba7fffffff", "ba0000ffff6161", // lying map counts
        "0000", "f5f5", "8000", // trailing bytes
    })
    void rejectsTruncatedLyingAndTrailingInput(String encodedHex) {
        assertThatThrownBy(() -> Cbor.decode(hex(encodedHex))).isInstanceOf(CborException.class);
    }

    @Test
    void rejectsArraysAndMapsWithMoreItemsThanTheLimit() {
        int n = Cbor.MAX_ITEMS + 1;
        byte[] arr = new byte[5 + n];
        arr[0] = (byte) 0x9a;
        arr[1] = (byte) (n >>> 24);
        arr[2] = (byte) (n >>> 16);
        arr[3] = (byte) (n >>> 8);
        arr[4] = (byte) n;
        assertThatThrownBy(() -> Cbor.decode(arr)).isInstanceOf(CborException.class).hasMessageContaining("too long");
    }

    @Test
    void acceptsNestingUpToTheLimit() throws CborException {
        assertThat(Cbor.decode(nestedArrays(Cbor.MAX_DEPTH))).isInstanceOf(List.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {Cbor.MAX_DEPTH + 2, 100, 100_000})
    void rejectsNestingBeyondTheLimitWithoutOverflowingTheStack(int depth) {
        assertThatThrownBy(() -> Cbor.decode(nestedArrays(depth)))
                .isInstanceOf(CborException.class)
                .hasMessageContaining("deeper than " + Cbor.MAX_DEPTH);
        byte[] maps = new byte[depth * 3 + 1];
        for (int i = 0; i < depth; i++) {
            maps[3 * i] = (byte) 0xa1;
            maps[3 * i + 1] = 0x61;
            maps[3 * i + 2] = 'k';
        }
        maps[depth * 3] = (byte) 0xa0;
        assertThatThrownBy(() -> Cbor.decode(maps)).isInstanceOf(CborException.class);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "61ff", "61fe", "61c3", "62c328", "6280bf", // bad lead or continuation bytes
        "62c0af", "63e080af", "64f08080af", // overlong forms
        "63eda080", "63edbfbf", "66eda080edb080", // UTF-16 surrogates encoded as UTF-8
        "64f4908080", "64f7bfbfbf", // beyond U+10FFFF
        "63f09085", // truncated four-byte sequence
    })
    void rejectsInvalidUtf8InTextStrings(String encodedHex) {
        assertThatThrownBy(() -> Cbor.decode(hex(encodedHex)))
                .isInstanceOf(CborException.class)
                .hasMessageContaining("UTF-8");
    }

    @Test
    void invalidUtf8IsAcceptedInByteStrings() throws CborException {
        assertThat((byte[]) Cbor.decode(hex("43eda080"))).containsExactly(0xed, 0xa0, 0x80);
    }

    @Test
    void rejectsBadSlices() {
        byte[] data = hex("0102");
        assertThatThrownBy(() -> Cbor.decode(data, -1, 1)).isInstanceOf(CborException.class);
        assertThatThrownBy(() -> Cbor.decode(data, 0, 3)).isInstanceOf(CborException.class);
        assertThatThrownBy(() -> Cbor.decode(data, 1, -1)).isInstanceOf(CborException.class);
        assertThatThrownBy(() -> Cbor.decode(data, 1, Integer.MAX_VALUE)).isInstanceOf(CborException.class);
    }

    @Test
    void refusesToEncodeValuesOutsideTheModel() {
        assertThatThrownBy(() -> Cbor.encode(1.5d)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cbor.encode(1.5f)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cbor.encode(new Object())).isInstanceOf(IllegalArgumentException.class);
        Map<Object, Object> intKeys = new HashMap<>();
        intKeys.put(1L, 2L);
        assertThatThrownBy(() -> Cbor.encode(intKeys)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cbor.encode(List.of(List.of(new int[] {1}))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void roundTripsALargeByteAndTextString() throws CborException {
        byte[] big = new byte[70_000];
        Arrays.fill(big, (byte) 0x5a);
        assertThat((byte[]) Cbor.decode(Cbor.encode(big))).isEqualTo(big);
        String text = "\u00e9".repeat(40_000);
        byte[] enc = Cbor.encode(text);
        assertThat(enc.length).isEqualTo(5 + text.getBytes(StandardCharsets.UTF_8).length);
        assertThat(Cbor.decode(enc)).isEqualTo(text);
    }

    private static byte[] nestedArrays(int depth) {
        byte[] b = new byte[depth];
        Arrays.fill(b, 0, depth - 1, (byte) 0x81);
        b[depth - 1] = (byte) 0x80;
        return b;
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}
