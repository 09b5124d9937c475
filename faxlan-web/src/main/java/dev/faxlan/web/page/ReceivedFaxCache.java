package dev.faxlan.web.page;

import dev.faxlan.documents.WorkDirectories;
import dev.faxlan.documents.view.FaxViewer;
import dev.faxlan.engine.tiff.TiffReader;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.InboxFax;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Received faxes the pages have shown, kept in the web process's data directory: each fax's TIFF
 * (fetched once through the SDK), its page pictures, its page-1 thumbnail and its PDF. At most
 * {@code maxFaxes} faxes are kept; the one used longest ago goes first.
 *
 * <p>The cache never decides who may see a fax: every method takes the {@link InboxFax} that the
 * caller's own CPI client just got from the server ({@code inbox.get} checks the permission), and the
 * entry is named by the fax's id and its SHA-256, so a fax is only ever served to a user the server
 * has just shown it to.
 */
final class ReceivedFaxCache implements AutoCloseable {
    /** Width of an inbox thumbnail in pixels: a page's layout is recognisable, the list stays light. */
    static final int THUMBNAIL_WIDTH = 200;
    private static final java.util.regex.Pattern SHA256 = java.util.regex.Pattern.compile("[0-9a-fA-F]{64}");

    private final Path dir;
    private final int maxFaxes;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

    /** Starts empty: what an earlier run left in {@code dir} is deleted (the server has every fax). */
    ReceivedFaxCache(Path dir, int maxFaxes) {
        this.dir = dir;
        this.maxFaxes = maxFaxes;
        WorkDirectories.delete(dir);
        try {
            Files.createDirectories(dir.toAbsolutePath().getParent());
            // Faxes are the users' documents: this process's user alone reads them.
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectory(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the received fax cache " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The fax's pages in the TIFF the server stored. */
    int pageCount(FaxlanClient client, InboxFax fax) throws IOException {
        return withEntry(client, fax, e -> {
            if (e.pages < 0) {
                try (TiffReader r = TiffReader.open(e.tiff())) {
                    e.pages = r.pageCount();
                }
            }
            return e.pages;
        });
    }

    /** The fax's TIFF document; valid until the fax leaves the cache, so copy or send it at once. */
    Path tiff(FaxlanClient client, InboxFax fax) throws IOException {
        return withEntry(client, fax, Entry::tiff);
    }

    /** Page {@code n} (1-based) as a PNG of the fax's pels, made square. */
    byte[] page(FaxlanClient client, InboxFax fax, int n) throws IOException {
        return withEntry(client, fax, e -> {
            Path png = e.dir.resolve("page-" + n + ".png");
            if (!Files.exists(png)) FaxViewer.toPng(e.tiff(), png, n);
            return Files.readAllBytes(png);
        });
    }

    /** Page 1 as a small grayscale PNG. */
    byte[] thumbnail(FaxlanClient client, InboxFax fax) throws IOException {
        return withEntry(client, fax, e -> {
            Path png = e.dir.resolve("thumbnail.png");
            if (!Files.exists(png)) {
                byte[] bytes;
                try (TiffReader r = TiffReader.open(e.tiff())) {
                    bytes = FaxViewer.thumbnail(r.readPage(0).page(), THUMBNAIL_WIDTH);
                }
                Files.write(png, bytes);
            }
            return Files.readAllBytes(png);
        });
    }

    /** The fax as a PDF (one page per fax page). */
    byte[] pdf(FaxlanClient client, InboxFax fax) throws IOException {
        return withEntry(client, fax, e -> {
            Path pdf = e.dir.resolve("fax.pdf");
            if (!Files.exists(pdf)) FaxViewer.toPdf(e.tiff(), pdf);
            return Files.readAllBytes(pdf);
        });
    }

    private interface Work<T> {
        T on(Entry e) throws IOException;
    }

    /** Runs {@code work} on the fax's entry, under its lock, with the TIFF fetched first if it is not here yet. */
    private <T> T withEntry(FaxlanClient client, InboxFax fax, Work<T> work) throws IOException {
        if (fax.sha256() == null) throw new IOException("fax " + fax.id() + " has no pages: the call ended before page 1");
        // It names a directory: only the hex digest the protocol promises, never a path.
        if (!SHA256.matcher(fax.sha256()).matches()) throw new IOException("fax " + fax.id() + " has no valid SHA-256: " + fax.sha256());
        while (true) {
            Entry e = entry(fax.id() + "-" + fax.sha256());
            synchronized (e) {
                if (e.evicted) continue; // evicted between finding and locking it: make it again
                Files.createDirectories(e.dir);
                if (!Files.exists(e.tiff())) client.fetch(fax.id(), e.tiff(), n -> {});
                return work.on(e);
            }
        }
    }

    private Entry entry(String key) {
        List<Entry> evicted = new ArrayList<>();
        Entry e;
        synchronized (entries) {
            e = entries.computeIfAbsent(key, k -> new Entry(dir.resolve(k)));
            Iterator<Map.Entry<String, Entry>> oldest = entries.entrySet().iterator();
            while (entries.size() > maxFaxes && oldest.hasNext()) {
                Entry old = oldest.next().getValue();
                if (old == e) continue;
                evicted.add(old);
                oldest.remove();
            }
        }
        // Deleted outside the map's lock: a page being drawn from it finishes first.
        for (Entry old : evicted) {
            synchronized (old) {
                old.evicted = true;
                WorkDirectories.delete(old.dir);
            }
        }
        return e;
    }

    /** The faxes held now (for tests). */
    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    @Override
    public void close() {
        synchronized (entries) {
            entries.clear();
        }
        WorkDirectories.delete(dir);
    }

    private static final class Entry {
        final Path dir;
        boolean evicted;
        int pages = -1;

        Entry(Path dir) {
            this.dir = dir;
        }

        Path tiff() {
            return dir.resolve("fax.tif");
        }
    }
}
