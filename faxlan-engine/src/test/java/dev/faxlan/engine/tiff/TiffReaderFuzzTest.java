package dev.faxlan.engine.tiff;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.faxlan.engine.t4.DecodeResult;

/**
 * Fuzz target for the TIFF reader: any input gives pages or a {@link TiffFormatException}. In
 * regression mode the seeds under {@code TiffReaderFuzzTestInputs/read} run.
 */
class TiffReaderFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void read(byte[] input) throws Exception {
        try (TiffReader r = TiffReader.of(input)) {
            assertThat(r.pageCount()).isPositive();
            // A few pages are enough to reach every decoding path; hundreds would only cost time.
            for (int i = 0; i < Math.min(3, r.pageCount()); i++) {
                TiffPageInfo info = r.pageInfo(i);
                DecodeResult d = r.readPage(i);
                assertThat(d.page().width()).isEqualTo(info.width());
                assertThat(d.page().height()).isEqualTo(info.height());
            }
        } catch (TiffFormatException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
