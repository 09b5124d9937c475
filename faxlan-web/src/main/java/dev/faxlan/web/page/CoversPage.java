package dev.faxlan.web.page;

import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.cover.CoverTemplateParser;
import dev.faxlan.documents.cover.CoverTemplates;
import dev.faxlan.engine.t4.Resolution;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cover page templates (docs/cover-pages.md): the built-in, shared and own ones, each shown as its
 * source and as a page drawn with example fields; upload one (a shared one as administrator: the
 * server decides). The template is parsed here first, so a mistake is shown before it is sent.
 */
final class CoversPage {
    private static final String PATH = "/admin/covers";
    /** The server takes at most this many characters of template source. */
    static final int MAX_SOURCE = 65_536;
    private final Pages pages;

    CoversPage(Pages pages) {
        this.pages = pages;
    }

    void addTo(Javalin app) {
        app.get(PATH, this::list);
        app.get(PATH + "/{name}", this::show);
        app.get(PATH + "/{name}/preview.png", this::preview);
        app.post(PATH, this::upload);
    }

    private void list(Context ctx) {
        List<FaxlanClient.CoverInfo> covers;
        try {
            covers = PageGuard.session(ctx).client().covers();
        } catch (FaxlanException e) {
            throw PageFailure.of("Listing cover pages", e, "/admin");
        }
        pages.render(ctx, "covers.jte", pages.frame(ctx, "Cover pages", "admin"), "covers", covers);
    }

    private void show(Context ctx) {
        String name = ctx.pathParam("name");
        String source;
        try {
            source = PageGuard.session(ctx).client().coverSource(name);
        } catch (FaxlanException e) {
            throw PageFailure.of("Opening cover page " + name, e, PATH);
        }
        pages.render(ctx, "cover.jte", pages.frame(ctx, "Cover page " + name, "admin"), "name", name, "source", source,
                "builtIn", CoverTemplates.BUILT_IN.contains(name));
    }

    /** The cover drawn as the fax would show it, with example values in its fields. */
    private void preview(Context ctx) {
        BrowserSession s = PageGuard.session(ctx);
        String name = ctx.pathParam("name");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("from", s.user());
        fields.put("to", "Example Recipient");
        fields.put("subject", "Example subject");
        fields.put("comment", "An example comment on the cover page.");
        fields.put("pages", "3");
        try {
            ctx.contentType("image/png").result(FaxPreviews.coverPng(FaxPreviews.cover(s.client(), name), fields, Resolution.FINE));
        } catch (FaxlanException e) {
            throw PageFailure.of("Drawing cover page " + name, e, PATH);
        } catch (IOException e) {
            throw PageFailure.badRequest("Cover page " + name + " cannot be drawn: " + e.getMessage(), PATH);
        }
    }

    private void upload(Context ctx) {
        String name = PageForms.field(ctx, "name");
        if (name == null) throw PageFailure.badRequest("Give the cover page a name.", PATH);
        boolean shared = "shared".equals(ctx.formParam("scope"));
        String source = source(ctx);
        if (source == null) throw PageFailure.badRequest("Choose a template file or paste its text.", PATH);
        if (source.length() > MAX_SOURCE) throw PageFailure.badRequest("The template has " + source.length() + " characters; at most " + MAX_SOURCE + ".", PATH);
        try {
            CoverTemplateParser.parse(name, source);
        } catch (DocumentException e) {
            throw PageFailure.badRequest("Not a cover page template: " + e.getMessage() + " (docs/cover-pages.md). Nothing was stored.", PATH);
        }
        try {
            PageGuard.session(ctx).client().putCover(name, source, shared);
        } catch (FaxlanException e) {
            throw PageFailure.of("Storing cover page " + name, e, PATH);
        }
        PageForms.done(ctx, PATH + "/" + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8), (shared ? "Shared cover page " : "Cover page ") + name + " stored.");
    }

    /** The uploaded file's text, else the pasted text; null if neither was given. */
    private static String source(Context ctx) {
        UploadedFile file = ctx.uploadedFile("file");
        if (file != null && file.size() > 0) {
            if (file.size() > 4L * MAX_SOURCE) throw PageFailure.badRequest("The template file is " + file.size() + " bytes; too large.", PATH);
            try (InputStream in = file.content()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw PageFailure.badRequest("The template file could not be read: " + e.getMessage(), PATH);
            }
        }
        return PageForms.blankToNull(ctx.formParam("source"));
    }
}
