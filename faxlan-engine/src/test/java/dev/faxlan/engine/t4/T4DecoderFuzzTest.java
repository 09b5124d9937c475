package dev.faxlan.engine.t4;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Fuzz target for the T.4/T.6 decoder: any input ends in rows (possibly counted bad) or a
 * {@link FaxCodecException}, never another exception, a hang or unbounded memory.
 *
 * <p>Input layout: byte 0 picks compression and bit order, bytes 1-2 the width, byte 3 the
 * expected row count (0 = unknown); the rest is coded data. In regression mode (plain
 * {@code mvn verify}) the seeds under {@code T4DecoderFuzzTestInputs/decode} run.
 */
class T4DecoderFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void decode(byte[] input) throws IOException {
        if (input.length < 4) {
            return;
        }
        Compression compression = Compression.values()[(input[0] & 0xFF) % 4];
        BitOrder order = (input[0] & 0x10) != 0 ? BitOrder.LSB_FIRST : BitOrder.MSB_FIRST;
        int width = 1 + (((input[1] & 0xFF) << 8 | (input[2] & 0xFF)) % 4864);
        int expected = input[3] & 0xFF;
        CodecOptions options = new CodecOptions(compression, 2, order, false, 0, true);
        byte[] data = Arrays.copyOfRange(input, 4, input.length);

        // A small row limit keeps each run fast; the limit logic is the same at any size.
        int maxRows = 2000;
        T4Decoder dec = new T4Decoder(new ByteArrayInputStream(data), width, options,
                Math.min(expected, maxRows), maxRows);
        byte[] row = new byte[(width + 7) / 8];
        try {
            while (dec.readRow(row, 0)) {
                if ((width & 7) != 0) {
                    assertThat(row[row.length - 1] & (0xFF >>> (width & 7))).as("padding bits").isZero();
                }
            }
        } catch (FaxCodecException e) {
            assertThat(e.getMessage()).contains("rows");
            return;
        }
        if (expected > 0) {
            assertThat(dec.rows()).isEqualTo(expected);
        }
        assertThat(dec.badLineCount()).isBetween(0, dec.rows());
    }
}
