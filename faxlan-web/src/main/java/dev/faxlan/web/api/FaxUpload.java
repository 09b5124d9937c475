package dev.faxlan.web.api;

import dev.faxlan.documents.convert.ConvertOptions;
import dev.faxlan.documents.convert.DocumentFormat;
import dev.faxlan.documents.convert.Documents;
import dev.faxlan.documents.convert.PageSource;
import dev.faxlan.documents.WorkDirectories;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The documents of one {@code POST /api/v1/faxes}: the {@code file} parts in order, each copied to a
 * directory of its own request under the data directory's {@code api-uploads}, checked as the server
 * will read it (format, pages) before anything is uploaded, and deleted with the directory on
 * {@link #close()} whatever happened. The part's file name is kept as the document's name (the server
 * records it) but never used as a path: a name with a directory in it is refused.
 */
final class FaxUpload implements AutoCloseable {
    static final String AREA = "api-uploads";

    private final Path dir;
    private final List<Path> documents = new ArrayList<>();

    private FaxUpload(Path dir) {
        this.dir = dir;
    }

    /** Reads the request's file parts; the caller closes the result. A part that cannot be faxed is a 400 problem and nothing is kept. */
    static FaxUpload of(Context ctx, MultipartLimits multipart, Path dataDir) {
        List<UploadedFile> parts = multipart.files(ctx, "file");
        if (parts.isEmpty()) throw ApiProblem.badRequest("no file part: send the documents as multipart parts named file, in order");
        for (UploadedFile part : parts) checkName(part.filename());
        FaxUpload upload;
        try {
            Path area = Files.createDirectories(dataDir.resolve(AREA));
            upload = new FaxUpload(Files.createTempDirectory(area, "req"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            int n = 0;
            for (UploadedFile part : parts) {
                n++;
                String name = part.filename() == null || part.filename().isBlank() ? "document-" + n : part.filename();
                if (part.size() == 0) throw ApiProblem.badRequest("file " + name + " is empty (0 bytes); nothing was sent");
                Path sub = Files.createDirectory(upload.dir.resolve(Integer.toString(n)));
                Path file = sub.resolve(name);
                try (InputStream in = part.content()) {
                    Files.copy(in, file);
                }
                check(file, name);
                upload.documents.add(file);
            }
            return upload;
        } catch (IOException e) {
            upload.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            upload.close();
            throw e;
        }
    }

    List<Path> documents() {
        return documents;
    }

    /** A file name as a browser sends it: no directory, no control characters. */
    static void checkName(String name) {
        if (name == null || name.isEmpty()) return;
        boolean bad = name.length() > 255 || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")
                || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
        if (bad) throw ApiProblem.badRequest("file name " + printable(name) + " is not a plain file name (no directories, no control characters)");
    }

    /** Opens the document as the server will, without rendering it: PostScript and office documents need the server's converters. */
    private static void check(Path file, String name) {
        try {
            DocumentFormat kind = Documents.formatOf(file);
            if (kind == DocumentFormat.POSTSCRIPT || kind == DocumentFormat.OFFICE) return;
            try (PageSource doc = Documents.open(file, name, ConvertOptions.defaults())) {
                doc.pageCount();
            }
        } catch (IOException | RuntimeException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            String why = m.replaceAll("[\\r\\n]+", " ").replaceAll("[.\\s]+$", "").replace(file.toString(), name);
            throw new ApiProblem(400, "Document cannot be faxed", "file " + name + " cannot be faxed: " + why + "; nothing was sent",
                    "UNCONVERTIBLE_DOCUMENT");
        }
    }

    private static String printable(String s) {
        return '"' + s.replaceAll("\\p{Cntrl}", "?") + '"';
    }

    @Override
    public void close() {
        List<Path> left = WorkDirectories.delete(dir);
        if (!left.isEmpty()) LoggerFactory.getLogger(FaxUpload.class).warn("could not delete {}", left);
    }
}
