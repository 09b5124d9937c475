package dev.faxlan.engine.t4;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.image.BilevelPage;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Rows written from runs 64 bits at a time ({@link Runs#fill}) against a pixel-by-pixel
 * reference, and random runs through encode and decode.
 */
class RunsTest {

    /** Run lengths that hit the edge cases of word-wise writing: empty, short, word-sized, long. */
    @Provide
    Arbitrary<List<Integer>> runs() {
        Arbitrary<Integer> length = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(0, 8)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(63, 64, 65, 127, 128, 129)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(9, 300)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(300, 5000)));
        return length.list().ofMaxSize(400);
    }

    @Provide
    Arbitrary<Integer> widths() {
        return Arbitraries.oneOf(Arbitraries.of(1, 7, 8, 9, 63, 64, 65, 1728, 2048, 2432, BilevelPage.MAX_WIDTH),
                Arbitraries.integers().between(1, BilevelPage.MAX_WIDTH));
    }

    @Property(tries = 500)
    void fillWritesEveryByteOfTheRowAndNothingElse(@ForAll("runs") List<Integer> runs,
            @ForAll("widths") int width, @ForAll @IntRange(min = 0, max = 9) int off) {
        int bytes = BilevelPage.bytesPerRow(width);
        boolean[] pixels = pixels(runs, width);
        int[] ce = new int[Runs.arraySize(width)];
        int n = changes(pixels, ce);

        // Garbage around and under the row: fill must overwrite the row and only the row.
        byte[] dst = new byte[off + bytes + 9];
        Arrays.fill(dst, (byte) 0x5A);
        Runs.fill(ce, n, dst, off, width);

        byte[] expected = dst.clone();
        Arrays.fill(expected, off, off + bytes, (byte) 0);
        for (int x = 0; x < width; x++) {
            if (pixels[x]) {
                expected[off + (x >>> 3)] |= (byte) (0x80 >>> (x & 7));
            }
        }
        assertThat(dst).isEqualTo(expected);
        // And back: the changing elements of the written row are the ones it was made from.
        int[] back = new int[Runs.arraySize(width)];
        assertThat(Runs.changes(dst, off, width, back)).isEqualTo(n);
        assertThat(Arrays.copyOf(back, n + 3)).isEqualTo(Arrays.copyOf(ce, n + 3));
    }

    /** Any bytes, noise or halftone-like, with garbage past the width and around the row. */
    @Property(tries = 500)
    void changesOfAnyRowAreThePixelByPixelOnes(@ForAll("widths") int width, @ForAll @IntRange(min = 0, max = 9) int off,
            @ForAll long seed, @ForAll @IntRange(min = 0, max = 3) int texture) {
        java.util.Random r = new java.util.Random(seed);
        int bytes = BilevelPage.bytesPerRow(width);
        byte[] row = new byte[off + bytes + 9];
        r.nextBytes(row);
        for (int i = off; i < off + bytes; i++) {
            switch (texture) {
                case 0 -> row[i] = (byte) (r.nextInt(8) == 0 ? row[i] : 0); // mostly white
                case 1 -> row[i] = (byte) (r.nextInt(8) == 0 ? row[i] : -1); // mostly black
                case 2 -> row[i] = (byte) (r.nextBoolean() ? 0x55 : 0xAA); // a change at every pixel
                default -> { } // noise
            }
        }
        boolean[] pixels = new boolean[width];
        for (int x = 0; x < width; x++) {
            pixels[x] = (row[off + (x >>> 3)] & (0x80 >>> (x & 7))) != 0;
        }
        int[] expected = new int[Runs.arraySize(width)];
        int n = changes(pixels, expected);
        int[] ce = new int[Runs.arraySize(width)];
        assertThat(Runs.changes(row, off, width, ce)).isEqualTo(n);
        assertThat(Arrays.copyOf(ce, n + 3)).isEqualTo(Arrays.copyOf(expected, n + 3));
    }

    @Property(tries = 150)
    void randomRunsSurviveEncodeAndDecode(@ForAll("runs") List<Integer> runs, @ForAll("widths") int width,
            @ForAll @IntRange(min = 1, max = 12) int height, @ForAll Compression compression,
            @ForAll BitOrder order) throws Exception {
        BilevelPage page = new BilevelPage(width, height, 204, 196);
        // Each row takes the runs from a different starting point, so rows differ and 2-D
        // coding sees every mode.
        for (int y = 0; y < height; y++) {
            List<Integer> rowRuns = runs.subList(Math.min(runs.size(), y * 3), runs.size());
            boolean[] pixels = pixels(rowRuns, width);
            byte[] row = new byte[page.bytesPerRow()];
            for (int x = 0; x < width; x++) {
                if (pixels[x]) {
                    row[x >>> 3] |= (byte) (0x80 >>> (x & 7));
                }
            }
            page.setRow(y, row, 0);
        }
        CodecOptions options = new CodecOptions(compression, 4, order, false, 0, true);
        byte[] coded = T4Encoder.encode(page, options);

        DecodeResult decoded = T4Decoder.decode(coded, width, 204, 196, options, height);

        assertThat(decoded.badLineCount()).as("bad lines").isZero();
        assertThat(decoded.page()).isEqualTo(page);
    }

    /** Pixels of a row made of alternating runs, white first; the last run fills the row. */
    private static boolean[] pixels(List<Integer> runs, int width) {
        boolean[] p = new boolean[width];
        int x = 0;
        boolean black = false;
        for (int run : runs) {
            for (int i = 0; i < run && x < width; i++) {
                p[x++] = black;
            }
            black = !black;
        }
        while (x < width) {
            p[x++] = black;
        }
        return p;
    }

    /** Changing elements of a pixel row, the slow and obvious way. */
    private static int changes(boolean[] pixels, int[] ce) {
        int n = 0;
        boolean color = false;
        for (int x = 0; x < pixels.length; x++) {
            if (pixels[x] != color) {
                ce[n++] = x;
                color = pixels[x];
            }
        }
        Arrays.fill(ce, n, n + 3, pixels.length);
        return n;
    }
}
