package dev.faxlan.bench.documents;

import dev.faxlan.documents.convert.ConvertOptions;
import dev.faxlan.documents.convert.DocumentConverter;
import dev.faxlan.documents.page.PageSize;
import dev.faxlan.engine.t4.Resolution;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the benchmark PDF, converts it once with faxlan and once with Ghostscript, and prints
 * {@code pages=N faxlan_bytes=B gs_bytes=B} for bench/render-vs-ghostscript.sh.
 *
 * <p>Usage: {@code Sizes PDF_PATH OUT_DIR [gs]}
 */
public final class Sizes {

    private Sizes() {
    }

    public static void main(String[] args) throws Exception {
        Path pdf = BenchPdf.write(Path.of(args[0]));
        Path dir = Path.of(args[1]);
        String gs = args.length > 2 ? args[2] : "gs";
        Path ours = dir.resolve("faxlan.tif");
        Path theirs = dir.resolve("gs.tif");
        new DocumentConverter(ConvertOptions.of(Resolution.FINE, PageSize.A4)).convert(List.of(pdf), null, ours);
        RenderVsGhostscriptBench.runGhostscript(gs, pdf, theirs);
        System.out.println("pages=" + BenchPdf.PAGES + " faxlan_bytes=" + Files.size(ours) + " gs_bytes="
                + Files.size(theirs));
    }
}
