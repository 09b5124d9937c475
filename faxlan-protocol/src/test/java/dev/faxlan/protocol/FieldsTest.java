package dev.faxlan.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldsTest {
    private final Fields f = Fields.builder().put("s", "text").put("n", 5).put("b", true).put("raw", new byte[] {1})
            .put("list", List.of("a", "b")).put("maps", List.of(Map.of("k", 1L))).put("map", Map.of("x", "y"))
            .put("absent", null).build();

    @Test
    void typedAccessorsReadTheirType() throws CpiException {
        assertThat(f.string("s")).isEqualTo("text");
        assertThat(f.integer("n")).isEqualTo(5L);
        assertThat(f.bool("b", false)).isTrue();
        assertThat(f.bytes("raw")).containsExactly(1);
        assertThat(f.strings("list")).containsExactly("a", "b");
        assertThat(f.maps("maps")).singleElement().satisfies(m -> assertThat(m.integer("k")).isEqualTo(1));
        assertThat(f.map("map").string("x")).isEqualTo("y");
    }

    @Test
    void builderStoresIntegersAsLongAndLeavesOutNulls() {
        assertThat(f.asMap().get("n")).isEqualTo(5L);
        assertThat(f.asMap()).doesNotContainKey("absent");
        assertThat(f.has("absent")).isFalse();
    }

    @Test
    void defaultsApplyOnlyToMissingFields() throws CpiException {
        assertThat(f.string("missing", "d")).isEqualTo("d");
        assertThat(f.integer("missing", 9)).isEqualTo(9);
        assertThat(f.bool("missing", true)).isTrue();
        assertThatThrownBy(() -> f.integer("s", 9)).isInstanceOf(CpiException.class);
    }

    @Test
    void nullValuesCountAsMissing() throws CpiException {
        Map<String, Object> m = new HashMap<>();
        m.put("v", null);
        Fields withNull = new Fields(m);
        assertThat(withNull.has("v")).isFalse();
        assertThat(withNull.string("v", "d")).isEqualTo("d");
        assertThatThrownBy(() -> withNull.string("v")).hasMessageContaining("\"v\" is missing");
    }

    @Test
    void wrongTypesAndMissingFieldsAreBadRequestsNamingTheField() {
        assertBad(() -> f.string("n"), "\"n\" must be text");
        assertBad(() -> f.integer("s"), "\"s\" must be an integer");
        assertBad(() -> f.bool("s", false), "\"s\" must be a boolean");
        assertBad(() -> f.bytes("s"), "\"s\" must be a byte string");
        assertBad(() -> f.strings("s"), "\"s\" must be an array");
        assertBad(() -> f.strings("maps"), "\"maps\" must be an array of text");
        assertBad(() -> f.maps("list"), "an element of \"list\" must be a map");
        assertBad(() -> f.map("s"), "\"s\" must be a map");
        assertBad(() -> f.string("nope"), "\"nope\" is missing");
    }

    @Test
    void ofAcceptsMapsAndNullOnly() throws CpiException {
        assertThat(Fields.of(null, "x")).isSameAs(Fields.EMPTY);
        assertThat(Fields.of(Map.of("a", 1L), "x").integer("a")).isEqualTo(1);
        assertBad(() -> Fields.of(List.of(), "the body"), "the body must be a map");
    }

    @Test
    void asMapIsReadOnly() {
        assertThatThrownBy(() -> f.asMap().put("x", 1L)).isInstanceOf(UnsupportedOperationException.class);
    }

    private interface Read {
        Object read() throws CpiException;
    }

    private static void assertBad(Read read, String message) {
        assertThatThrownBy(read::read)
                .isInstanceOfSatisfying(CpiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST))
                .hasMessageContaining(message);
    }
}
