package dev.faxlan.bench.documents;

import dev.faxlan.documents.convert.ConvertOptions;
import dev.faxlan.documents.convert.DocumentConverter;
import dev.faxlan.documents.page.PageSize;
import dev.faxlan.engine.t4.Resolution;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Converts the benchmark PDF {@code RUNS} times as {@link RenderVsGhostscriptBench#faxlan} does and
 * prints the JVM's own peak figures: {@code heap_peak_mib=H rss_peak_mib=R workers=W}. The heap figure
 * sums each heap pool's peak (an upper bound: the pools need not peak together); the RSS one is the
 * process's high-water mark (VmHWM), the JVM itself included.
 *
 * <p>Usage: {@code PeakMemory PDF_PATH [RUNS]}
 */
public final class PeakMemory {

    private PeakMemory() {
    }

    public static void main(String[] args) throws Exception {
        Path pdf = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        ConvertOptions options = ConvertOptions.of(Resolution.FINE, PageSize.A4);
        DocumentConverter converter = new DocumentConverter(options);
        for (int i = 0; i < runs; i++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
            converter.convert(List.of(pdf), null, out);
        }
        long heap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heap += pool.getPeakUsage().getUsed();
            }
        }
        long rssKib = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmHWM:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                .findFirst().orElse(-1);
        System.out.println("heap_peak_mib=" + (heap >> 20) + " rss_peak_mib=" + (rssKib < 0 ? -1 : rssKib >> 10)
                + " workers=" + options.workers());
    }
}
