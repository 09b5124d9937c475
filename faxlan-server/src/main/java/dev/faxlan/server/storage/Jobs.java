package dev.faxlan.server.storage;

import dev.faxlan.server.core.job.InterruptedJob;
import dev.faxlan.server.core.job.Job;
import dev.faxlan.server.service.JobState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Outgoing fax jobs: one row per recipient, grouped by the submission that created them. */
public final class Jobs {
    /** Width of {@code jobs.reason}: longer reasons are cut to fit, so storing a reason never fails. */
    public static final int REASON_MAX = 255;

    private Jobs() {}

    /** {@code reason} cut to the reason column, ending in an ellipsis when it was cut. */
    public static String fit(String reason) {
        if (reason == null || reason.length() <= REASON_MAX) return reason;
        int end = REASON_MAX - 1;
        if (Character.isHighSurrogate(reason.charAt(end - 1))) end--;
        return reason.substring(0, end) + "\u2026";
    }

    /** {@code submitterId}: the account that submitted the job for its owner ({@code userId}); null when the owner did. */
    public record NewJob(long userId, Long submitterId, String submission, String recipient, String state, String subject, String cover,
            String resolution, Long sendAt, List<String> documents) {
        public NewJob(long userId, String submission, String recipient, String state, String subject, String cover, String resolution, Long sendAt,
                List<String> documents) {
            this(userId, null, submission, recipient, state, subject, cover, resolution, sendAt, documents);
        }
    }

    public static long insert(Connection c, NewJob j, long now) throws SQLException {
        long id;
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO jobs(user_id, submitter_id, submission, recipient, state, subject, cover, resolution, send_at, created, updated)"
                        + " VALUES (?,?,?,?,?,?,?,?,?,?,?)", new String[] {"id"})) {
            ps.setLong(1, j.userId());
            ps.setObject(2, j.submitterId());
            ps.setString(3, j.submission());
            ps.setString(4, j.recipient());
            ps.setString(5, j.state());
            ps.setString(6, j.subject());
            ps.setString(7, j.cover());
            ps.setString(8, j.resolution());
            ps.setObject(9, j.sendAt());
            ps.setLong(10, now);
            ps.setLong(11, now);
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                id = rs.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO job_documents(job_id, idx, sha256) VALUES (?,?,?)")) {
            for (int i = 0; i < j.documents().size(); i++) {
                ps.setLong(1, id);
                ps.setInt(2, i);
                ps.setString(3, j.documents().get(i));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return id;
    }

    private static final String SELECT = "SELECT j.id, j.user_id, u.name, j.submission, j.recipient, j.state, j.subject, j.cover,"
            + " j.resolution, j.send_at, j.created, j.updated, j.reason, j.unfinished_attempts FROM jobs j JOIN users u ON u.id = j.user_id";

    public static Optional<Job> byId(Connection c, long id) throws SQLException {
        List<Job> l = query(c, SELECT + " WHERE j.id = ?", id);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    /**
     * Jobs of one user (or of everyone when {@code userId} is null), newest first; finished ones only
     * when {@code includeFinished}.
     */
    public static List<Job> list(Connection c, Long userId, boolean includeFinished, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder(SELECT).append(" WHERE 1=1");
        List<Object> args = new ArrayList<>();
        if (userId != null) {
            sql.append(" AND j.user_id = ?");
            args.add(userId);
        }
        if (!includeFinished) {
            sql.append(" AND j.state NOT IN ('").append(JobState.DONE.wire()).append("','").append(JobState.FAILED.wire()).append("','")
                    .append(JobState.CANCELLED.wire()).append("')");
        }
        sql.append(" ORDER BY j.id DESC LIMIT ").append(limit);
        return query(c, sql.toString(), args.toArray());
    }

    public static boolean updateState(Connection c, long id, String state, String reason, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET state = ?, reason = ?, updated = ? WHERE id = ?")) {
            ps.setString(1, state);
            ps.setString(2, fit(reason));
            ps.setLong(3, now);
            ps.setLong(4, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** What the dispatcher keeps per job: attempts made, when the next is due, pages the receiver confirmed. */
    public record Progress(int attempts, Long nextAttempt, Integer pages) {}

    public static Progress progress(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT attempts, next_attempt, pages FROM jobs WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return new Progress(0, null, null);
                long next = rs.getLong(2);
                Long nextAttempt = rs.wasNull() ? null : next;
                int pages = rs.getInt(3);
                return new Progress(rs.getInt(1), nextAttempt, rs.wasNull() ? null : pages);
            }
        }
    }

    /**
     * Jobs waiting to be sent whose time has come (queued and past their send-at, or waiting for a
     * retry that is due), highest priority first, then oldest first.
     */
    public static List<Job> due(Connection c, long now, int limit) throws SQLException {
        return query(c, SELECT + " WHERE " + DUE + " AND " + UNLEASED + " ORDER BY j.priority DESC, j.id LIMIT " + limit, now, now, now);
    }

    /** Queued and past its send-at, or waiting for a retry that is due; parameters: now, now. */
    static final String DUE = "((j.state = '" + JobState.QUEUED.wire() + "' AND (j.send_at IS NULL OR j.send_at <= ?))"
            + " OR (j.state = '" + JobState.RETRY_WAIT.wire() + "' AND j.next_attempt <= ?))";
    /** Nobody holds a lease on the job that lasts beyond now (the parameter). */
    static final String UNLEASED = "(j.lease_owner IS NULL OR j.lease_expires <= ?)";
    /** The states of an attempt in progress. */
    /** The states of a job that may yet be sent: waiting or in an attempt. */
    static final String UNFINISHED = "('" + JobState.QUEUED.wire() + "','" + JobState.RETRY_WAIT.wire() + "','" + JobState.CONVERTING.wire() + "','"
            + JobState.DIALING.wire() + "','" + JobState.SENDING.wire() + "')";
    static final String IN_ATTEMPT = "('" + JobState.CONVERTING.wire() + "','" + JobState.DIALING.wire() + "','" + JobState.SENDING.wire() + "')";

    /**
     * Moves a job from {@code from} to {@code to} only if it is still in {@code from} (a cancel in
     * between wins); records the attempt count, the next attempt and pages when given. Entering
     * {@code converting} counts an unfinished attempt in the same statement, so an attempt is counted
     * before any work starts, and a process killed during it leaves the count behind. Entering
     * {@code dialing} clears it: the documents converted, so a process killed during the call is no
     * sign of a document that kills the server, and such kills are not held against the job.
     */
    public static boolean transition(Connection c, long id, String from, String to, String reason, Integer attempts, Long nextAttempt, Integer pages,
            long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET state = ?, reason = ?, updated = ?, attempts = COALESCE(?, attempts),"
                + " next_attempt = ?, pages = COALESCE(?, pages),"
                + " unfinished_attempts = CASE WHEN ? = 'converting' THEN unfinished_attempts + 1 WHEN ? = 'dialing' THEN 0"
                + " ELSE unfinished_attempts END WHERE id = ? AND state = ?")) {
            ps.setString(1, to);
            ps.setString(2, fit(reason));
            ps.setLong(3, now);
            ps.setObject(4, attempts);
            ps.setObject(5, nextAttempt);
            ps.setObject(6, pages);
            ps.setString(7, to);
            ps.setString(8, to);
            ps.setLong(9, id);
            ps.setString(10, from);
            return ps.executeUpdate() == 1;
        }
    }

    /** Attempts of the job that began converting and have not recorded an outcome (see {@link #transition}). */
    public static int unfinishedAttempts(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT unfinished_attempts FROM jobs WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    /** Attempts of the job that failed in T.30: how far its next attempt steps its carrier down. */
    public static int t30Failures(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT t30_failures FROM jobs WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    /** One more attempt of the job failed in T.30. */
    public static void t30Failed(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET t30_failures = t30_failures + 1 WHERE id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    /** The job's attempt ended with an outcome (of its documents or of its call): it did not crash. */
    public static void attemptFinished(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET unfinished_attempts = 0 WHERE id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    /** Jobs in an attempt that no live lease covers (see {@code JdbcJobQueue}). */
    static List<InterruptedJob> interrupted(Connection c, long now) throws SQLException {
        List<InterruptedJob> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT j.id, j.state, j.unfinished_attempts FROM jobs j WHERE j.state IN " + IN_ATTEMPT + " AND " + UNLEASED + " ORDER BY j.id")) {
            ps.setLong(1, now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new InterruptedJob(rs.getLong(1), rs.getString(2), rs.getInt(3)));
            }
        }
        return out;
    }

    /**
     * The job's documents as their uploader (the submitter, else the owner) named them when uploading
     * (the latest name for the same content), in order; null for a document whose upload record is gone.
     */
    public static List<String> documentNames(Connection c, long id) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT (SELECT MAX(u.name) FROM uploads u WHERE u.user_id = COALESCE(j.submitter_id, j.user_id)"
                + " AND u.sha256 = d.sha256 AND u.completed = TRUE) FROM job_documents d JOIN jobs j ON j.id = d.job_id WHERE d.job_id = ?"
                + " ORDER BY d.idx")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) names.add(rs.getString(1));
            }
        }
        return names;
    }

    public static void setPriority(Connection c, long id, int priority) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET priority = ? WHERE id = ?")) {
            ps.setInt(1, priority);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    /** Records the tag the Call-IDs of the job's coming attempt begin with (see {@code ReceivedFaxes.deliveredOnCallsTagged}). */
    public static void callTag(Connection c, long id, String tag) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET call_tag = ? WHERE id = ?")) {
            ps.setString(1, tag);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    /**
     * Pages of a complete fax that a receiver sharing this database stored from the job's latest attempt
     * (found by its call tag), if one did: that attempt delivered the fax, however its call ended at the sender.
     */
    public static Optional<Integer> deliveredOnLatestAttempt(Connection c, long id) throws SQLException {
        // As ReceivedFaxes.deliveredOnCallsTagged, joined to the job's tag: a job without one joins no fax.
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(r.pages) FROM jobs j JOIN received_faxes r ON r.call_tag = j.call_tag"
                + " WHERE j.id = ? AND r.result = 'OK' AND r.pages > 0")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                int pages = rs.getInt(1);
                return rs.wasNull() ? Optional.empty() : Optional.of(pages);
            }
        }
    }

    /** Why a job whose call was cut off after the receiver had stored its fax is done. */
    public static final String DELIVERED_BEFORE_CUT_OFF = "delivered: the receiving line stored the fax before the server sending it stopped";

    /** What {@link #requeueInterrupted} did: the jobs it queued again, and those it found delivered and made done. */
    record Requeued(int requeued, List<Long> delivered) {}

    /** Why a job whose call was cut off by the end of its node (a crash, a kill, a lost machine) is queued again. */
    public static final String CALL_CUT_OFF = "the server sending it stopped during the call; it is sent again";

    /**
     * Jobs left in an attempt that no live lease covers go back to the queue (their call is gone with
     * their node). A job that was dialing or sending had its call: that attempt is counted, and shown
     * among the job's calls as interrupted, so the retry limit holds across nodes that die; unless a
     * receiver sharing this database stored its fax complete (found by the attempt's call tag among the
     * received faxes' Call-IDs): then it is done, never sent a second time. Only the rows the first
     * statement locked are changed: under READ COMMITTED a later statement would also see jobs whose lease
     * another node released meanwhile, which were never looked up.
     */
    static Requeued requeueInterrupted(Connection c, long now) throws SQLException {
        record Cut(long id, String state, int attempts, long updated, String tag) {}
        List<Cut> cut = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT j.id, j.state, j.attempts, j.updated, j.call_tag FROM jobs j WHERE j.state IN "
                + IN_ATTEMPT + " AND " + UNLEASED + " ORDER BY j.id FOR UPDATE")) {
            ps.setLong(1, now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) cut.add(new Cut(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getString(5)));
            }
        }
        int requeued = 0;
        List<Long> delivered = new ArrayList<>();
        for (Cut j : cut) {
            boolean called = j.state().equals(JobState.DIALING.wire()) || j.state().equals(JobState.SENDING.wire());
            Optional<Integer> pages = called && j.tag() != null ? ReceivedFaxes.deliveredOnCallsTagged(c, j.tag()) : Optional.empty();
            if (pages.isPresent()) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET state = '" + JobState.DONE.wire() + "', reason = ?, updated = ?,"
                        + " attempts = attempts + 1, pages = ?, next_attempt = NULL, lease_owner = NULL, lease_expires = NULL WHERE id = ? AND state = ?")) {
                    ps.setString(1, DELIVERED_BEFORE_CUT_OFF);
                    ps.setLong(2, now);
                    ps.setInt(3, pages.get());
                    ps.setLong(4, j.id());
                    ps.setString(5, j.state());
                    if (ps.executeUpdate() != 1) continue;
                }
                JobCalls.put(c, j.id(), new JobCalls.Call(j.attempts() + 1, j.updated(), now, "", "", null, "", "", "success", pages.get(),
                        DELIVERED_BEFORE_CUT_OFF));
                delivered.add(j.id());
                continue;
            }
            if (called) JobCalls.put(c, j.id(), new JobCalls.Call(j.attempts() + 1, j.updated(), now, "", "", null, "", "", "interrupted", 0, CALL_CUT_OFF));
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET attempts = attempts + ?, state = '" + JobState.QUEUED.wire()
                    + "', reason = ?, updated = ?, lease_owner = NULL, lease_expires = NULL WHERE id = ? AND state = ?")) {
                ps.setInt(1, called ? 1 : 0);
                ps.setString(2, CALL_CUT_OFF);
                ps.setLong(3, now);
                ps.setLong(4, j.id());
                ps.setString(5, j.state());
                requeued += ps.executeUpdate();
            }
        }
        return new Requeued(requeued, delivered);
    }

    public static long count(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM jobs"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static List<Job> query(Connection c, String sql, Object... args) throws SQLException {
        List<Job> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long send = rs.getLong(10);
                    Long sendAt = rs.wasNull() ? null : send;
                    rows.add(new Job(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), sendAt, rs.getLong(11),
                            rs.getLong(12), rs.getString(13), rs.getInt(14), List.of()));
                }
            }
        }
        if (rows.isEmpty()) return rows;
        List<Job> out = new ArrayList<>(rows.size());
        try (PreparedStatement ps = c.prepareStatement("SELECT sha256 FROM job_documents WHERE job_id = ? ORDER BY idx")) {
            for (Job j : rows) {
                ps.setLong(1, j.id());
                List<String> docs = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) docs.add(rs.getString(1));
                }
                out.add(new Job(j.id(), j.userId(), j.owner(), j.submission(), j.recipient(), j.state(), j.subject(), j.cover(),
                        j.resolution(), j.sendAt(), j.created(), j.updated(), j.reason(), j.unfinishedAttempts(), List.copyOf(docs)));
            }
        }
        return out;
    }
}
