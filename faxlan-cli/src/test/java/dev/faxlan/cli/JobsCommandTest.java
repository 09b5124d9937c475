package dev.faxlan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.sdk.Job;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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

    @Test
    void aJobSubmittedForItsOwnerByTheMailGatewayNamesItsSubmitter() {
        Job j = job(7, "queued", NOW);
        Job byMail = new Job(j.id(), j.owner(), j.submission(), j.to(), j.state(), j.subject(), j.cover(), j.resolution(), j.at(), j.created(),
                j.updated(), j.reason(), j.documents(), j.priority(), j.attempts(), j.names(), j.fields(), "mailgw", 0, null);
        assertThat(printed(byMail)).contains("owner:      alice", "submitter:  mailgw");
        assertThat(printed(j)).as("a job its owner submitted").doesNotContain("submitter");
    }

    private static String printed(Job j) {
        PrintStream out = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            JobCommand.print(j, false);
        } finally {
            System.setOut(out);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
