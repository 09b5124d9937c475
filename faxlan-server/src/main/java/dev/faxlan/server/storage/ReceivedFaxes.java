package dev.faxlan.server.storage;

import dev.faxlan.server.core.job.CallTags;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Faxes received on the lines: one row per answered call, the pages as one TIFF document in the spool. */
public final class ReceivedFaxes {
    private ReceivedFaxes() {}

    /** Longest text kept in the number and identification columns. */
    public static final int TEXT_MAX = 64;

    /**
     * A stored received fax.
     *
     * @param receivedAt when the call was answered
     * @param result the T.30 result, a {@code FaxResult} name
     * @param sha256 the TIFF document in the spool, or null when no page arrived
     * @param size bytes of the document, 0 without one
     * @param mailbox where the fax was routed, or null before routing
     */
    public record Fax(long id, long receivedAt, String line, String callerNumber, String calledNumber, String remoteIdent,
            String subaddress, String senderId, int pages, int badLines, long durationMs, String result, String sha256, long size,
            String mailbox, boolean read) {}

    /** A fax to store; {@code callId} is its call's SIP Call-ID (at most {@link #CALL_ID_MAX} characters), or null. */
    public record NewFax(long receivedAt, String line, String callerNumber, String calledNumber, String remoteIdent, String subaddress,
            String senderId, int pages, int badLines, long durationMs, String result, String sha256, long size, String mailbox, String callId) {
        public NewFax(long receivedAt, String line, String callerNumber, String calledNumber, String remoteIdent, String subaddress,
                String senderId, int pages, int badLines, long durationMs, String result, String sha256, long size, String mailbox) {
            this(receivedAt, line, callerNumber, calledNumber, remoteIdent, subaddress, senderId, pages, badLines, durationMs, result, sha256, size,
                    mailbox, null);
        }
    }

    /** Longest Call-ID kept; a longer one (never one of ours) is not kept at all. */
    public static final int CALL_ID_MAX = 255;

    /**
     * Pages of a complete fax (T.30 ended OK) received on a call of the attempt tagged {@code callTag}
     * (see {@code CallTags}), if there is one: that attempt of ours was delivered.
     */
    public static Optional<Integer> deliveredOnCallsTagged(Connection c, String callTag) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(pages) FROM received_faxes WHERE call_tag = ? AND result = 'OK' AND pages > 0")) {
            ps.setString(1, callTag);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                int pages = rs.getInt(1);
                return rs.wasNull() ? Optional.empty() : Optional.of(pages);
            }
        }
    }

    /** Records which node's line answered fax {@code id}. */
    public static void receivedBy(Connection c, long id, String node) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE received_faxes SET node = ? WHERE id = ?")) {
            ps.setString(1, node);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    public static long insert(Connection c, NewFax f) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO received_faxes(received_at, line, caller_number, called_number, remote_ident, subaddress, sender_id,"
                        + " pages, bad_lines, duration_ms, result, sha256, size, mailbox, call_id, call_tag) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                new String[] {"id"})) {
            ps.setLong(1, f.receivedAt());
            ps.setString(2, f.line());
            ps.setString(3, f.callerNumber());
            ps.setString(4, f.calledNumber());
            ps.setString(5, f.remoteIdent());
            ps.setString(6, f.subaddress());
            ps.setString(7, f.senderId());
            ps.setInt(8, f.pages());
            ps.setInt(9, f.badLines());
            ps.setLong(10, f.durationMs());
            ps.setString(11, f.result());
            ps.setString(12, f.sha256());
            ps.setLong(13, f.size());
            ps.setString(14, f.mailbox());
            ps.setString(15, f.callId() != null && f.callId().length() <= CALL_ID_MAX ? f.callId() : null);
            ps.setString(16, CallTags.of(f.callId()).orElse(null));
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static final String SELECT = "SELECT id, received_at, line, caller_number, called_number, remote_ident, subaddress,"
            + " sender_id, pages, bad_lines, duration_ms, result, sha256, size, mailbox, is_read FROM received_faxes";

    public static Optional<Fax> byId(Connection c, long id) throws SQLException {
        List<Fax> l = query(c, SELECT + " WHERE id = ?", id);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    /** The fax received on the call with SIP Call-ID {@code callId}, if one was stored. */
    public static Optional<Fax> byCallId(Connection c, String callId) throws SQLException {
        List<Fax> l = query(c, SELECT + " WHERE call_id = ? ORDER BY id", callId);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    /** The newest {@code limit} faxes, newest first. */
    public static List<Fax> list(Connection c, int limit) throws SQLException {
        return query(c, SELECT + " ORDER BY received_at DESC, id DESC LIMIT " + limit);
    }

    /** The newest {@code limit} faxes routed to {@code mailbox}, newest first. */
    public static List<Fax> inMailbox(Connection c, String mailbox, int limit) throws SQLException {
        return query(c, SELECT + " WHERE mailbox = ? ORDER BY received_at DESC, id DESC LIMIT " + limit, mailbox);
    }

    /** The newest {@code limit} faxes routed to any of {@code mailboxes}, newest first. */
    public static List<Fax> inMailboxes(Connection c, List<String> mailboxes, int limit) throws SQLException {
        if (mailboxes.isEmpty()) return List.of();
        String marks = String.join(",", Collections.nCopies(mailboxes.size(), "?"));
        return query(c, SELECT + " WHERE mailbox IN (" + marks + ") ORDER BY received_at DESC, id DESC LIMIT " + limit, mailboxes.toArray());
    }

    /**
     * The newest {@code limit} faxes whose OCR text has every one of {@code words} (search words: lower
     * case letters and digits), in any of {@code mailboxes}, or anywhere when that is null; newest first.
     */
    public static List<Fax> withWords(Connection c, List<String> mailboxes, List<String> words, int limit) throws SQLException {
        if (words.isEmpty()) throw new IllegalArgumentException("no words to search for");
        if (mailboxes != null && mailboxes.isEmpty()) return List.of();
        List<Object> args = new ArrayList<>();
        String where = FaxTexts.allWordsCondition("received_faxes", words.size());
        args.addAll(FaxTexts.likeArguments(words));
        if (mailboxes != null) {
            where += " AND mailbox IN (" + String.join(",", Collections.nCopies(mailboxes.size(), "?")) + ")";
            args.addAll(mailboxes);
        }
        return query(c, SELECT + " WHERE " + where + " ORDER BY received_at DESC, id DESC LIMIT " + limit, args.toArray());
    }

    /** Moves every fax of one mailbox to another; returns how many moved. */
    public static int moveMailbox(Connection c, String from, String to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE received_faxes SET mailbox = ? WHERE mailbox = ?")) {
            ps.setString(1, to);
            ps.setString(2, from);
            return ps.executeUpdate();
        }
    }

    public static boolean delete(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM received_faxes WHERE id = ?")) {
            ps.setLong(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** Routes a fax to a mailbox (null to unroute it); false if there is no such fax. */
    public static boolean setMailbox(Connection c, long id, String mailbox) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE received_faxes SET mailbox = ? WHERE id = ?")) {
            ps.setString(1, mailbox);
            ps.setLong(2, id);
            return ps.executeUpdate() == 1;
        }
    }

    public static boolean setRead(Connection c, long id, boolean read) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE received_faxes SET is_read = ? WHERE id = ?")) {
            ps.setBoolean(1, read);
            ps.setLong(2, id);
            return ps.executeUpdate() == 1;
        }
    }

    public static long count(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM received_faxes"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<Fax> query(Connection c, String sql, Object... args) throws SQLException {
        List<Fax> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Fax(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                            rs.getString(7), rs.getString(8), rs.getInt(9), rs.getInt(10), rs.getLong(11), rs.getString(12),
                            rs.getString(13), rs.getLong(14), rs.getString(15), rs.getBoolean(16)));
                }
            }
        }
        return rows;
    }
}
