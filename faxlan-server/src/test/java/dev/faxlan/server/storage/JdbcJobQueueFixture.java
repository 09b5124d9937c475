package dev.faxlan.server.storage;

import dev.faxlan.server.core.job.CallTags;
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
import static org.assertj.core.api.Assertions.assertThat;

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

    /** A job left sending by a node that died, with its attempt's call tag; its lease expired at NOW. */
    private long cutOff(String recipient, String tag) throws Exception {
        long id = addJob(recipient, null);
        queue.claim(id, "node-b", NOW - LEASE.toMillis(), LEASE);
        setState(id, JobState.SENDING);
        db.tx(c -> {
            Jobs.callTag(c, id, tag);
            return null;
        });
        return id;
    }

    private <T> T read(Database.Work<T> work) throws Exception {
        return db.tx(work);
    }

    private void received(String callId, String result, int pages) throws Exception {
        db.tx(c -> ReceivedFaxes.insert(c, new ReceivedFaxes.NewFax(NOW, "loopback", "0000", "+15550100", "", "", "", pages, 0, 1000, result,
                pages > 0 ? "a".repeat(64) : null, pages > 0 ? 1 : 0, null, callId)));
    }

    @org.junit.jupiter.api.Test
    void aCutOffJobWhoseFaxAReceiverOfOursStoredIsDoneNotSentAgain() throws Exception {
        String[] tags = {CallTags.next(), CallTags.next(), CallTags.next()};
        long delivered = cutOff("+15550101", tags[0]);
        long partial = cutOff("+15550102", tags[1]);
        long elsewhere = cutOff("+15550103", tags[2]);
        long untagged = addJob("+15550104", null);
        queue.claim(untagged, "node-b", NOW - LEASE.toMillis(), LEASE);
        setState(untagged, JobState.DIALING);
        received(tags[0] + "-7a3f@192.0.2.1", "OK", 3);
        received(tags[1] + "-11@192.0.2.1", "T2_EXPIRED", 1); // cut off mid-fax: the receiver has part of it
        received(tags[2] + "@192.0.2.1", "OK", 1); // not a Call-ID of ours: no tag is read from it
        long eventsBefore = this.<Long>read(c -> Events.lastSeq(c, userId));

        assertThat(queue.requeueExpired(NOW)).as("requeued").isEqualTo(3);

        Job done = job(delivered);
        assertThat(done.state()).isEqualTo(JobState.DONE.wire());
        assertThat(done.reason()).isEqualTo(Jobs.DELIVERED_BEFORE_CUT_OFF);
        Jobs.Progress progress = read(c -> Jobs.progress(c, delivered));
        assertThat(progress.attempts()).isEqualTo(1);
        assertThat(progress.pages()).isEqualTo(3);
        List<JobCalls.Call> calls = read(c -> JobCalls.of(c, delivered));
        assertThat(calls).singleElement().satisfies(call -> {
            assertThat(call.outcome()).isEqualTo("success");
            assertThat(call.pages()).isEqualTo(3);
        });
        assertThat(announced()).contains(new BusMessage.JobChanged(userId, delivered, JobState.DONE));
        assertThat(this.<Long>read(c -> Events.lastSeq(c, userId))).as("the change is in the owner's event log").isEqualTo(eventsBefore + 1);
        for (long id : new long[] {partial, elsewhere, untagged}) assertThat(job(id).state()).isEqualTo(JobState.QUEUED.wire());
        assertThat(queue.requeueExpired(NOW)).as("nothing left").isZero();
        assertThat(job(delivered).state()).isEqualTo(JobState.DONE.wire());
    }

    @org.junit.jupiter.api.Test
    void theLatestAttemptIsDeliveredWhenAReceiverOfOursStoredItsFaxComplete() throws Exception {
        String first = CallTags.next();
        String second = CallTags.next();
        long job = cutOff("+15550101", first);
        long untagged = addJob("+15550102", null);
        received(first + "-1@192.0.2.1", "OK", 2);
        received(first + "-2@192.0.2.1", "OK", 3);
        assertThat(this.<java.util.Optional<Integer>>read(c -> Jobs.deliveredOnLatestAttempt(c, job))).as("the most pages stored").contains(3);

        db.tx(c -> {
            Jobs.callTag(c, job, second);
            return null;
        });
        assertThat(this.<java.util.Optional<Integer>>read(c -> Jobs.deliveredOnLatestAttempt(c, job))).as("an earlier attempt's fax").isEmpty();
        received(second + "-1@192.0.2.1", "T2_EXPIRED", 1);
        received(second + "-2@192.0.2.1", "OK", 0);
        assertThat(this.<java.util.Optional<Integer>>read(c -> Jobs.deliveredOnLatestAttempt(c, job))).as("only part of it, or no page").isEmpty();
        received(second + "-3@192.0.2.1", "OK", 4);
        assertThat(this.<java.util.Optional<Integer>>read(c -> Jobs.deliveredOnLatestAttempt(c, job))).contains(4);

        assertThat(this.<java.util.Optional<Integer>>read(c -> Jobs.deliveredOnLatestAttempt(c, untagged))).as("no tag").isEmpty();
        assertThat(this.<java.util.Optional<Integer>>read(c -> Jobs.deliveredOnLatestAttempt(c, job + 1000))).as("no such job").isEmpty();
    }
}
