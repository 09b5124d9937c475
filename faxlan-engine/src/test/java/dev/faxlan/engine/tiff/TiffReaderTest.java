package dev.faxlan.engine.tiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t4.BitOrder;
import dev.faxlan.engine.t4.DecodeResult;
import dev.faxlan.engine.testsupport.TestPages;
import dev.faxlan.engine.testsupport.TestPages.Style;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TiffReaderTest {

    private static final List<BilevelPage> PAGES = List.of(
            TestPages.random(1, 1728, 60, Style.BLOCKS),
            TestPages.random(2, 2048, 40, Style.NOISE).withResolution(204, 98),
            TestPages.random(3, 2432, 30, Style.DRIFT).withResolution(204, 391));

    @ParameterizedTest
    @EnumSource(TiffEncoding.class)
    void readsBackWhatItWrites(TiffEncoding encoding) throws Exception {
        for (BitOrder order : BitOrder.values()) {
            byte[] tiff = TiffWriter.toBytes(PAGES, TiffWriteOptions.of(encoding).withFillOrder(order));
            TiffReader r = TiffReader.of(tiff);
            assertThat(r.pageCount()).isEqualTo(3);
            assertThat(r.pageInfo(2).yRes()).isEqualTo(391);
            assertThat(r.pageInfo(1).width()).isEqualTo(2048);
            for (int i = 0; i < 3; i++) {
                DecodeResult d = r.readPage(i);
                assertThat(d.badLineCount()).isZero();
                assertThat(d.page()).isEqualTo(PAGES.get(i));
            }
        }
    }

    @Test
    void readsFromFileAndStreamsWithoutKnowingTheTotal(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("x.tif");
        try (TiffWriter w = new TiffWriter(Files.newOutputStream(f), TiffWriteOptions.of(TiffEncoding.G4))) {
            for (BilevelPage p : PAGES) {
                w.writePage(p);
            }
        }
        try (TiffReader r = TiffReader.open(f)) {
            assertThat(r.pageCount()).isEqualTo(3);
            assertThat(r.readPage(1).page()).isEqualTo(PAGES.get(1));
        }
    }

    @Test
    void writesBadLineTagsForDamagedPages() throws Exception {
        DecodeResult damaged = new DecodeResult(PAGES.get(0), 5, 3);
        byte[] tiff;
        try (var out = new java.io.ByteArrayOutputStream(); TiffWriter w = new TiffWriter(out, TiffWriteOptions.of(TiffEncoding.G3_2D))) {
            w.writePage(damaged);
            w.finish();
            tiff = out.toByteArray();
        }
        assertThat(TiffReader.of(tiff).pageInfo(0).badFaxLines()).isEqualTo(5);
        ByteBuffer b = ByteBuffer.wrap(tiff).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getShort(TiffTestFiles.entry(tiff, TiffTags.CLEAN_FAX_DATA) + 8)).isEqualTo((short) 1);
        assertThat(b.getInt(TiffTestFiles.entry(tiff, TiffTags.CONSECUTIVE_BAD_FAX_LINES) + 8)).isEqualTo(3);
    }

    @Test
    void readsMinIsBlack() throws Exception {
        byte[] plain = TiffWriter.toBytes(PAGES.subList(0, 1), TiffWriteOptions.of(TiffEncoding.UNCOMPRESSED));
        assertThat(TiffReader.readAll(TiffTestFiles.toMinIsBlack(plain)).get(0).page()).isEqualTo(PAGES.get(0));
    }

    @Test
    void readsCcittRleCompression2() throws Exception {
        // No tool at hand writes Compression 2, so put RLE rows into an uncompressed file's strip.
        BilevelPage page = PAGES.get(0);
        byte[] tiff = TiffWriter.toBytes(List.of(page), TiffWriteOptions.of(TiffEncoding.UNCOMPRESSED));
        byte[] rle = dev.faxlan.engine.t4.T4Encoder.encode(page, dev.faxlan.engine.t4.CodecOptions.rle());
        ByteBuffer b = ByteBuffer.wrap(tiff).order(ByteOrder.LITTLE_ENDIAN);
        int strip = b.getInt(TiffTestFiles.entry(tiff, TiffTags.STRIP_OFFSETS) + 8);
        assertThat(rle.length).isLessThan(b.getInt(TiffTestFiles.entry(tiff, TiffTags.STRIP_BYTE_COUNTS) + 8));
        System.arraycopy(rle, 0, tiff, strip, rle.length);
        b.putInt(TiffTestFiles.entry(tiff, TiffTags.STRIP_BYTE_COUNTS) + 8, rle.length);
        b.putShort(TiffTestFiles.entry(tiff, TiffTags.COMPRESSION) + 8, (short) 2);

        DecodeResult d = TiffReader.readAll(tiff).get(0);

        assertThat(d.badLineCount()).isZero();
        assertThat(d.page()).isEqualTo(page);
    }

    private static byte[] valid() {
        return TiffWriter.toBytes(PAGES.subList(0, 1), TiffWriteOptions.of(TiffEncoding.G4));
    }

    private static void assertRejected(byte[] data, String message) {
        assertThatThrownBy(() -> TiffReader.readAll(data))
                .isInstanceOf(TiffFormatException.class)
                .hasMessageContaining(message);
    }

    @Test
    void rejectsEmptyAndForeignFiles() {
        assertRejected(new byte[0], "shorter than the 8-byte header");
        assertRejected("%PDF-1.7\n...".getBytes(), "not a TIFF");
        assertRejected(new byte[] {'I', 'I', 43, 0, 8, 0, 0, 0}, "BigTIFF");
        assertRejected(new byte[] {'I', 'I', 42, 0, 0, 0, 0, 0}, "no pages");
    }

    @Test
    void rejectsIfdLoops() {
        byte[] t = valid();
        ByteBuffer b = ByteBuffer.wrap(t).order(ByteOrder.LITTLE_ENDIAN);
        int n = b.getShort(8);
        b.putInt(8 + 2 + 12 * n, 8); // next IFD = first IFD
        assertRejected(t, "loops back to offset 8");
    }

    @Test
    void rejectsOutOfRangeValues() {
        byte[] t = valid();
        ByteBuffer b = ByteBuffer.wrap(t).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(TiffTestFiles.entry(t, TiffTags.IMAGE_WIDTH) + 8, 100_000);
        assertRejected(t, "width 100000 outside 1..4864");

        t = valid();
        b = ByteBuffer.wrap(t).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(TiffTestFiles.entry(t, TiffTags.BITS_PER_SAMPLE) + 8, (short) 8);
        assertRejected(t, "not a bilevel image: BitsPerSample 8");

        t = valid();
        b = ByteBuffer.wrap(t).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(TiffTestFiles.entry(t, TiffTags.COMPRESSION) + 8, (short) 7);
        assertRejected(t, "compression 7 not supported");

        t = valid();
        b = ByteBuffer.wrap(t).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(TiffTestFiles.entry(t, TiffTags.STRIP_BYTE_COUNTS) + 8, 1 << 30);
        assertRejected(t, "runs past the end of the file");

        assertRejected(Arrays.copyOf(valid(), valid().length - 10), "runs past the end of the file");
    }

    @Test
    void largestDeclaredPageFromATinyFileIsQuickAndCountedBad() throws Exception {
        byte[] t = valid();
        ByteBuffer b = ByteBuffer.wrap(t).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(TiffTestFiles.entry(t, TiffTags.IMAGE_WIDTH) + 8, BilevelPage.MAX_WIDTH);
        b.putInt(TiffTestFiles.entry(t, TiffTags.IMAGE_LENGTH) + 8, BilevelPage.MAX_HEIGHT);
        b.putInt(TiffTestFiles.entry(t, TiffTags.ROWS_PER_STRIP) + 8, BilevelPage.MAX_HEIGHT);

        DecodeResult d = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(10), () -> TiffReader.readAll(t).get(0));

        assertThat(d.page().height()).isEqualTo(BilevelPage.MAX_HEIGHT);
        assertThat(d.badLineCount()).isGreaterThan(BilevelPage.MAX_HEIGHT - 100);
    }

    @Test
    void mutatedFilesGiveTypedErrorsOnly() {
        Random rnd = new Random(5);
        byte[] base = TiffWriter.toBytes(PAGES.subList(0, 2), TiffWriteOptions.of(TiffEncoding.G3_2D));
        int accepted = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] t = base.clone();
            for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                // Mostly hit the IFDs, where the structure is.
                int pos = rnd.nextInt(4) == 0 ? rnd.nextInt(t.length) : rnd.nextInt(Math.min(t.length, 300));
                t[pos] = (byte) rnd.nextInt(256);
            }
            try {
                List<DecodeResult> pages = TiffReader.readAll(t);
                assertThat(pages).isNotEmpty();
                accepted++;
            } catch (TiffFormatException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        }
        assertThat(accepted).isPositive();
    }
}
