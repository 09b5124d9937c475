package dev.faxlan.cli;

import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.PartFiles;
import dev.faxlan.documents.cover.CoverPage;
import dev.faxlan.documents.cover.CoverTemplate;
import dev.faxlan.documents.cover.CoverTemplateParser;
import dev.faxlan.documents.cover.CoverTemplates;
import dev.faxlan.documents.page.FaxPageFormat;
import dev.faxlan.documents.view.FaxViewer;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(mixinStandardHelpOptions = true, name = "cover", description = {"Cover page templates: built-in ones, shared ones and your own, kept on the server.",
        "The template language is described in docs/cover-pages.md; 'submit --cover NAME' uses one."})
final class CoverCommand {
    static final Listing<FaxlanClient.CoverInfo> LISTING = Listing.of(List.of("NAME", "KIND"),
            i -> List.of(i.name(), i.kind()),
            i -> Json.object("name", i.name(), "kind", i.kind()));

    @Mixin
    ClientOptions client;

    @Command(mixinStandardHelpOptions = true, name = "list", description = "List the cover pages you can use.")
    int list() {
        List<FaxlanClient.CoverInfo> covers;
        try (FaxlanClient c = client.connect()) {
            covers = c.covers();
        }
        LISTING.print(covers, client.json);
        return 0;
    }

    @Command(mixinStandardHelpOptions = true, name = "show", description = "Print a cover page's template (start your own from a built-in one).")
    int show(@Parameters(paramLabel = "NAME") String name) {
        String source;
        try (FaxlanClient c = client.connect()) {
            source = c.coverSource(name);
        }
        if (client.json) System.out.println(Json.write(Json.object("name", name, "source", source)));
        else System.out.print(source);
        return 0;
    }

    @Command(mixinStandardHelpOptions = true, name = "put", description = "Store a template file on the server under NAME (replacing yours of that name).")
    int put(@Parameters(index = "0", paramLabel = "NAME") String name, @Parameters(index = "1", paramLabel = "FILE") Path file,
            @Option(names = "--shared", description = "for everyone (administrators only)") boolean shared) {
        String source = read(file);
        try {
            CoverTemplateParser.parse(name, source); // a broken template fails here, with its line, before any upload
        } catch (DocumentException e) {
            throw new FaxlanException(file + ": " + e.getMessage(), 2);
        }
        try (FaxlanClient c = client.connect()) {
            c.putCover(name, source, shared);
        }
        if (client.json) System.out.println(Json.write(Json.object("name", name, "shared", shared)));
        else System.out.println("stored cover page " + name + (shared ? " (shared)" : ""));
        return 0;
    }

    @Command(mixinStandardHelpOptions = true, name = "render", description = "Render a cover page to a PNG preview, locally: a template file, a built-in one, or one on the server.")
    int render(@Parameters(paramLabel = "NAME|FILE") String nameOrFile,
            @Option(names = {"-o", "--out"}, required = true, paramLabel = "OUT.png", description = "the PNG file to write") Path out,
            @Option(names = "--field", paramLabel = "NAME=VALUE", description = "a field value (to, to_fax, from, subject, comment, …)") Map<String, String> fields,
            @Option(names = "--pages", defaultValue = "1", paramLabel = "N", description = "the page total to show") int pages) {
        PartFiles.removeOnSignal(); // a signal part-way leaves no hidden part file
        // The preview is a PNG: a name that says otherwise is refused rather than filled with PNG bytes.
        if (!out.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
            throw new FaxlanException("cover render writes a PNG: give --out a name ending in .png, not " + out.getFileName(), 2);
        }
        CoverTemplate template;
        try {
            Path p = Path.of(nameOrFile);
            if (Files.isRegularFile(p)) template = CoverTemplates.file(p);
            else if (CoverTemplates.BUILT_IN.contains(nameOrFile)) template = CoverTemplates.builtIn(nameOrFile);
            else {
                String source;
                try (FaxlanClient c = client.connect()) {
                    source = c.coverSource(nameOrFile);
                }
                template = CoverTemplateParser.parse(nameOrFile, source);
            }
            Map<String, String> f = new LinkedHashMap<>(fields == null ? Map.of() : fields);
            FaxViewer.toPng(new CoverPage(template, f).render(FaxPageFormat.defaults(), pages), out);
        } catch (DocumentException e) {
            throw new FaxlanException(e.getMessage(), 1);
        } catch (IOException e) {
            throw new FaxlanException("cannot write " + out + ": " + e.getMessage(), 1);
        }
        if (client.json) System.out.println(Json.write(Json.object("files", List.of(out.toString()))));
        else System.out.println("wrote " + out);
        return 0;
    }

    private static String read(Path file) {
        try {
            if (Files.size(file) > 65536) throw new FaxlanException(file + " is larger than 64 KiB; cover page templates are a few kilobytes", 2);
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FaxlanException("cannot read " + file + ": " + e.getMessage(), 2);
        }
    }
}
