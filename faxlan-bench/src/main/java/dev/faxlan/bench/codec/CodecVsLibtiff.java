package dev.faxlan.bench.codec;

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
 * and times our file-to-file conversions against {@code tiffcp -c g3|g4|none} doing the same.
 *
 * <pre>
 * CodecVsLibtiff corpus OUT.tif
 * CodecVsLibtiff time DIR REPEATS   # DIR holds corpus.tif; prints a table with ratios
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

    /**
     * For each figure, alternates our conversion and the same {@code tiffcp} conversion
     * REPEATS times and keeps the best time of each: on a shared machine the best of several
     * interleaved runs is the figure least distorted by other load.
     */
    private static void time(Path dir, int repeats) throws IOException {
        Path plain = dir.resolve("corpus.tif");
        int pages;
        try (TiffReader r = TiffReader.open(plain)) {
            pages = r.pageCount();
        }
        // Warm-up: let the JIT compile the codec before timing, as a long-running server would.
        for (int i = 0; i < 3; i++) {
            convert(plain, dir.resolve("ours-g3.tif"), TiffEncoding.G3_1D);
            convert(dir.resolve("ours-g3.tif"), dir.resolve("ours-back.tif"), TiffEncoding.UNCOMPRESSED);
            convert(plain, dir.resolve("ours-g4.tif"), TiffEncoding.G4);
            convert(dir.resolve("ours-g4.tif"), dir.resolve("ours-back.tif"), TiffEncoding.UNCOMPRESSED);
        }
        tiffcp(List.of("-c", "g3"), plain, dir.resolve("lib-g3.tif"));
        tiffcp(List.of("-c", "g4"), plain, dir.resolve("lib-g4.tif"));
        System.out.printf(Locale.ROOT, "%-10s %14s %14s %8s%n", "figure", "ours pages/s", "tiffcp pages/s", "ratio");
        String[][] figures = {
            {"encode-g3", "corpus.tif", "ours-g3.tif", "lib-g3.tif", "g3"},
            {"decode-g3", "ours-g3.tif", "ours-back.tif", "lib-back.tif", "none"},
            {"encode-g4", "corpus.tif", "ours-g4.tif", "lib-g4.tif", "g4"},
            {"decode-g4", "ours-g4.tif", "ours-back.tif", "lib-back.tif", "none"},
        };
        for (String[] f : figures) {
            TiffEncoding enc = switch (f[4]) {
                case "g3" -> TiffEncoding.G3_1D;
                case "g4" -> TiffEncoding.G4;
                default -> TiffEncoding.UNCOMPRESSED;
            };
            // libtiff decodes libtiff's own G3/G4 file; both decode files of the same pages.
            Path libIn = f[1].equals("corpus.tif") ? plain : dir.resolve(f[1].replace("ours-", "lib-"));
            long bestOurs = Long.MAX_VALUE;
            long bestLib = Long.MAX_VALUE;
            for (int i = 0; i < repeats; i++) {
                long t0 = System.nanoTime();
                int n = convert(dir.resolve(f[1]), dir.resolve(f[2]), enc);
                long t1 = System.nanoTime();
                tiffcp(List.of("-c", f[4]), libIn, dir.resolve(f[3]));
                long t2 = System.nanoTime();
                if (n != pages) {
                    throw new IOException(f[0] + ": converted " + n + " pages, expected " + pages);
                }
                bestOurs = Math.min(bestOurs, t1 - t0);
                bestLib = Math.min(bestLib, t2 - t1);
            }
            double ours = pages / (bestOurs / 1e9);
            double lib = pages / (bestLib / 1e9);
            System.out.printf(Locale.ROOT, "%-10s %14.1f %14.1f %8.2f%n", f[0], ours, lib, ours / lib);
        }
    }

    private static void tiffcp(List<String> args, Path in, Path out) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("tiffcp");
        cmd.addAll(args);
        cmd.add(in.toString());
        cmd.add(out.toString());
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IOException(cmd + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
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
