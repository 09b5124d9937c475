package dev.faxlan.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.server.core.port.JobQueue;
import dev.faxlan.server.events.InProcessEventBus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The job queue contract on a real PostgreSQL, and what only PostgreSQL does: claims that skip the
 * rows another node has locked, and several nodes (each its own pool) sharing one queue.
 */
class PostgresJobQueueTest extends JdbcJobQueueFixture {
    private static MigratedPostgres pg;
    private String url;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = MigratedPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (pg != null) pg.close();
    }

    @Override
    protected Database openDatabase() throws Exception {
        url = pg.newDatabaseUrl();
        return Database.open(url, pg.cluster().user(), pg.cluster().password());
    }

    @Test
    void aClaimSkipsTheJobsAnotherNodeHasLockedInsteadOfWaitingForThem() throws Exception {
        long first = addJob("+15550100", null);
        long second = addJob("+15550101", null);
        long third = addJob("+15550102", null);
        try (Connection other = db.dataSource().getConnection()) {
            // Another node is in the middle of claiming the first job: its row is locked, not yet leased.
            try (PreparedStatement ps = other.prepareStatement("SELECT id FROM jobs WHERE id = ? FOR UPDATE")) {
                ps.setLong(1, first);
                ps.executeQuery().close();
            }
            assertThat(queue().claimDue("node-b", NOW, LEASE, 2)).extracting(JobQueue.Lease::jobId).containsExactly(second, third);
            other.rollback();
        }
        assertThat(queue().claimDue("node-b", NOW, LEASE, 2)).extracting(JobQueue.Lease::jobId).containsExactly(first);
    }

    @Test
    void threeNodesWithThreeThreadsEachClaimEveryJobOfOneQueueExactlyOnce() throws Exception {
        int jobs = 300;
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < jobs; i++) ids.add(addJob("+1555" + (1_000_000 + i), null));
        List<Database> nodes = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(9);
        try {
            for (int n = 0; n < 3; n++) nodes.add(Database.open(url, pg.cluster().user(), pg.cluster().password(), 3));
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Long>>> claimers = new ArrayList<>();
            for (int n = 0; n < 3; n++) {
                JdbcJobQueue node = new JdbcJobQueue(nodes.get(n), (c, job, now) -> {}, new InProcessEventBus());
                for (int t = 0; t < 3; t++) {
                    String owner = "node-" + n + "-" + t;
                    Callable<List<Long>> claimer = () -> {
                        start.await();
                        List<Long> mine = new ArrayList<>();
                        for (List<JobQueue.Lease> got = node.claimDue(owner, NOW, LEASE, 5); !got.isEmpty(); got = node.claimDue(owner, NOW, LEASE, 5)) {
                            got.forEach(l -> mine.add(l.jobId()));
                        }
                        return mine;
                    };
                    claimers.add(threads.submit(claimer));
                }
            }
            start.countDown();
            List<Long> all = new ArrayList<>();
            int claimersWithJobs = 0;
            for (Future<List<Long>> f : claimers) {
                List<Long> mine = f.get();
                all.addAll(mine);
                if (!mine.isEmpty()) claimersWithJobs++;
            }
            assertThat(all).as("every job claimed exactly once").hasSize(jobs).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(claimersWithJobs).as("claimers that got jobs").isGreaterThan(1);
            assertThat(queue().due(NOW, jobs)).isEmpty();
        } finally {
            threads.shutdownNow();
            nodes.forEach(Database::close);
        }
    }
}
