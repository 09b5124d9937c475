package dev.faxlan.cli;

import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.PartFiles;
import dev.faxlan.documents.view.FaxViewer;
import dev.faxlan.sdk.FaxlanException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(mixinStandardHelpOptions = true, name = "view", description = {"Make a fax TIFF viewable as PDF or PNG.",
        "A PDF has one page per fax page; PNG is one file per page (OUT-1.png, OUT-2.png, ...) or the page chosen with --page."})
final class ViewCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "IN.tif", description = "fax TIFF")
    Path in;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "OUT.pdf|OUT.png", description = "file to write; the extension chooses the format")
    Path out;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Option(names = "--page", paramLabel = "N", defaultValue = "0", description = "PNG only: write just page N (1-based)")
    int page;

    @Override
    public Integer call() {
        PartFiles.removeOnSignal(); // a signal part-way leaves no hidden part file
        InputFiles.checkReadable(in);
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        Path parent = out.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new FaxlanException("cannot write " + out + ": no such directory", 2);
        }
        try {
            if (name.endsWith(".pdf")) {
                if (page != 0) {
                    throw new FaxlanException("--page is for PNG output; a PDF holds every page", 2);
                }
                int n = FaxViewer.toPdf(in, out);
                if (json) System.out.println(Json.write(Json.object("files", List.of(out.toString()), "pages", n)));
                else System.out.println(out + ": " + n + " page" + (n == 1 ? "" : "s"));
            } else if (name.endsWith(".png")) {
                if (page < 0) {
                    throw new FaxlanException("--page must be 1 or more", 2);
                }
                List<Path> written = FaxViewer.toPng(in, out, page);
                if (json) System.out.println(Json.write(Json.object("files", written.stream().map(Path::toString).toList(), "pages", written.size())));
                else written.forEach(System.out::println);
            } else {
                throw new FaxlanException("--out must end in .pdf or .png: " + out, 2);
            }
            return 0;
        } catch (DocumentException e) {
            throw new FaxlanException(e.getMessage(), 1, e);
        } catch (java.io.IOException e) {
            throw new FaxlanException("cannot convert " + in + ": " + e.getMessage(), 1, e);
        }
    }
}
