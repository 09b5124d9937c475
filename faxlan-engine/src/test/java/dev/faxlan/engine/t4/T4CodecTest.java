package dev.faxlan.engine.t4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.testsupport.TestPages;
import dev.faxlan.engine.testsupport.TestPages.Style;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bit-exact vectors worked out by hand from T.4 tables, and damaged-data behaviour. */
class T4CodecTest {

    private static final HexFormat HEX = HexFormat.of();

    private static BilevelPage white(int rows) {
        return new BilevelPage(1728, rows, 204, 98);
    }

    @Test
    void mhWhiteLineIsEolMakeup1728Terminating0() {
        // EOL 0000 0000 0001, white 1728 make-up 0100 1101 1, white 0 0011 0101, pad 000
        byte[] coded = T4Encoder.encode(white(1), CodecOptions.mh().withEndOfPage(false));
        assertThat(HEX.formatHex(coded)).isEqualTo("0014d9a8");
    }

    @Test
    void lsbFirstReversesEachByte() {
        byte[] coded = T4Encoder.encode(white(1),
                CodecOptions.mh().withEndOfPage(false).withBitOrder(BitOrder.LSB_FIRST));
        assertThat(HEX.formatHex(coded)).isEqualTo("00289b15");
    }

    @Test
    void fillBitsMakeEolEndOnByteBoundary() {
        // 0000 + EOL ends exactly at the end of byte 2.
        byte[] coded = T4Encoder.encode(white(1), CodecOptions.mh().withEndOfPage(false).withFillBits(true));
        assertThat(HEX.formatHex(coded)).isEqualTo("00014d9a80");
    }

    @Test
    void rtcIsSixEols() {
        byte[] coded = T4Encoder.encode(white(0), CodecOptions.mh());
        // 72 bits: 6 x 0000 0000 0001
        assertThat(HEX.formatHex(coded)).isEqualTo("001001001001001001");
    }

    @Test
    void mrRtcEolsCarryTagBit1() {
        byte[] coded = T4Encoder.encode(white(0), CodecOptions.mr(2));
        // 6 x 0000 0000 0001 1 = 78 bits, padded to 80
        assertThat(HEX.formatHex(coded)).isEqualTo("001800c006003001800c");
    }

    @Test
    void mmrWhiteLineIsV0ThenEofb() {
        byte[] coded = T4Encoder.encode(white(1), CodecOptions.mmr());
        assertThat(HEX.formatHex(coded)).isEqualTo("80080080");
    }

    @Test
    void minBitsPerLinePadsBeforeEol() throws Exception {
        CodecOptions opts = CodecOptions.mh().withEndOfPage(false).withMinBitsPerLine(64);
        byte[] coded = T4Encoder.encode(white(2), opts);
        // line 1: 29 bits + 35 fill; line 2: 29 bits + 35 fill = 128 bits
        assertThat(coded).hasSize(16);
        assertThat(T4Decoder.decode(coded, 1728, 204, 98, opts, 0).page()).isEqualTo(white(2));
    }

    @Test
    void rowLongerThan2623PixelsUsesRepeatedMakeup() throws Exception {
        BilevelPage page = new BilevelPage(4864, 3, 400, 400);
        page.setPixel(4863, 1, true);
        for (CodecOptions o : List.of(CodecOptions.mh(), CodecOptions.mr(2), CodecOptions.mmr())) {
            byte[] coded = T4Encoder.encode(page, o);
            assertThat(T4Decoder.decode(coded, 4864, 400, 400, o, 0).page()).isEqualTo(page);
        }
    }

    /** Index of the first data byte of each line in MH/MR data coded with fill bits. */
    private static int[] lineStarts(byte[] coded, int lines, boolean mr) {
        int[] starts = new int[lines];
        int found = 0;
        for (int i = 1; i < coded.length && found < lines; i++) {
            if (coded[i] == 1 && (coded[i - 1] & 0x0F) == 0) {
                starts[found++] = i + 1;
            }
        }
        assertThat(found).isEqualTo(lines);
        return starts;
    }

    @Test
    void damagedMhLineIsReplacedByPreviousAndCounted() throws Exception {
        BilevelPage page = TestPages.random(7, 1728, 3, Style.NOISE);
        CodecOptions opts = CodecOptions.mh().withFillBits(true);
        byte[] coded = T4Encoder.encode(page, opts);
        int[] starts = lineStarts(coded, 3, false);
        // 0000 0000 1: no white code looks like this, and it is no EOL.
        coded[starts[1]] = 0;
        coded[starts[1] + 1] = (byte) 0x80;

        DecodeResult r = T4Decoder.decode(coded, 1728, 204, 196, opts, 0);

        assertThat(r.badLineCount()).isEqualTo(1);
        assertThat(r.maxConsecutiveBadLines()).isEqualTo(1);
        assertThat(r.page().height()).isEqualTo(3);
        assertThat(r.page().row(0)).isEqualTo(page.row(0));
        assertThat(r.page().row(1)).isEqualTo(page.row(0));
        assertThat(r.page().row(2)).isEqualTo(page.row(2));
    }

    @Test
    void damagedMrLineRecoversAtNextOneDimensionalLine() throws Exception {
        BilevelPage page = TestPages.random(8, 1728, 8, Style.DRIFT);
        CodecOptions opts = CodecOptions.mr(4).withFillBits(true);
        byte[] coded = T4Encoder.encode(page, opts);
        // Line 1 is 2-D; its EOL byte is 0x01 followed by the tag bit 0 in the next byte.
        int[] starts = lineStarts(coded, 8, true);
        coded[starts[1]] = 0x00; // tag 0, then 0000000 + 0: eight zeros, no mode code
        coded[starts[1] + 1] = (byte) 0x40;

        DecodeResult r = T4Decoder.decode(coded, 1728, 204, 196, opts, 8);

        assertThat(r.badLineCount()).isBetween(1, 3);
        assertThat(r.page().row(0)).isEqualTo(page.row(0));
        assertThat(r.page().row(1)).isEqualTo(page.row(0));
        for (int y = 4; y < 8; y++) {
            assertThat(r.page().row(y)).as("row %d after the next 1-D line", y).isEqualTo(page.row(y));
        }
    }

    @Test
    void damagedMmrEndsPageWithRemainingRowsCountedBad() throws Exception {
        BilevelPage page = TestPages.random(9, 1728, 40, Style.BLOCKS);
        byte[] coded = T4Encoder.encode(page, CodecOptions.mmr());
        int cut = coded.length / 2;
        for (int i = cut; i < cut + 4; i++) {
            coded[i] = 0;
        }

        DecodeResult r = T4Decoder.decode(coded, 1728, 204, 196, CodecOptions.mmr(), 40);

        assertThat(r.page().height()).isEqualTo(40);
        assertThat(r.badLineCount()).isPositive();
        assertThat(r.maxConsecutiveBadLines()).isEqualTo(r.badLineCount());
        int good = 40 - r.badLineCount();
        for (int y = 0; y < good - 1; y++) {
            assertThat(r.page().row(y)).isEqualTo(page.row(y));
        }
    }

    @Test
    void truncatedDataWithKnownHeightGivesWhiteBadRows() throws Exception {
        BilevelPage page = TestPages.random(10, 1728, 30, Style.NOISE);
        byte[] coded = T4Encoder.encode(page, CodecOptions.mh());
        byte[] half = java.util.Arrays.copyOf(coded, coded.length / 2);

        DecodeResult r = T4Decoder.decode(half, 1728, 204, 196, CodecOptions.mh(), 30);

        assertThat(r.page().height()).isEqualTo(30);
        assertThat(r.badLineCount()).isBetween(14, 17);
        assertThat(r.page().row(29)).containsOnly(0);
    }

    @Test
    void bitsBeforeTheFirstEolAreSkippedOnTheFaxLine() throws Exception {
        BilevelPage page = TestPages.random(11, 1728, 5, Style.BLOCKS);
        for (CodecOptions o : List.of(CodecOptions.mh(), CodecOptions.mr(2))) {
            byte[] coded = T4Encoder.encode(page, o);
            byte[] noisy = new byte[coded.length + 3];
            noisy[0] = (byte) 0xFF;
            noisy[1] = (byte) 0xA5;
            noisy[2] = (byte) 0x3C;
            System.arraycopy(coded, 0, noisy, 3, coded.length);

            DecodeResult r = T4Decoder.decode(noisy, 1728, 204, 196, o, 0);

            assertThat(r.badLineCount()).isZero();
            assertThat(r.page()).isEqualTo(page);
        }
    }

    @Test
    void endlessPageHitsRowLimitWithTypedError() {
        byte[] ones = new byte[10_000];
        java.util.Arrays.fill(ones, (byte) 0xFF); // MMR V0 codes: one white row per bit
        assertThatThrownBy(() -> T4Decoder.decode(ones, 1728, 204, 196, CodecOptions.mmr(), 0))
                .isInstanceOf(FaxCodecException.class)
                .hasMessageContaining("65535 rows");
    }

    @Test
    void randomGarbageNeverThrowsAndTerminates() throws Exception {
        Random rnd = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] data = new byte[rnd.nextInt(3000)];
            rnd.nextBytes(data);
            if (rnd.nextBoolean()) {
                for (int j = 0; j < data.length; j++) {
                    data[j] &= (byte) rnd.nextInt(256); // more zeros: more EOLs
                }
            }
            Compression c = Compression.values()[rnd.nextInt(4)];
            CodecOptions o = new CodecOptions(c, 2, BitOrder.values()[rnd.nextInt(2)], false, 0, true);
            int width = 1 + rnd.nextInt(2500);
            int rows = rnd.nextBoolean() ? 0 : rnd.nextInt(300);
            DecodeResult r = T4Decoder.decode(data, width, 204, 196, o, rows);
            if (rows > 0) {
                assertThat(r.page().height()).isEqualTo(rows);
            }
            assertThat(r.badLineCount()).isLessThanOrEqualTo(r.page().height());
        }
    }
}
