package dev.faxlan.server.storage;

import dev.faxlan.server.core.job.Job;
import dev.faxlan.server.core.port.BusMessage;
import dev.faxlan.server.core.port.JobQueue;
import dev.faxlan.server.core.port.JobQueueContract;
import dev.faxlan.server.events.InProcessEventBus;
import dev.faxlan.server.service.JobState;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** {@link JdbcJobQueue} with what {@link JobQueueContract} needs, on the database each subclass opens for a test. */
abstract class JdbcJobQueueFixture implements JobQueueContract {
    protected Database db;
    private JdbcJobQueue queue;
    protected long userId;
    private final List<BusMessage.JobChanged> announced = new CopyOnWriteArrayList<>();

    /** A new database with the schema in place, for one test. */
    protected abstract Database openDatabase() throws Exception;

    @BeforeEach
    void open() throws Exception {
        db = openDatabase();
        userId = db.tx(c -> Users.insert(c, "alice", "user", "h", NOW));
        db.tx(c -> {
            Documents.insertIfAbsent(c, "a".repeat(64), 1, NOW);
            return null;
        });
        InProcessEventBus bus = new InProcessEventBus();
        bus.subscribe(m -> {
            if (m instanceof BusMessage.JobChanged j) announced.add(j);
        });
        queue = new JdbcJobQueue(db, (c, job, now) -> Events.append(c, job.userId(), "job", new byte[] {1}, now), bus);
    }

    @AfterEach
    void close() {
        if (db != null) db.close();
    }

    @Override
    public JobQueue queue() {
        return queue;
    }

    @Override
    public long addJob(String recipient, Long sendAt) throws Exception {
        return db.tx(c -> Jobs.insert(c, new Jobs.NewJob(userId, "s", recipient, JobState.QUEUED.wire(), null, null, "fine", sendAt,
                List.of("a".repeat(64))), NOW));
    }

    @Override
    public void setState(long jobId, JobState state) throws Exception {
        db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET state = ? WHERE id = ?")) {
                ps.setString(1, state.wire());
                ps.setLong(2, jobId);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Job job(long jobId) throws Exception {
        return db.tx(c -> Jobs.byId(c, jobId).orElseThrow());
    }

    @Override
    public List<BusMessage.JobChanged> announced() {
        return announced;
    }
}
