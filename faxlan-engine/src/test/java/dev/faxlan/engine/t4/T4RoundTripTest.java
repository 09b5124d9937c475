package dev.faxlan.engine.t4;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.testsupport.TestPages;
import dev.faxlan.engine.testsupport.TestPages.Style;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Encode then decode random pages with every option combination: pixels must survive. */
class T4RoundTripTest {

    @Provide
    Arbitrary<CodecOptions> options() {
        Arbitrary<Compression> comp = Arbitraries.of(Compression.class);
        Arbitrary<Integer> k = Arbitraries.of(1, 2, 4, 1000);
        Arbitrary<BitOrder> order = Arbitraries.of(BitOrder.class);
        Arbitrary<Boolean> fill = Arbitraries.of(true, false);
        Arbitrary<Integer> minBits = Arbitraries.of(0, 0, 96, 1000);
        Arbitrary<Boolean> eop = Arbitraries.of(true, false);
        return net.jqwik.api.Combinators.combine(comp, k, order, fill, minBits, eop)
                .as(CodecOptions::new);
    }

    @Provide
    Arbitrary<Integer> widths() {
        return Arbitraries.oneOf(Arbitraries.of(1728, 2048, 2432, 1, 7, 8, 9, 64, 65),
                Arbitraries.integers().between(1, BilevelPage.MAX_WIDTH));
    }

    @Property(tries = 300)
    void decodeOfEncodeIsIdentity(@ForAll("options") CodecOptions options,
            @ForAll("widths") int width, @ForAll @IntRange(min = 0, max = 30) int height,
            @ForAll Style style, @ForAll long seed, @ForAll boolean heightKnown) throws Exception {
        BilevelPage page = TestPages.random(seed, width, height, style);
        byte[] coded = T4Encoder.encode(page, options);

        // Without RTC/EOFB a page of unknown height ends at the end of the data, which works
        // for every scheme; so both modes are checked.
        DecodeResult result = T4Decoder.decode(coded, width, 204, 196, options,
                heightKnown ? height : 0);

        assertThat(result.badLineCount()).as("bad lines").isZero();
        assertThat(result.page().height()).isEqualTo(height);
        assertThat(result.page().firstDifferentRow(page)).as("first differing row").isEqualTo(-1);
        assertThat(result.page()).isEqualTo(page);
    }

    @Property(tries = 50)
    void minimumBitsPerLineIsHonoured(@ForAll @IntRange(min = 1, max = 3000) int minBits,
            @ForAll boolean mr, @ForAll long seed) throws Exception {
        BilevelPage page = TestPages.random(seed, 1728, 12, Style.BLOCKS);
        CodecOptions opts = (mr ? CodecOptions.mr(2) : CodecOptions.mh()).withMinBitsPerLine(minBits);
        byte[] coded = T4Encoder.encode(page, opts);
        // Every line (EOL to next EOL) takes at least minBits; RTC is 6 (EOL + tag).
        int eolBits = mr ? 13 : 12;
        assertThat((long) coded.length * 8).isGreaterThanOrEqualTo((long) minBits * 12 + 5L * eolBits);
        assertThat(T4Decoder.decode(coded, 1728, 204, 196, opts, 0).page()).isEqualTo(page);
    }

    @Property(tries = 30)
    void streamingDecoderHandsOutRowsOneByOne(@ForAll long seed, @ForAll boolean lsb) throws Exception {
        BilevelPage page = TestPages.random(seed, 1728, 50, Style.DRIFT);
        CodecOptions opts = CodecOptions.mr(4).withBitOrder(lsb ? BitOrder.LSB_FIRST : BitOrder.MSB_FIRST);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        T4Encoder enc = new T4Encoder(sink, 1728, opts);
        for (int y = 0; y < page.height(); y++) {
            enc.writeRow(page.row(y), 0);
        }
        enc.finish();
        T4Decoder dec = new T4Decoder(new ByteArrayInputStream(sink.toByteArray()), 1728, opts, 0);
        byte[] row = new byte[page.bytesPerRow()];
        for (int y = 0; y < page.height(); y++) {
            assertThat(dec.readRow(row, 0)).isTrue();
            assertThat(row).isEqualTo(page.row(y));
        }
        assertThat(dec.readRow(row, 0)).isFalse();
        assertThat(dec.badLineCount()).isZero();
    }
}
