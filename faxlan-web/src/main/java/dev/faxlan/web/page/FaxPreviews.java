package dev.faxlan.web.page;

import dev.faxlan.documents.WorkDirectories;
import dev.faxlan.documents.convert.ConvertOptions;
import dev.faxlan.documents.convert.DocumentConverter;
import dev.faxlan.documents.cover.CoverPage;
import dev.faxlan.documents.cover.CoverTemplate;
import dev.faxlan.documents.cover.CoverTemplateParser;
import dev.faxlan.documents.cover.CoverTemplates;
import dev.faxlan.documents.page.FaxPageFormat;
import dev.faxlan.documents.view.FaxViewer;
import dev.faxlan.engine.t4.Resolution;
import dev.faxlan.sdk.FaxlanClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Pictures of a fax before it is sent, drawn in the web process with the same converter and cover
 * renderer the server uses (the server converts again on submit): the cover page alone, and every
 * page of the documents after the cover.
 */
final class FaxPreviews {
    /** Pages a preview draws at most: a longer fax is still sent whole, but previewed only this far. */
    static final int MAX_PAGES = 100;
    /** Width of a cover preview in pixels: readable on a screen, small to send on every keystroke. */
    static final int COVER_WIDTH = 700;

    private FaxPreviews() {}

    /** The template of cover {@code name}: a built-in one from this process, the user's own or a shared one from the server. */
    static CoverTemplate cover(FaxlanClient client, String name) throws IOException {
        if (CoverTemplates.BUILT_IN.contains(name)) return CoverTemplates.builtIn(name);
        return CoverTemplateParser.parse(name, client.coverSource(name));
    }

    /** The cover page with {@code fields} as a grayscale PNG; the page count shown is {@code pages}, as the server fills it in. */
    static byte[] coverPng(CoverTemplate template, Map<String, String> fields, Resolution resolution) throws IOException {
        FaxPageFormat format = new FaxPageFormat(resolution, FaxPageFormat.defaults().pageSize());
        return FaxViewer.thumbnail(new CoverPage(template, fields).render(format, Integer.parseInt(fields.getOrDefault("pages", "1"))), COVER_WIDTH);
    }

    /** Every page of the fax, cover first when there is one, as PNGs of the fax pages' pixels (at most {@link #MAX_PAGES}). */
    static List<byte[]> pages(Uploads documents, CoverPage cover, Resolution resolution) throws IOException {
        ConvertOptions options = ConvertOptions.defaults().withFormat(new FaxPageFormat(resolution, FaxPageFormat.defaults().pageSize()));
        Path dir = Files.createTempDirectory("faxlan-web-preview-");
        try {
            Path tiff = dir.resolve("fax.tif");
            new DocumentConverter(options).convert(documents.files(), cover, tiff);
            List<byte[]> pngs = new ArrayList<>();
            for (Path png : FaxViewer.toPng(tiff, dir.resolve("page.png"), 0)) {
                if (pngs.size() == MAX_PAGES) break;
                pngs.add(Files.readAllBytes(png));
            }
            return pngs;
        } finally {
            WorkDirectories.delete(dir);
        }
    }
}
