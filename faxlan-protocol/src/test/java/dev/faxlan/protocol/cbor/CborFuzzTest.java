package dev.faxlan.protocol.cbor;

import static dev.faxlan.protocol.cbor.CborValues.normalize;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** {@link Cbor#decode} on arbitrary bytes: a value or a {@link CborException}, nothing else. */
class CborFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void decode(byte[] data) throws CborException {
        Object value;
        try {
            value = Cbor.decode(data);
        } catch (CborException expected) {
            return;
        }
        // Every accepted value is in the model: it encodes, and decodes back to itself.
        byte[] encoded = Cbor.encode(value);
        assertThat(encoded.length).isLessThanOrEqualTo(data.length);
        assertThat(normalize(Cbor.decode(encoded))).isEqualTo(normalize(value));
    }
}
