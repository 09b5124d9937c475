package dev.faxlan.server.storage;

import dev.faxlan.server.core.job.Job;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a job's listing shows beyond its row: priority, attempts, the documents' file names, its cover
 * page fields, who submitted it when that was not its owner, the pages the receiver confirmed and how
 * long the last call lasted (null: none yet).
 */
public final class JobDetails {
    private JobDetails() {}

    /**
     * {@code submitter}: the account that submitted the job for its owner, null when the owner did (or that
     * account is gone); {@code pages}, {@code callMillis}: the last call's confirmed pages and length, null before a call.
     */
    public record Details(int priority, int attempts, List<String> names, Map<String, String> coverFields, String submitter, Integer pages,
            Long callMillis) {}

    public static Details of(Connection c, Job j) throws SQLException {
        int priority = 5;
        int attempts = 0;
        long uploader = j.userId();
        String submitter = null;
        Integer pages = null;
        Long callMillis = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT j.priority, j.attempts, s.id, s.name, j.pages, j.call_duration"
                + " FROM jobs j LEFT JOIN users s ON s.id = j.submitter_id WHERE j.id = ?")) {
            ps.setLong(1, j.id());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    priority = rs.getInt(1);
                    attempts = rs.getInt(2);
                    long s = rs.getLong(3);
                    if (!rs.wasNull()) {
                        uploader = s;
                        submitter = rs.getString(4);
                    }
                    pages = rs.getObject(5) == null ? null : rs.getInt(5);
                    callMillis = rs.getObject(6) == null ? null : rs.getLong(6);
                }
            }
        }
        return new Details(priority, attempts, names(c, j, uploader), coverFields(c, j.id()), submitter, pages, callMillis);
    }

    /** The file name each document had when {@code uploader} uploaded it (the latest upload of those bytes), "" if unknown. */
    static List<String> names(Connection c, Job j, long uploader) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT name FROM uploads WHERE user_id = ? AND sha256 = ? AND completed AND name IS NOT NULL ORDER BY created DESC LIMIT 1")) {
            for (String sha : j.documents()) {
                ps.setLong(1, uploader);
                ps.setString(2, sha);
                try (ResultSet rs = ps.executeQuery()) {
                    names.add(rs.next() ? rs.getString(1) : "");
                }
            }
        }
        return names;
    }

    public static Map<String, String> coverFields(Connection c, long jobId) throws SQLException {
        Map<String, String> fields = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, val FROM job_cover_fields WHERE job_id = ? ORDER BY name")) {
            ps.setLong(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) fields.put(rs.getString(1), rs.getString(2));
            }
        }
        return fields;
    }

    public static void putCoverFields(Connection c, long jobId, Map<String, String> fields) throws SQLException {
        if (fields.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO job_cover_fields(job_id, name, val) VALUES (?,?,?)")) {
            for (Map.Entry<String, String> f : fields.entrySet()) {
                ps.setLong(1, jobId);
                ps.setString(2, f.getKey());
                ps.setString(3, f.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
