package dev.faxlan.server.storage;

import dev.faxlan.documents.ocr.PageText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The OCR text of received faxes, page by page, and the queue of faxes still to be read. */
public final class FaxTexts {
    private FaxTexts() {}

    /** Longest stored text of one page, in characters: a page of noise read as words cannot fill the database. */
    public static final int PAGE_TEXT_MAX = 100_000;

    /** A fax waiting for OCR; {@code routeWhenRead}: its mailbox waits for page 1. */
    public record Queued(long faxId, boolean routeWhenRead, long queued) {}

    public static void enqueue(Connection c, long faxId, boolean routeWhenRead, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO received_fax_ocr_queue(fax_id, route_when_read, queued) VALUES (?,?,?)")) {
            ps.setLong(1, faxId);
            ps.setBoolean(2, routeWhenRead);
            ps.setLong(3, now);
            ps.executeUpdate();
        }
    }

    /** The oldest {@code limit} queued faxes, oldest first. */
    public static List<Queued> queued(Connection c, int limit) throws SQLException {
        List<Queued> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT fax_id, route_when_read, queued FROM received_fax_ocr_queue ORDER BY queued, fax_id LIMIT " + limit);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(new Queued(rs.getLong(1), rs.getBoolean(2), rs.getLong(3)));
        }
        return out;
    }

    /**
     * Claims the oldest queued fax no live lease holds for {@code owner} until {@code expires}; empty
     * when there is none. A claim is a conditional UPDATE: of two nodes claiming one fax, one wins.
     */
    public static Optional<Queued> claimNext(Connection c, String owner, long now, long expires) throws SQLException {
        List<Queued> free = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT fax_id, route_when_read, queued FROM received_fax_ocr_queue"
                + " WHERE lease_owner IS NULL OR lease_expires <= ? ORDER BY queued, fax_id LIMIT 8")) {
            ps.setLong(1, now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) free.add(new Queued(rs.getLong(1), rs.getBoolean(2), rs.getLong(3)));
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE received_fax_ocr_queue SET lease_owner = ?, lease_expires = ?"
                + " WHERE fax_id = ? AND (lease_owner IS NULL OR lease_expires <= ?)")) {
            for (Queued q : free) {
                ps.setString(1, owner);
                ps.setLong(2, expires);
                ps.setLong(3, q.faxId());
                ps.setLong(4, now);
                if (ps.executeUpdate() == 1) return Optional.of(q);
            }
        }
        return Optional.empty();
    }

    /** Extends {@code owner}'s lease on a fax it reads; false when the lease is no longer its own (another node took the fax over). */
    public static boolean renew(Connection c, long faxId, String owner, long expires) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE received_fax_ocr_queue SET lease_expires = ? WHERE fax_id = ? AND lease_owner = ?")) {
            ps.setLong(1, expires);
            ps.setLong(2, faxId);
            ps.setString(3, owner);
            return ps.executeUpdate() == 1;
        }
    }

    /** Gives up every claim of {@code owner} (a stop, or a start after a crash): other nodes may read those faxes at once. */
    public static int releaseAll(Connection c, String owner) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE received_fax_ocr_queue SET lease_owner = NULL, lease_expires = NULL WHERE lease_owner = ?")) {
            ps.setString(1, owner);
            return ps.executeUpdate();
        }
    }

    public static Optional<Queued> queuedFax(Connection c, long faxId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT fax_id, route_when_read, queued FROM received_fax_ocr_queue WHERE fax_id = ?")) {
            ps.setLong(1, faxId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Queued(rs.getLong(1), rs.getBoolean(2), rs.getLong(3))) : Optional.empty();
            }
        }
    }

    /** The fax is routed: its remaining pages are read without holding anything up. */
    public static void routed(Connection c, long faxId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE received_fax_ocr_queue SET route_when_read = FALSE WHERE fax_id = ?")) {
            ps.setLong(1, faxId);
            ps.executeUpdate();
        }
    }

    public static void dequeue(Connection c, long faxId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM received_fax_ocr_queue WHERE fax_id = ?")) {
            ps.setLong(1, faxId);
            ps.executeUpdate();
        }
    }

    public static long queueLength(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM received_fax_ocr_queue"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Stores (or replaces) the text of page {@code page} (1-based). */
    public static void putPage(Connection c, long faxId, int page, PageText text) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM received_fax_text WHERE fax_id = ? AND page = ?")) {
            ps.setLong(1, faxId);
            ps.setInt(2, page);
            ps.executeUpdate();
        }
        StringBuilder words = new StringBuilder();
        StringBuilder search = new StringBuilder(" ");
        for (PageText.Word w : text.words()) {
            String t = w.text().replaceAll("[\\t\\n\\r]", " ");
            if (words.length() + t.length() + 40 > PAGE_TEXT_MAX) break;
            words.append(w.line()).append('\t').append(w.left()).append('\t').append(w.top()).append('\t').append(w.width()).append('\t')
                    .append(w.height()).append('\t').append(t).append('\n');
            for (String s : PageText.searchWords(t)) search.append(s).append(' ');
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO received_fax_text(fax_id, page, width, height, x_dpi, y_dpi, search_words, words)"
                + " VALUES (?,?,?,?,?,?,?,?)")) {
            ps.setLong(1, faxId);
            ps.setInt(2, page);
            ps.setInt(3, text.width());
            ps.setInt(4, text.height());
            ps.setDouble(5, text.xDpi());
            ps.setDouble(6, text.yDpi());
            ps.setString(7, search.toString());
            ps.setString(8, words.toString());
            ps.executeUpdate();
        }
    }

    /** The pages read so far, by page number (1-based), in page order. */
    public static List<Page> pages(Connection c, long faxId) throws SQLException {
        List<Page> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT page, width, height, x_dpi, y_dpi, words FROM received_fax_text WHERE fax_id = ? ORDER BY page")) {
            ps.setLong(1, faxId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Page(rs.getInt(1), new PageText(rs.getInt(2), rs.getInt(3), rs.getDouble(4), rs.getDouble(5), words(rs.getString(6)))));
                }
            }
        }
        return out;
    }

    /** One page's text. */
    public record Page(int page, PageText text) {}

    private static List<PageText.Word> words(String stored) {
        List<PageText.Word> out = new ArrayList<>();
        for (String row : stored.split("\n")) {
            String[] f = row.split("\t", 6);
            if (f.length < 6) continue;
            out.add(new PageText.Word(f[5], Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]),
                    Integer.parseInt(f[0])));
        }
        return out;
    }

    /**
     * The SQL condition that fax {@code alias.id} has every one of {@code words} on some page (each
     * word may be on a different page), with one parameter per word (see {@link #likeArguments}).
     */
    static String allWordsCondition(String alias, int words) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < words; i++) {
            if (i > 0) b.append(" AND ");
            b.append("EXISTS (SELECT 1 FROM received_fax_text t WHERE t.fax_id = ").append(alias).append(".id AND t.search_words LIKE ?)");
        }
        return b.toString();
    }

    /** The LIKE patterns for {@code words}, which are {@link PageText#searchWords} (letters and digits, so no LIKE wildcards). */
    static List<Object> likeArguments(List<String> words) {
        List<Object> out = new ArrayList<>();
        for (String w : words) out.add("% " + w + " %");
        return out;
    }
}
