package dev.faxlan.web.page;

import dev.faxlan.documents.WorkDirectories;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Documents a browser uploaded, each saved in a fresh owner-only directory under a name made safe:
 * the browser's file name without any directory part, so no upload names a path of its own. The
 * directory and everything in it is deleted on {@link #close()}.
 */
final class Uploads implements AutoCloseable {
    static final String FIELD = "file";
    private final Path dir;
    private final List<Path> files;
    private final List<String> names;

    private Uploads(Path dir, List<Path> files, List<String> names) {
        this.dir = dir;
        this.files = files;
        this.names = names;
    }

    /** Saves the request's {@code file} parts in order; an empty one (a form sent without a file) is left out. */
    static Uploads save(List<UploadedFile> parts) throws IOException {
        Path dir = Files.createTempDirectory("faxlan-web-upload-");
        List<Path> files = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try {
            for (UploadedFile part : parts) {
                String name = safeName(part.filename());
                if (name.isEmpty() && part.size() == 0) continue;
                // One directory per document: two files of the same name stay two documents.
                Path file = Files.createDirectory(dir.resolve(Integer.toString(files.size() + 1))).resolve(name.isEmpty() ? "document" : name);
                try (InputStream in = part.content()) {
                    Files.copy(in, file);
                }
                files.add(file);
                names.add(name.isEmpty() ? "document" : name);
            }
        } catch (IOException | RuntimeException e) {
            WorkDirectories.delete(dir);
            throw e;
        }
        return new Uploads(dir, files, names);
    }

    /** The last component of a browser's file name (some send a whole Windows path), without control characters. */
    static String safeName(String browserName) {
        if (browserName == null) return "";
        String n = browserName.substring(Math.max(browserName.lastIndexOf('/'), browserName.lastIndexOf('\\')) + 1);
        n = n.replaceAll("[\\p{Cntrl}]", "").strip();
        if (n.equals(".") || n.equals("..")) return "";
        return n.length() > 200 ? n.substring(n.length() - 200) : n;
    }

    List<Path> files() {
        return files;
    }

    List<String> names() {
        return names;
    }

    /** {@code message} (a converter's, say) with each saved file's path replaced by the browser's name for it: no path of this machine leaves it. */
    String scrub(String message) {
        if (message == null) return "";
        String m = message;
        for (int i = 0; i < files.size(); i++) m = m.replace(files.get(i).toString(), names.get(i));
        return m.replace(dir.toString(), "");
    }

    boolean isEmpty() {
        return files.isEmpty();
    }

    @Override
    public void close() {
        WorkDirectories.delete(dir);
    }
}
