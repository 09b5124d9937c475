package dev.faxlan.cli;

import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.view.FaxViewer;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.sdk.InboxFax;
import dev.faxlan.sdk.FaxPageText;
import dev.faxlan.documents.ocr.PageText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

@Command(mixinStandardHelpOptions = true, name = "fetch", description = {"Download a received fax as TIFF, PDF or PNG.",
        "The TIFF as the server keeps it, or converted here to PDF (all pages, with the words the server read as an invisible text layer: searchable) or PNG (one file per page: OUT-1.png, OUT-2.png, ...). Without --format, the extension of --out decides; TIFF otherwise."})
final class FetchCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "ID", description = "received fax id (see 'faxlan inbox')")
    long id;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE|DIR", description = "file to write, or an existing directory to write fax-ID.tif (.pdf, .png) in")
    Path out;

    @Option(names = "--format", paramLabel = "pdf|tiff|png", description = "output format")
    String format;

    @Option(names = "--mark-read", description = "mark the fax read once it is saved")
    boolean markRead;

    @Option(names = "--no-text", description = "PDF: leave out the invisible text layer of the words the server read (searchable PDF)")
    boolean plainImage;

    @Override
    public Integer call() {
        if (Files.isDirectory(out)) {
            // Into the directory, under a name of our own: never replace a directory with a file.
            String f = format == null ? "tiff" : format(format, Path.of("fax"));
            out = out.resolve("fax-" + id + "." + (f.equals("tiff") ? "tif" : f));
        }
        String fmt = format(format, out);
        Path parent = out.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) throw new FaxlanException("cannot write " + out + ": no such directory", 2);
        InboxFax fax;
        List<Path> written;
        try (FaxlanClient c = client.connect(); WorkDirectory work = WorkDirectory.beside(out)) {
            // Everything unfinished (the download's .part, the TIFF before conversion) stays in the work directory.
            Path tiff = work.resolve("fax.tif");
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
                    Path pdf = work.resolve(out.getFileName().toString());
                    FaxViewer.toPdf(tiff, pdf, plainImage ? List.of() : textOrNone(c));
                    yield List.of(work.moveOut(pdf, out));
                }
                case "png" -> {
                    List<Path> pages = new ArrayList<>();
                    for (Path png : FaxViewer.toPng(tiff, work.resolve(out.getFileName().toString()), 0)) {
                        pages.add(work.moveOut(png, out.resolveSibling(png.getFileName())));
                    }
                    yield pages;
                }
                default -> List.of(work.moveOut(tiff, out));
            };
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

    /** The fax's words, or none from a server that keeps no text (one older than inbox.text): the PDF is still made. */
    private List<PageText> textOrNone(FaxlanClient c) {
        try {
            return text(c.faxText(id));
        } catch (FaxlanException e) {
            System.err.println("faxlan: fax " + id + " has no text layer: " + e.getMessage());
            return List.of();
        }
    }

    /** The pages' words as the PDF's text layer; pages not read yet have none. */
    static List<PageText> text(List<FaxPageText> pages) {
        List<PageText> out = new ArrayList<>();
        for (FaxPageText p : pages) {
            if (!p.read()) {
                out.add(null);
                continue;
            }
            List<PageText.Word> words = new ArrayList<>();
            for (FaxPageText.Word w : p.words()) words.add(new PageText.Word(w.text(), w.left(), w.top(), w.width(), w.height(), w.line()));
            out.add(new PageText(p.width(), p.height(), 0, 0, words));
        }
        return out;
    }

    /** The format: --format, else the extension of OUT, else TIFF. A --format that contradicts a known extension is refused. */
    static String format(String format, Path out) {
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        String byExtension = name.endsWith(".pdf") ? "pdf" : name.endsWith(".png") ? "png" : name.endsWith(".tif") || name.endsWith(".tiff") ? "tiff" : null;
        if (format == null) return byExtension != null ? byExtension : "tiff";
        String f = format.toLowerCase(Locale.ROOT);
        if (f.equals("tif")) f = "tiff";
        if (!List.of("pdf", "tiff", "png").contains(f)) throw new FaxlanException("--format must be pdf, tiff or png, not " + format, 2);
        if (byExtension != null && !byExtension.equals(f)) {
            throw new FaxlanException("--format " + f + " contradicts the name " + out.getFileName() + ": give a name ending in ." + (f.equals("tiff") ? "tif" : f)
                    + ", or leave --format out", 2);
        }
        return f;
    }
}
