package dev.faxlan.protocol.cbor;

import static dev.faxlan.protocol.cbor.CborValues.normalize;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class CborPropertiesTest {

    @Provide
    Arbitrary<Object> values() {
        return CborArbitraries.value(4);
    }

    @Property
    void decodeInvertsEncode(@ForAll("values") Object value) throws CborException {
        byte[] encoded = Cbor.encode(value);
        assertThat(normalize(Cbor.decode(encoded))).isEqualTo(normalize(value));
    }

    @Property
    void encodingIsDeterministic(@ForAll("values") Object value) throws CborException {
        byte[] encoded = Cbor.encode(value);
        assertThat(Cbor.encode(Cbor.decode(encoded))).isEqualTo(encoded);
    }

    @Property
    void arbitraryBytesEitherDecodeOrFailWithCborException(@ForAll @Size(max = 64) byte[] data) {
        decodeExpectingOnlyCborException(data);
    }

    @Property
    void corruptedEncodingsEitherDecodeOrFailWithCborException(@ForAll("values") Object value,
            @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 10_000) Integer> positions,
            @ForAll @Size(min = 1, max = 4) List<Byte> replacements, @ForAll @IntRange(min = 0, max = 100) int cutPercent) {
        byte[] data = Cbor.encode(value);
        for (int i = 0; i < positions.size(); i++) {
            data[positions.get(i) % data.length] = replacements.get(i % replacements.size());
        }
        decodeExpectingOnlyCborException(data);
        decodeExpectingOnlyCborException(Arrays.copyOf(data, data.length * cutPercent / 100));
    }

    private static void decodeExpectingOnlyCborException(byte[] data) {
        Object decoded;
        try {
            decoded = Cbor.decode(data);
        } catch (CborException expected) {
            return;
        }
        // Whatever decodes must encode again and decode to the same value.
        List<Object> again = new ArrayList<>();
        try {
            again.add(Cbor.decode(Cbor.encode(decoded)));
        } catch (CborException e) {
            throw new AssertionError("re-encoding of a decoded value does not decode", e);
        }
        assertThat(normalize(again.get(0))).isEqualTo(normalize(decoded));
    }
}
