package dev.faxlan.web.page;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The page preview a browser session made last on the send page: the fax pages as PNGs, kept in
 * memory until the next preview or the end of the session. Only the newest is kept, so a session
 * holds at most one fax's pictures.
 */
final class SendDrafts implements AutoCloseable {
    /** A preview: its id (part of the pictures' URLs, so a browser never shows an older one's page) and its pages. */
    record Preview(String id, List<byte[]> pages) {}

    private final AtomicReference<Preview> latest = new AtomicReference<>();

    Preview keep(List<byte[]> pages) {
        Preview p = new Preview(BrowserSessions.token(9), List.copyOf(pages));
        latest.set(p);
        return p;
    }

    /** Page {@code n} (1-based) of preview {@code id}, or null when that is not the session's latest preview or has no such page. */
    byte[] page(String id, int n) {
        Preview p = latest.get();
        if (p == null || !p.id().equals(id) || n < 1 || n > p.pages().size()) return null;
        return p.pages().get(n - 1);
    }

    @Override
    public void close() {
        latest.set(null);
    }
}
