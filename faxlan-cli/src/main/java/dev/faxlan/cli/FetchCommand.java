package dev.faxlan.cli;

import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.view.FaxViewer;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.sdk.InboxFax;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "fetch", description = {"Download a received fax: the TIFF as the server keeps it, or converted here to PDF (all pages)",
        "or PNG (one file per page: OUT-1.png, OUT-2.png, ...). Without --format, the extension of --out decides; TIFF otherwise."})
final class FetchCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "ID", description = "received fax id (see 'faxlan inbox')")
    long id;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE", description = "file to write")
    Path out;

    @Option(names = "--format", paramLabel = "pdf|tiff|png", description = "output format")
    String format;

    @Option(names = "--mark-read", description = "mark the fax read once it is saved")
    boolean markRead;

    @Override
    public Integer call() {
        String fmt = format(format, out);
        Path parent = out.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) throw new FaxlanException("cannot write " + out + ": no such directory", 2);
        InboxFax fax;
        List<Path> written;
        try (FaxlanClient c = client.connect()) {
            Path tiff = fmt.equals("tiff") ? out : Files.createTempFile(parent, ".faxlan-fetch-", ".tif");
            try {
                boolean bar = !client.json && System.console() != null;
                long total = bar ? c.receivedFax(id).size() : 0;
                try (ProgressBar pb = bar ? new ProgressBarBuilder().setTaskName("fetch").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                        .setUnit(" KB", 1 << 10).build() : null) {
                    fax = c.fetch(id, tiff, bytes -> {
                        if (pb != null) pb.stepTo(bytes);
                    });
                }
                written = switch (fmt) {
                    case "pdf" -> {
                        FaxViewer.toPdf(tiff, out);
                        yield List.of(out);
                    }
                    case "png" -> FaxViewer.toPng(tiff, out, 0);
                    default -> List.of(out);
                };
            } finally {
                if (!tiff.equals(out)) Files.deleteIfExists(tiff);
            }
            if (markRead) c.markRead(id, true);
        } catch (DocumentException e) {
            throw new FaxlanException("cannot convert fax " + id + ": " + e.getMessage(), 1, e);
        } catch (IOException e) {
            throw new FaxlanException("cannot write " + out + ": " + e.getMessage(), 1, e);
        }
        if (client.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("fax", Views.fax(fax));
            m.put("format", fmt);
            m.put("files", written.stream().map(Path::toString).toList());
            System.out.println(Json.write(m));
        } else {
            written.forEach(System.out::println);
        }
        return 0;
    }

    static String format(String format, Path out) {
        if (format != null) {
            String f = format.toLowerCase(Locale.ROOT);
            if (f.equals("tif")) f = "tiff";
            if (!List.of("pdf", "tiff", "png").contains(f)) throw new FaxlanException("--format must be pdf, tiff or png, not " + format, 2);
            return f;
        }
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".pdf")) return "pdf";
        if (name.endsWith(".png")) return "png";
        return "tiff";
    }
}
