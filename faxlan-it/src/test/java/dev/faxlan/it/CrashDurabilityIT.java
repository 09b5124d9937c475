package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.Job;
import dev.faxlan.sdk.SubmitRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12, fault 0: an acknowledged submission survives a SIGKILL of the server right after the acknowledgement. */
class CrashDurabilityIT {
    static final int SUBMISSIONS = 20;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedSubmissionSurvivesAKillRightAfterIt() throws Exception {
        ServerRestarts servers = new ServerRestarts(dir);
        Path doc = Files.writeString(dir.resolve("letter.txt"), "Dear Sir,\nplease find our offer.\n");
        List<Long> acknowledged = new ArrayList<>();
        for (int i = 0; i < SUBMISSIONS; i++) {
            ServerChild server = servers.start();
            try (FaxlanClient admin = server.admin()) {
                List<Job> jobs = admin.submit(new SubmitRequest(List.of("0000"), List.of(doc), "crash " + i, null, "fine", null));
                assertThat(jobs).hasSize(1);
                acknowledged.add(jobs.get(0).id());
            } finally {
                server.kill(); // at once: the acknowledgement is the last thing the client saw
            }
        }
        ServerChild server = servers.start();
        try (FaxlanClient admin = server.admin()) {
            assertThat(admin.jobs(true)).extracting(Job::id).containsExactlyInAnyOrderElementsOf(acknowledged);
        } finally {
            server.close();
        }
    }
}
