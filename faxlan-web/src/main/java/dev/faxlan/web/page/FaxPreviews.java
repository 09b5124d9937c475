package dev.faxlan.web.page;

import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.WorkDirectories;
import dev.faxlan.documents.convert.DocumentFormat;
import dev.faxlan.documents.convert.Documents;
import dev.faxlan.documents.convert.PageSource;
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

    /**
     * Opens each document as the server will before faxing it (format, readable, page count) without
     * drawing its pages, so a file that cannot be faxed is refused before anything is uploaded and no job
     * is made. PostScript and office documents need the server's Ghostscript or LibreOffice: only their
     * format is checked here. The server checks every document again. Messages name the browser's file name.
     */
    static void check(Uploads documents, Resolution resolution) throws DocumentException {
        ConvertOptions options = ConvertOptions.defaults().withFormat(new FaxPageFormat(resolution, FaxPageFormat.defaults().pageSize()));
        for (int i = 0; i < documents.files().size(); i++) {
            Path file = documents.files().get(i);
            String name = documents.names().get(i);
            try {
                DocumentFormat kind = Documents.formatOf(file);
                if (kind == DocumentFormat.POSTSCRIPT || kind == DocumentFormat.OFFICE) continue;
                try (PageSource doc = Documents.open(file, name, options)) {
                    if (doc.pageCount() == 0) throw new DocumentException(DocumentException.Reason.NO_PAGES, name + " has no pages");
                }
            } catch (DocumentException e) {
                throw e;
            } catch (IOException e) {
                throw new DocumentException(DocumentException.Reason.DAMAGED, name + ": " + e.getMessage(), e);
            }
        }
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
