package dev.faxlan.documents.cover;

import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.DocumentException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The built-in cover page templates, and templates from files. */
public final class CoverTemplates {

    /** Names of the templates shipped in this jar. */
    public static final List<String> BUILT_IN = List.of("classic", "modern");

    /** Largest template file read: templates are a few kilobytes. */
    static final long MAX_TEMPLATE_BYTES = 256 * 1024;

    private CoverTemplates() {
    }

    /**
     * A built-in template by name ({@code classic}, {@code modern}), or a template file
     * ({@code .cover}) by path.
     */
    public static CoverTemplate load(String nameOrPath) throws DocumentException {
        String key = nameOrPath.strip().toLowerCase(Locale.ROOT);
        if (BUILT_IN.contains(key)) {
            return builtIn(key);
        }
        Path p = Path.of(nameOrPath);
        if (Files.isRegularFile(p)) {
            return file(p);
        }
        throw new DocumentException(Reason.BAD_TEMPLATE, "no cover page template '" + nameOrPath
                + "': give one of " + String.join(", ", BUILT_IN) + " or the path of a .cover file");
    }

    public static CoverTemplate builtIn(String name) throws DocumentException {
        return CoverTemplateParser.parse(name, builtInSource(name));
    }

    /** The template text of a built-in cover page, to show or to start a template of one's own from. */
    public static String builtInSource(String name) throws DocumentException {
        if (!BUILT_IN.contains(name)) throw new DocumentException(Reason.BAD_TEMPLATE, "no built-in cover template " + name);
        String resource = "/dev/faxlan/documents/cover/" + name + ".cover";
        try (InputStream in = CoverTemplates.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new DocumentException(Reason.BAD_TEMPLATE, "built-in cover template " + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DocumentException(Reason.IO, "cannot read built-in cover template " + name, e);
        }
    }

    public static CoverTemplate file(Path p) throws DocumentException {
        try {
            if (Files.size(p) > MAX_TEMPLATE_BYTES) {
                throw new DocumentException(Reason.BAD_TEMPLATE, "cover template " + p + " is larger than "
                        + MAX_TEMPLATE_BYTES + " bytes");
            }
            return CoverTemplateParser.parse(String.valueOf(p.getFileName()), Files.readString(p, StandardCharsets.UTF_8));
        } catch (DocumentException e) {
            throw e;
        } catch (IOException e) {
            throw new DocumentException(Reason.IO, "cannot read cover template " + p + ": " + e.getMessage(), e);
        }
    }
}
