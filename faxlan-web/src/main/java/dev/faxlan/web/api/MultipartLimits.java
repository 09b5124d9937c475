package dev.faxlan.web.api;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import jakarta.servlet.MultipartConfigElement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Reading a {@code multipart/form-data} body within the configured size: Jetty parses it as it
 * arrives, keeps parts above 1 MiB in the data directory's temporary area (deleted when the request
 * ends) and stops at the limit, so an oversized upload is refused once the limit is passed, neither
 * held in memory nor written out whole. A declared length over the limit is refused before reading.
 */
final class MultipartLimits {
    static final String AREA = "api-multipart";
    private static final int IN_MEMORY = 1 << 20;

    private final Path area;
    private final long max;

    /** Parts go to {@code dataDir}'s temporary area; a body may be {@code max} bytes. */
    MultipartLimits(Path dataDir, long max) {
        this.area = dataDir.resolve(AREA);
        this.max = max;
    }

    /** The parts named {@code name}, in order; 413, 415 or 400 problems for an oversized, non-multipart or malformed body. */
    List<UploadedFile> files(Context ctx, String name) {
        parse(ctx);
        return ctx.uploadedFiles(name);
    }

    /** The values of the text fields named {@code name}, in order. */
    List<String> fields(Context ctx, String name) {
        parse(ctx);
        return ctx.formParams(name);
    }

    /** One optional text field; more than one is a 400 problem. */
    String field(Context ctx, String name) {
        List<String> values = fields(ctx, name);
        if (values.size() > 1) throw ApiProblem.badRequest("field " + name + " is given " + values.size() + " times; it takes one value");
        return values.isEmpty() || values.get(0).isBlank() ? null : values.get(0).strip();
    }

    /** The request attribute through which Jetty 11 takes a multipart configuration (Javalin sets its own the same way). */
    private static final String JETTY_MULTIPART_CONFIG = "org.eclipse.jetty.multipartConfig";

    private void parse(Context ctx) {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new ApiProblem(415, "Unsupported media type", "the body must be multipart/form-data, not " + type, "UNSUPPORTED_MEDIA_TYPE");
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > max) throw tooLarge();
        try {
            Files.createDirectories(area);
            ctx.req().setAttribute(JETTY_MULTIPART_CONFIG, new MultipartConfigElement(area.toString(), max, max, IN_MEMORY));
            ctx.req().getParts();
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
                if (m.contains("maxrequestsize") || m.contains("maxfilesize") || m.contains("exceeds")) throw tooLarge();
            }
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replaceAll("[\\r\\n]+", " ");
            throw new ApiProblem(400, "Malformed multipart body", "the multipart/form-data body cannot be read: " + why + "; nothing was sent",
                    "MALFORMED_MULTIPART");
        }
    }

    private ApiProblem tooLarge() {
        return new ApiProblem(413, "Too large", "the request is larger than this server's limit of " + (max >> 20)
                + " MiB (max.upload.mib); nothing was sent", "TOO_LARGE");
    }
}
