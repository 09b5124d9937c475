package dev.faxlan.bench.codec;

import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t4.DecodeResult;
import dev.faxlan.engine.tiff.TiffEncoding;
import dev.faxlan.engine.tiff.TiffReader;
import dev.faxlan.engine.tiff.TiffWriteOptions;
import dev.faxlan.engine.tiff.TiffWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Companion of {@code bench/codec-vs-libtiff.sh}: writes the corpus as an uncompressed TIFF,
 * and times our file-to-file conversions, the same work {@code tiffcp -c g3|g4|none} does.
 *
 * <pre>
 * CodecVsLibtiff corpus OUT.tif
 * CodecVsLibtiff time DIR REPEATS   # prints "name pages/s" lines
 * </pre>
 */
public final class CodecVsLibtiff {

    private CodecVsLibtiff() {
    }

    public static void main(String[] args) throws IOException {
        switch (args.length > 0 ? args[0] : "") {
            case "corpus" -> Files.write(Path.of(args[1]),
                    TiffWriter.toBytes(BenchPages.all(), TiffWriteOptions.of(TiffEncoding.UNCOMPRESSED)));
            case "time" -> time(Path.of(args[1]), Integer.parseInt(args[2]));
            default -> {
                System.err.println("usage: CodecVsLibtiff corpus OUT.tif | time DIR REPEATS");
                System.exit(2);
            }
        }
    }

    private static void time(Path dir, int repeats) throws IOException {
        Path plain = dir.resolve("corpus.tif");
        Path g3 = dir.resolve("ours-g3.tif");
        Path g4 = dir.resolve("ours-g4.tif");
        Path back = dir.resolve("ours-back.tif");
        // Warm-up: let the JIT compile the codec before timing, as a long-running server would.
        for (int i = 0; i < 3; i++) {
            convert(plain, g3, TiffEncoding.G3_1D);
            convert(g3, back, TiffEncoding.UNCOMPRESSED);
            convert(plain, g4, TiffEncoding.G4);
            convert(g4, back, TiffEncoding.UNCOMPRESSED);
        }
        report("encode-g3", repeats, () -> convert(plain, g3, TiffEncoding.G3_1D));
        report("decode-g3", repeats, () -> convert(g3, back, TiffEncoding.UNCOMPRESSED));
        report("encode-g4", repeats, () -> convert(plain, g4, TiffEncoding.G4));
        report("decode-g4", repeats, () -> convert(g4, back, TiffEncoding.UNCOMPRESSED));
    }

    private interface Job {
        int run() throws IOException;
    }

    private static void report(String name, int repeats, Job job) throws IOException {
        long start = System.nanoTime();
        int pages = 0;
        for (int i = 0; i < repeats; i++) {
            pages += job.run();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%s %.1f%n", name, pages / seconds);
    }

    /** Reads every page of {@code in} and writes it to {@code out}; returns the page count. */
    private static int convert(Path in, Path out, TiffEncoding encoding) throws IOException {
        try (TiffReader r = TiffReader.open(in);
                OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16);
                TiffWriter w = new TiffWriter(os, TiffWriteOptions.of(encoding).withTotalPages(r.pageCount()))) {
            for (int i = 0; i < r.pageCount(); i++) {
                DecodeResult d = r.readPage(i);
                w.writePage(d.page());
            }
            return r.pageCount();
        }
    }
}
