package dev.faxlan.web.page;

import dev.faxlan.documents.WorkDirectories;
import dev.faxlan.documents.view.FaxViewer;
import dev.faxlan.sdk.FaxlanClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Received faxes a browser session has looked at: each TIFF fetched once from the server (its SHA-256
 * checked by the SDK) and each page drawn once as a PNG, in an owner-only directory of the session's
 * that is deleted when the session ends. A fax never changes once received, so nothing goes stale;
 * the server decides on every fetch whether this user may see the fax at all.
 */
final class ReceivedFaxes implements AutoCloseable {
    private final ConcurrentMap<Long, Object> locks = new ConcurrentHashMap<>();
    private volatile Path dir;

    /** The fax's TIFF, fetched through {@code client} the first time. */
    Path tiff(FaxlanClient client, long id) throws IOException {
        Path file = directory().resolve(id + ".tif");
        synchronized (locks.computeIfAbsent(id, k -> new Object())) {
            if (!Files.exists(file)) client.fetch(id, file, bytes -> {});
        }
        return file;
    }

    /** Page {@code page} (from 1) of the fax as a PNG with roughly square pels. */
    byte[] pagePng(FaxlanClient client, long id, int page) throws IOException {
        Path tiff = tiff(client, id);
        Path png = directory().resolve(id + "-" + page + ".png");
        synchronized (locks.get(id)) {
            if (!Files.exists(png)) FaxViewer.toPng(tiff, png, page);
        }
        return Files.readAllBytes(png);
    }

    private synchronized Path directory() throws IOException {
        if (dir == null) dir = Files.createTempDirectory("faxlan-web-inbox-");
        return dir;
    }

    @Override
    public synchronized void close() {
        if (dir != null) WorkDirectories.delete(dir);
        dir = null;
    }
}
