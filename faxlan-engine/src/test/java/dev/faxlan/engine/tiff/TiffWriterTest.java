package dev.faxlan.engine.tiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.engine.image.BilevelPage;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class TiffWriterTest {

    private static BilevelPage page(int seed) {
        BilevelPage p = new BilevelPage(1728, 300, 204, 196);
        for (int y = 0; y < 300; y += 3) {
            for (int x = (y * seed) % 50; x < 1728; x += 7 + seed) {
                p.setPixel(x, y, true);
            }
        }
        return p;
    }

    @Test
    void pagesCodedApartAreWrittenAsTheWriterWouldCodeThem() throws Exception {
        for (TiffEncoding e : TiffEncoding.values()) {
            TiffWriteOptions options = TiffWriteOptions.of(e).withTotalPages(3);
            List<BilevelPage> pages = List.of(page(1), page(2), page(3));
            ByteArrayOutputStream coded = new ByteArrayOutputStream();
            try (TiffWriter w = new TiffWriter(coded, options)) {
                for (BilevelPage p : pages) {
                    w.writePage(TiffWriter.code(p, options));
                }
            }

            assertThat(coded.toByteArray()).as(e.toString()).isEqualTo(TiffWriter.toBytes(pages, options));
        }
    }

    @Test
    void aPageCodedForAnotherCompressionIsRefused() throws Exception {
        TiffWriter w = new TiffWriter(new ByteArrayOutputStream(), TiffWriteOptions.of(TiffEncoding.G4));
        TiffWriter.CodedPage mh = TiffWriter.code(page(1), TiffWriteOptions.of(TiffEncoding.G3_1D));

        assertThatThrownBy(() -> w.writePage(mh)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("page coded as G3_1D for a G4 file");
    }
}
