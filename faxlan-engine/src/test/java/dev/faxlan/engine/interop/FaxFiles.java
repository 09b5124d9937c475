package dev.faxlan.engine.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t4.DecodeResult;
import dev.faxlan.engine.tiff.TiffReader;
import dev.faxlan.engine.tiff.TiffWriteOptions;
import dev.faxlan.engine.tiff.TiffEncoding;
import dev.faxlan.engine.tiff.TiffWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** TIFF-F files for the spandsp peer, written and read back with the engine's own TIFF code. */
public final class FaxFiles {

    /** A4 width at 204 dpi, the only width spandsp 0.0.6 sends from a file. */
    public static final int A4_WIDTH = 1728;

    private FaxFiles() {
    }

    /** Vertical resolutions of T.30, in dpi as TIFF files carry them. */
    public enum Resolution {
        STANDARD(98), FINE(196), SUPERFINE(391);

        private final int yDpi;

        Resolution(int yDpi) {
            this.yDpi = yDpi;
        }

        public int yDpi() {
            return yDpi;
        }

        /** Rows of an A4 page (297 mm) at this resolution. */
        public int a4Rows() {
            return (int) Math.round(297 / 25.4 * yDpi);
        }
    }

    /**
     * {@code count} A4 pages that look like a letter: a frame, a dark header band and lines of
     * small "glyphs", mostly white, so they are quick to send yet exercise every coding mode.
     * Deterministic for a seed; each page differs.
     */
    public static List<BilevelPage> letterPages(long seed, int count, Resolution res) {
        List<BilevelPage> pages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            pages.add(letterPage(seed * 1000 + i, res));
        }
        return pages;
    }

    static BilevelPage letterPage(long seed, Resolution res) {
        Random rnd = new Random(seed);
        int rows = res.a4Rows();
        double scale = res.yDpi() / 196.0;
        BilevelPage page = new BilevelPage(A4_WIDTH, rows, 204, res.yDpi());
        int margin = 80;
        // Frame.
        fill(page, margin, (int) (60 * scale), A4_WIDTH - margin, (int) (64 * scale));
        fill(page, margin, rows - (int) (64 * scale), A4_WIDTH - margin, rows - (int) (60 * scale));
        fill(page, margin, (int) (60 * scale), margin + 4, rows - (int) (60 * scale));
        fill(page, A4_WIDTH - margin - 4, (int) (60 * scale), A4_WIDTH - margin, rows - (int) (60 * scale));
        // Header band with white glyphs cut out of it.
        int hTop = (int) (100 * scale);
        int hBottom = (int) (150 * scale);
        fill(page, margin + 40, hTop, A4_WIDTH - margin - 40, hBottom);
        for (int x = margin + 60; x < A4_WIDTH - margin - 80; x += 28 + rnd.nextInt(20)) {
            clear(page, x, hTop + (int) (10 * scale), x + 8 + rnd.nextInt(12), hBottom - (int) (10 * scale));
        }
        // Text lines.
        int lineHeight = (int) Math.max(6, 14 * scale);
        int pitch = (int) Math.max(10, 36 * scale);
        for (int y = (int) (200 * scale); y + lineHeight < rows - (int) (100 * scale); y += pitch) {
            if (rnd.nextInt(6) == 0) {
                continue;
            }
            int end = margin + 60 + rnd.nextInt(A4_WIDTH - 2 * margin - 120);
            for (int x = margin + 60; x < end; ) {
                int w = 3 + rnd.nextInt(12);
                int top = y + rnd.nextInt(Math.max(1, lineHeight / 3));
                int bottom = y + lineHeight - rnd.nextInt(Math.max(1, lineHeight / 4));
                if (rnd.nextInt(3) == 0) {
                    fill(page, x, top, x + w, top + 2);
                    fill(page, x, top, x + 2, bottom);
                    fill(page, x + w - 2, top, x + w, bottom);
                } else {
                    fill(page, x, top, x + w, bottom);
                    if (w > 6) {
                        clear(page, x + 2, top + 2, x + w - 2, bottom - 2);
                    }
                }
                x += w + 2 + rnd.nextInt(4) + (rnd.nextInt(7) == 0 ? 14 : 0);
            }
        }
        return page;
    }

    private static void fill(BilevelPage page, int x0, int y0, int x1, int y1) {
        for (int y = Math.max(0, y0); y < Math.min(page.height(), y1); y++) {
            for (int x = Math.max(0, x0); x < Math.min(page.width(), x1); x++) {
                page.setPixel(x, y, true);
            }
        }
    }

    private static void clear(BilevelPage page, int x0, int y0, int x1, int y1) {
        for (int y = Math.max(0, y0); y < Math.min(page.height(), y1); y++) {
            for (int x = Math.max(0, x0); x < Math.min(page.width(), x1); x++) {
                page.setPixel(x, y, false);
            }
        }
    }

    /** Writes {@code pages} as a TIFF-F file for the peer to send. */
    public static Path write(Path file, List<BilevelPage> pages, TiffEncoding encoding) throws IOException {
        Files.write(file, TiffWriter.toBytes(pages, TiffWriteOptions.of(encoding).withTotalPages(pages.size())));
        return file;
    }

    /** Decodes every page of a TIFF file, e.g. one the peer received. */
    public static List<DecodeResult> read(Path file) throws IOException {
        return TiffReader.readAll(Files.readAllBytes(file));
    }

    /**
     * Asserts that {@code file} holds exactly {@code expected}: same page count, no bad rows,
     * same size, resolution and pixels, naming the first differing row otherwise.
     */
    public static void assertSamePages(Path file, List<BilevelPage> expected) throws IOException {
        assertThat(file).as("received file").exists();
        List<DecodeResult> actual = read(file);
        assertThat(actual).as("pages in %s", file).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            DecodeResult r = actual.get(i);
            BilevelPage want = expected.get(i);
            assertThat(r.badLineCount()).as("bad rows on page %d", i + 1).isZero();
            assertThat(r.page().toString()).as("size and resolution of page %d", i + 1).isEqualTo(want.toString());
            assertThat(r.page().firstDifferentRow(want)).as("first differing row on page %d", i + 1).isEqualTo(-1);
            assertThat(r.page()).as("page %d", i + 1).isEqualTo(want);
        }
    }
}
