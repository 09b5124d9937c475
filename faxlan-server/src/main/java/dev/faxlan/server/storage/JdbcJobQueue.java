package dev.faxlan.server.storage;

import dev.faxlan.server.core.job.InterruptedJob;
import dev.faxlan.server.core.job.Job;
import dev.faxlan.server.core.port.BusMessage;
import dev.faxlan.server.core.port.EventBus;
import dev.faxlan.server.core.port.JobQueue;
import dev.faxlan.server.service.JobState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job queue in the {@code jobs} table, on H2 or PostgreSQL. A claim is one conditional UPDATE
 * of the lease columns, so of two claimers only one changes the row and the other sees zero rows
 * updated; on PostgreSQL {@link #claimDue} first locks its rows with {@code SKIP LOCKED}.
 */
public final class JdbcJobQueue implements JobQueue {
    private static final Logger log = LoggerFactory.getLogger(JdbcJobQueue.class);
    /** Writes a job's change into its owner's event log, in the transaction that made it. */
    @FunctionalInterface
    public interface Journal {
        void changed(Connection c, Job job, long now) throws SQLException;
    }

    /**
     * One call per number across the nodes: no other job to the job's number holds a live lease (is
     * being converted or called by some node); parameter: now.
     */
    static final String NO_CALL_TO_SAME_NUMBER = "NOT EXISTS (SELECT 1 FROM jobs o WHERE o.recipient = j.recipient AND o.id <> j.id"
            + " AND o.lease_owner IS NOT NULL AND o.lease_expires > ?)";

    private final Database db;
    private final Journal journal;
    private final EventBus bus;

    public JdbcJobQueue(Database db, Journal journal, EventBus bus) {
        this.db = db;
        this.journal = journal;
        this.bus = bus;
    }

    @Override
    public List<Job> due(long now, int limit) throws Exception {
        return db.tx(c -> Jobs.due(c, now, limit));
    }

    @Override
    public Optional<Lease> claim(long jobId, String owner, long now, Duration lease) throws Exception {
        long expires = now + lease.toMillis();
        boolean taken = db.tx(c -> {
            // The unfinished jobs to the same number are locked first, in one order, so that of two nodes
            // claiming two jobs to one number the second waits, then sees the first's lease below.
            try (PreparedStatement ps = c.prepareStatement("SELECT o.id FROM jobs o WHERE o.recipient = (SELECT recipient FROM jobs WHERE id = ?)"
                    + " AND o.state IN " + Jobs.UNFINISHED + " ORDER BY o.id FOR UPDATE")) {
                ps.setLong(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        // locked
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs j SET lease_owner = ?, lease_expires = ? WHERE j.id = ? AND " + Jobs.DUE
                    + " AND " + Jobs.UNLEASED + " AND " + NO_CALL_TO_SAME_NUMBER)) {
                ps.setString(1, owner);
                ps.setLong(2, expires);
                ps.setLong(3, jobId);
                ps.setLong(4, now);
                ps.setLong(5, now);
                ps.setLong(6, now);
                ps.setLong(7, now);
                return ps.executeUpdate() == 1;
            }
        });
        return taken ? Optional.of(new Lease(jobId, owner, expires)) : Optional.empty();
    }

    @Override
    public List<Lease> claimDue(String owner, long now, Duration lease, int limit) throws Exception {
        if (db.dialect().skipsLockedBeforeLimit()) return claimSkippingLocked(owner, now, lease, limit);
        List<Lease> taken = new ArrayList<>();
        for (Job j : due(now, limit)) claim(j.id(), owner, now, lease).ifPresent(taken::add);
        return taken;
    }

    /**
     * One transaction: lock up to {@code limit} due, unleased jobs that no other claimer has locked
     * ({@code FOR UPDATE SKIP LOCKED}), then lease them. Nodes claiming at once each get other jobs
     * instead of queueing on the same rows; the UPDATE keeps its conditions, so a row changed since
     * (PostgreSQL re-checks a locked row's newest version) is not taken. One call per number as in
     * {@link #claim}: a job is skipped while another claimer holds a lock on a job to its number (it
     * may be leasing it; waiting for it instead could deadlock with a claimer holding ours), and the
     * UPDATE sees live leases, those of this transaction included.
     */
    private List<Lease> claimSkippingLocked(String owner, long now, Duration lease, int limit) throws SQLException {
        long expires = now + lease.toMillis();
        return db.tx(c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT j.id FROM jobs j WHERE " + Jobs.DUE + " AND " + Jobs.UNLEASED
                    + " ORDER BY j.priority DESC, j.id LIMIT ? FOR UPDATE SKIP LOCKED")) {
                ps.setLong(1, now);
                ps.setLong(2, now);
                ps.setLong(3, now);
                ps.setInt(4, limit);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) ids.add(rs.getLong(1));
                }
            }
            List<Lease> taken = new ArrayList<>();
            try (PreparedStatement sameNumber = c.prepareStatement("SELECT COUNT(*) FROM jobs o WHERE o.recipient = (SELECT recipient FROM jobs"
                    + " WHERE id = ?) AND o.state IN " + Jobs.UNFINISHED);
                    PreparedStatement lockSameNumber = c.prepareStatement("SELECT o.id FROM jobs o WHERE o.recipient = (SELECT recipient FROM jobs"
                            + " WHERE id = ?) AND o.state IN " + Jobs.UNFINISHED + " ORDER BY o.id FOR UPDATE SKIP LOCKED");
                    PreparedStatement ps = c.prepareStatement("UPDATE jobs j SET lease_owner = ?, lease_expires = ? WHERE j.id = ? AND " + Jobs.DUE
                            + " AND " + Jobs.UNLEASED + " AND " + NO_CALL_TO_SAME_NUMBER)) {
                for (long id : ids) {
                    if (count(sameNumber, id) != rows(lockSameNumber, id)) continue; // another claimer holds a job to this number
                    ps.setString(1, owner);
                    ps.setLong(2, expires);
                    ps.setLong(3, id);
                    ps.setLong(4, now);
                    ps.setLong(5, now);
                    ps.setLong(6, now);
                    ps.setLong(7, now);
                    if (ps.executeUpdate() == 1) taken.add(new Lease(id, owner, expires));
                }
            }
            return taken;
        });
    }

    /** The value of a COUNT query on job {@code id}. */
    private static long count(PreparedStatement ps, long id) throws SQLException {
        ps.setLong(1, id);
        try (var rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** The rows a query on job {@code id} returned (a locking one: the rows it locked). */
    private static long rows(PreparedStatement ps, long id) throws SQLException {
        ps.setLong(1, id);
        long n = 0;
        try (var rs = ps.executeQuery()) {
            while (rs.next()) n++;
        }
        return n;
    }

    @Override
    public int renew(String owner, long now, Duration lease) throws Exception {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET lease_expires = ? WHERE lease_owner = ?")) {
                ps.setLong(1, now + lease.toMillis());
                ps.setString(2, owner);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Job> complete(Lease lease, Outcome o, long now) throws Exception {
        Optional<Job> changed = db.tx(c -> {
            boolean moved;
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs j SET state = ?, reason = ?, updated = ?, attempts = COALESCE(?, attempts),"
                    + " next_attempt = ?, pages = COALESCE(?, pages), call_duration = COALESCE(?, call_duration)"
                    + " WHERE j.id = ? AND j.lease_owner = ? AND j.state IN " + Jobs.IN_ATTEMPT)) {
                ps.setString(1, o.state().wire());
                ps.setString(2, Jobs.fit(o.reason()));
                ps.setLong(3, now);
                ps.setObject(4, o.attempts());
                ps.setObject(5, o.nextAttempt());
                ps.setObject(6, o.pages());
                ps.setObject(7, o.callMillis());
                ps.setLong(8, lease.jobId());
                ps.setString(9, lease.owner());
                moved = ps.executeUpdate() == 1;
            }
            end(c, lease);
            if (!moved) return Optional.<Job>empty();
            Job job = Jobs.byId(c, lease.jobId()).orElseThrow();
            journal.changed(c, job, now);
            return Optional.of(job);
        });
        changed.ifPresent(j -> bus.publish(new BusMessage.JobChanged(j.userId(), j.id(), j.jobState())));
        return changed;
    }

    @Override
    public void release(Lease lease) throws Exception {
        db.tx(c -> {
            end(c, lease);
            return null;
        });
    }

    private static void end(Connection c, Lease lease) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET lease_owner = NULL, lease_expires = NULL WHERE id = ? AND lease_owner = ?")) {
            ps.setLong(1, lease.jobId());
            ps.setString(2, lease.owner());
            ps.executeUpdate();
        }
    }

    @Override
    public int releaseAll(String owner) throws Exception {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET lease_owner = NULL, lease_expires = NULL WHERE lease_owner = ?")) {
                ps.setString(1, owner);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<InterruptedJob> abandoned(long now) throws Exception {
        return db.tx(c -> Jobs.interrupted(c, now));
    }

    @Override
    public int requeueExpired(long now) throws Exception {
        List<Job> delivered = new ArrayList<>();
        int requeued = db.tx(c -> {
            delivered.clear(); // a transaction retried starts again
            Jobs.Requeued r = Jobs.requeueInterrupted(c, now);
            for (long id : r.delivered()) {
                Job job = Jobs.byId(c, id).orElseThrow();
                journal.changed(c, job, now);
                delivered.add(job);
            }
            return r.requeued();
        });
        for (Job j : delivered) {
            log.info("job {}: its call was cut off after the receiving line had stored the fax; done, not sent again", j.id());
            bus.publish(new BusMessage.JobChanged(j.userId(), j.id(), j.jobState()));
        }
        return requeued;
    }
}
