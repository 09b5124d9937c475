package dev.faxlan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.sdk.Job;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobsCommandTest {
    static final long NOW = 1_800_000_000_000L;

    private static Job job(long id, String state, long updated) {
        return new Job(id, "alice", "s", "+15550100", state, null, null, "fine", null, updated - 1000, updated, null, List.of("ab"), 5, 0,
                List.of("letter.pdf"), Map.of());
    }

    @Test
    void withoutAllTheListKeepsUnfinishedJobsAndThoseFailedInTheLastDay() {
        List<Job> all = List.of(job(1, "queued", NOW - Duration.ofDays(3).toMillis()), job(2, "failed", NOW - Duration.ofHours(2).toMillis()),
                job(3, "failed", NOW - Duration.ofHours(25).toMillis()), job(4, "done", NOW - Duration.ofMinutes(1).toMillis()),
                job(5, "cancelled", NOW - Duration.ofMinutes(1).toMillis()), job(6, "retry-wait", NOW));
        assertThat(JobsCommand.shown(all, NOW)).extracting(Job::id).containsExactly(1L, 2L, 6L);
    }

    @Test
    void theDocumentsColumnShowsTheFileNames() {
        assertThat(JobsCommand.documents(job(1, "queued", NOW))).isEqualTo("letter.pdf");
    }
}
