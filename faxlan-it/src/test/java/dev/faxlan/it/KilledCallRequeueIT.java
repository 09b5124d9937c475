package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.InboxFax;
import dev.faxlan.sdk.Job;
import dev.faxlan.sdk.SubmitRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, start-up recovery: a server SIGKILLed while it sends a fax takes the job back when it
 * starts again, at once rather than when its lease (5 minutes) would expire, counts the cut-off call
 * as an attempt, and sends the fax, which arrives once.
 */
class KilledCallRequeueIT {
    @TempDir
    Path dir;

    @Test
    void aCallCutOffByAKillIsRequeuedAtTheNextStartAndCounted() throws Exception {
        ServerRestarts servers = new ServerRestarts(dir);
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 160; i++) text.append("Line ").append(i).append(" of a report long enough for three pages.\n");
        Path doc = Files.writeString(dir.resolve("report.txt"), text);
        long id;
        ServerChild server = servers.start();
        try (FaxlanClient admin = server.admin()) {
            id = admin.submit(new SubmitRequest(List.of("0000"), List.of(doc), "report", null, "fine", null)).get(0).id();
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                    .until(() -> admin.job(id).state(), s -> s.equals("sending") || s.equals("done"));
            assertThat(admin.job(id).state()).as("the kill must come during the fax").isEqualTo("sending");
        } finally {
            server.kill();
        }
        ServerChild again = servers.start();
        try (FaxlanClient admin = again.admin()) {
            // Well within the 5-minute lease the dead process held: only the restart's own recovery can have freed it.
            Awaitility.await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500))
                    .until(() -> admin.job(id).state(), s -> s.equals("done") || s.equals("failed"));
            Job job = admin.job(id);
            assertThat(job.state()).as(job.reason()).isEqualTo("done");
            assertThat(job.attempts()).as("the call cut off by the kill, then the one that delivered").isEqualTo(2);
            List<InboxFax> received = admin.inbox(null, false);
            assertThat(received).as("the fax arrives once: the cut-off call never reached its last page").hasSize(1);
            assertThat(received.get(0).pages()).isEqualTo(job.pages());
        } finally {
            again.close();
        }
    }
}
