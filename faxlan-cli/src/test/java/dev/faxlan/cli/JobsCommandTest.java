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

    @Test
    void eachCallShowsItsMediaWhyAndItsCarrier() {
        Job j = job(8, "done", NOW);
        List<dev.faxlan.sdk.JobCall> calls = List.of(
                new dev.faxlan.sdk.JobCall(1, NOW - 90_000, NOW - 60_000, "trunk", "calling +15550100 on line trunk over T.38, then G.711 if that fails"
                        + " (policy t38-then-g711)", "g711", "G.711 after T.38 was refused (488 Not Acceptable Here) (policy t38-then-g711)",
                        "9,600 bit/s V.29, ECM", "success", 1, "1 page(s) sent"),
                new dev.faxlan.sdk.JobCall(2, NOW - 30_000, NOW, "trunk", "over G.711 (policy g711)", "", "", "", "busy", 0, "the number was busy"));
        Job withCalls = new Job(j.id(), j.owner(), j.submission(), j.to(), j.state(), j.subject(), j.cover(), j.resolution(), j.at(), j.created(),
                j.updated(), j.reason(), j.documents(), j.priority(), 2, j.names(), j.fields(), null, 1, 30_000L, calls);
        String shown = printed(withCalls);
        assertThat(shown).contains("calls:\n  #1 ").contains("line trunk  G.711  9,600 bit/s V.29, ECM  success, 1 page(s)")
                .contains("     media: G.711 after T.38 was refused (488 Not Acceptable Here) (policy t38-then-g711)")
                .contains("     plan:  calling +15550100 on line trunk over T.38, then G.711 if that fails (policy t38-then-g711)")
                .contains("  #2 ").contains("media unknown  no carrier trained  busy, 0 page(s)");
        assertThat(printed(j)).as("a job without calls").doesNotContain("calls:");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> json = (List<Map<String, Object>>) Views.job(withCalls).get("calls");
        assertThat(json).hasSize(2);
        assertThat(json.get(0)).containsEntry("media", "g711").containsEntry("carrier", "9,600 bit/s V.29, ECM").containsEntry("outcome", "success")
                .containsEntry("media_why", "G.711 after T.38 was refused (488 Not Acceptable Here) (policy t38-then-g711)");
        assertThat(json.get(1)).containsEntry("media", null).containsEntry("carrier", null);
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
