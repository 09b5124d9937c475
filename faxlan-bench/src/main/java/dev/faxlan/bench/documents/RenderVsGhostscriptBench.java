package dev.faxlan.bench.documents;

import dev.faxlan.documents.convert.ConvertOptions;
import dev.faxlan.documents.convert.DocumentConverter;
import dev.faxlan.documents.page.PageSize;
import dev.faxlan.engine.t4.Resolution;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * PDF to TIFF-F at 204×196 dpi: faxlan's converter against Ghostscript's tiffg4 device on the
 * same {@value BenchPdf#PAGES}-page PDF, in the same run. Score: milliseconds per document;
 * pages/s = pages / score. bench/render-vs-ghostscript.sh runs it and reports sizes and ratios.
 * faxlan renders with its default workers (one per processor); Ghostscript runs as the command
 * below, single-threaded, and its time includes starting the gs process, as a server calling it
 * would pay.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class RenderVsGhostscriptBench {

    /** The PDF; generated (by {@link BenchPdf}) into a temporary file when empty. */
    @Param("")
    public String pdf;

    /** The gs executable. */
    @Param("gs")
    public String gs;

    private Path input;
    private Path gsOut;
    private DocumentConverter converter;

    @Setup
    public void setUp() throws IOException {
        input = pdf.isEmpty() ? BenchPdf.write(Files.createTempFile("bench", ".pdf")) : Path.of(pdf);
        gsOut = Files.createTempFile("bench-gs", ".tif");
        converter = new DocumentConverter(ConvertOptions.of(Resolution.FINE, PageSize.A4));
    }

    @TearDown
    public void tearDown() throws IOException {
        Files.deleteIfExists(gsOut);
        if (pdf.isEmpty()) {
            Files.deleteIfExists(input);
        }
    }

    @Benchmark
    public int faxlan() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        converter.convert(List.of(input), null, out);
        return out.size();
    }

    @Benchmark
    public long ghostscript() throws IOException, InterruptedException {
        return runGhostscript(gs, input, gsOut);
    }

    /** The command of the issue: {@code gs -q -dNOPAUSE -dBATCH -sDEVICE=tiffg4 -r204x196 -sOutputFile=OUT IN}. */
    static List<String> gsCommand(String gs, Path in, Path out) {
        return List.of(gs, "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=tiffg4", "-r204x196",
                "-sOutputFile=" + out, in.toString());
    }

    static long runGhostscript(String gs, Path in, Path out) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(gsCommand(gs, in, out)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IOException("gs failed with exit code " + p.exitValue());
        }
        return Files.size(out);
    }
}
