package dev.faxlan.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/** The calls a job's attempts made, one row per attempt that placed (or tried to place) a call. */
public final class JobCalls {
    private JobCalls() {}

    /**
     * One attempt's call.
     *
     * @param attempt counted as the job's attempts are, from 1
     * @param plan the media the attempt started with and why: the policy, or what the number's memory holds
     * @param media {@code t38} or {@code g711}, the media the call ended on; null when the line did not say
     * @param mediaWhy why that media, naming what failed on a fallback; "" when nothing to say
     * @param carrier the carrier trained, e.g. "9,600 bit/s V.29, ECM"; "" when none was
     * @param outcome the call's outcome, e.g. {@code success}, {@code t30-failure}
     * @param reason the attempt's end for people, as the job's reason said it
     */
    public record Call(int attempt, long started, long ended, String line, String plan, String media, String mediaWhy, String carrier,
            String outcome, int pages, String reason) {}

    /** Records {@code call}; a row of the same attempt number (left by an attempt that crashed before counting) is replaced. */
    public static void put(Connection c, long jobId, Call call) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM job_calls WHERE job_id = ? AND attempt = ?")) {
            ps.setLong(1, jobId);
            ps.setInt(2, call.attempt());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO job_calls (job_id, attempt, started, ended, line, plan, media, media_why, carrier,"
                + " outcome, pages, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, jobId);
            ps.setInt(2, call.attempt());
            ps.setLong(3, call.started());
            ps.setLong(4, call.ended());
            ps.setString(5, cut(call.line(), 64));
            ps.setString(6, cut(call.plan(), 400));
            if (call.media() == null) ps.setNull(7, Types.VARCHAR);
            else ps.setString(7, call.media());
            ps.setString(8, cut(call.mediaWhy(), 400));
            ps.setString(9, cut(call.carrier(), 80));
            ps.setString(10, call.outcome());
            ps.setInt(11, call.pages());
            ps.setString(12, Jobs.fit(call.reason()));
            ps.executeUpdate();
        }
    }

    /** The job's calls, first attempt first. */
    public static List<Call> of(Connection c, long jobId) throws SQLException {
        List<Call> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT attempt, started, ended, line, plan, media, media_why, carrier, outcome, pages, reason"
                + " FROM job_calls WHERE job_id = ? ORDER BY attempt")) {
            ps.setLong(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Call(rs.getInt(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                            rs.getString(8), rs.getString(9), rs.getInt(10), rs.getString(11)));
                }
            }
        }
        return out;
    }

    /** Cut to a column's width, ending in an ellipsis when cut: recording a call never fails on a long text. */
    private static String cut(String s, int max) {
        if (s == null) return "";
        if (s.length() <= max) return s;
        int end = max - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) end--;
        return s.substring(0, end) + "\u2026";
    }
}
