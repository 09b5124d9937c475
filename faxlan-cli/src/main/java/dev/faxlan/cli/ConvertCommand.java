package dev.faxlan.cli;

import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.PartFiles;
import dev.faxlan.documents.convert.ConvertOptions;
import dev.faxlan.documents.convert.DocumentConverter;
import dev.faxlan.documents.cover.CoverPage;
import dev.faxlan.documents.cover.CoverTemplates;
import dev.faxlan.documents.page.FaxPageFormat;
import dev.faxlan.documents.page.PageSize;
import dev.faxlan.documents.render.Halftone;
import dev.faxlan.engine.t4.Resolution;
import dev.faxlan.engine.tiff.TiffEncoding;
import dev.faxlan.sdk.FaxlanException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(mixinStandardHelpOptions = true, name = "convert", description = {"Convert documents to fax pages (TIFF Class F) locally, optionally behind a cover page.",
        "Reads PDF, plain text, PNG, JPEG, GIF, BMP and TIFF; PostScript with Ghostscript and office documents with LibreOffice, if installed."})
final class ConvertCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "FILE", description = "documents, in order")
    List<Path> files = new ArrayList<>();

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "OUT.tif", description = "TIFF file to write")
    Path out;

    @Option(names = "--resolution", paramLabel = "standard|fine|superfine", defaultValue = "fine",
            description = "vertical resolution: 98, 196 or 391 lines per inch (default: ${DEFAULT-VALUE})")
    String resolution;

    @Option(names = "--page-size", paramLabel = "a4|letter", defaultValue = "a4", description = "(default: ${DEFAULT-VALUE})")
    String pageSize;

    @Option(names = "--compression", paramLabel = "g4|g3|g3-2d", defaultValue = "g4",
            description = "TIFF compression: g4 (MMR, smallest), g3 (MH, what strict Class F readers expect), g3-2d (MR) (default: ${DEFAULT-VALUE})")
    String compression;

    @Option(names = "--halftone", paramLabel = "ordered|diffusion|threshold",
            description = "how shades of gray become pels; default: ordered for PDF, diffusion for images")
    String halftone;

    @Option(names = "--charset", paramLabel = "NAME",
            description = "encoding of plain-text files, e.g. windows-1252, ISO-8859-15, UTF-16LE; default: detected")
    String charset;

    @Option(names = "--workers", paramLabel = "N",
            description = "pages rendered at once, 1 to " + ConvertOptions.MAX_WORKERS + "; each holds one page in memory; default: one per processor")
    Integer workers;

    @Option(names = "--cover", paramLabel = "NAME", description = "cover page: classic, modern, or a .cover template file")
    String cover;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Option(names = "--field", paramLabel = "KEY=VALUE", description = "cover page field (repeatable), e.g. --field to='Jane Doe' --field urgent=yes")
    List<String> fields = new ArrayList<>();

    @Override
    public Integer call() {
        PartFiles.removeOnSignal(); // a signal part-way leaves no hidden part file
        if (files.isEmpty() && cover == null) {
            throw new FaxlanException("give at least one FILE, or --cover for a cover page alone", 2);
        }
        if (!fields.isEmpty() && cover == null) {
            throw new FaxlanException("--field needs --cover", 2);
        }
        ConvertOptions options;
        try {
            options = ConvertOptions.of(new FaxPageFormat(Resolution.parse(resolution), PageSize.parse(pageSize)))
                    .withEncoding(encoding(compression));
            if (halftone != null) {
                options = options.withHalftone(Halftone.parse(halftone));
            }
            if (charset != null) {
                options = options.withTextCharset(ConvertOptions.charset(charset));
            }
            if (workers != null) {
                options = options.withWorkers(workers);
            }
        } catch (IllegalArgumentException e) {
            throw new FaxlanException(e.getMessage(), 2);
        }
        for (Path f : files) InputFiles.checkReadable(f);
        Path parent = out.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new FaxlanException("cannot write " + out + ": no such directory", 2);
        }
        try {
            CoverPage coverPage = cover == null ? null : new CoverPage(CoverTemplates.load(cover), parseFields(fields));
            DocumentConverter.Result r = new DocumentConverter(options).convert(files, coverPage, out);
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("file", out.toString());
                m.put("pages", r.pages());
                m.put("format", options.format().toString());
                System.out.println(Json.write(m));
            } else {
                System.out.println(out + ": " + r.pages() + " page" + (r.pages() == 1 ? "" : "s") + ", " + options.format());
            }
            return 0;
        } catch (DocumentException e) {
            // A document that cannot be converted is not a mistake in the command line: exit 1, not 2.
            throw new FaxlanException(e.getMessage(), 1, e);
        } catch (java.io.IOException e) {
            throw new FaxlanException("cannot write " + out + ": " + e.getMessage(), 1, e);
        }
    }

    static TiffEncoding encoding(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "g4", "mmr" -> TiffEncoding.G4;
            case "g3", "mh" -> TiffEncoding.G3_1D;
            case "g3-2d", "mr" -> TiffEncoding.G3_2D;
            default -> throw new IllegalArgumentException("--compression must be g4, g3 or g3-2d, not '" + s + "'");
        };
    }

    static Map<String, String> parseFields(List<String> fields) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String f : fields) {
            int eq = f.indexOf('=');
            if (eq <= 0) {
                throw new FaxlanException("--field " + f + ": expected KEY=VALUE", 2);
            }
            // "\n" in a value starts a new line (comments on the cover page).
            m.put(f.substring(0, eq).strip(), f.substring(eq + 1).replace("\\n", "\n"));
        }
        return m;
    }
}
