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
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12, fault 3: a SIGTERM during a fax lets the call end and records it; the fax is not sent twice. */
class GracefulStopIT {
    @TempDir
    Path dir;

    @Test
    void aSigtermDuringAFaxLetsItEndAndItIsReceivedOnce() throws Exception {
        ServerRestarts servers = new ServerRestarts(dir);
        Path config = Files.writeString(dir.resolve("faxlan.properties"), "shutdown.drain-seconds=150\n");
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 160; i++) text.append("Line ").append(i).append(" of a report long enough for three pages.\n");
        Path doc = Files.writeString(dir.resolve("report.txt"), text);
        long id;
        ServerChild server = servers.start(config);
        try (FaxlanClient admin = server.admin()) {
            id = admin.submit(new SubmitRequest(List.of("0000"), List.of(doc), "report", null, "fine", null)).get(0).id();
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                    .until(() -> admin.job(id).state(), s -> s.equals("sending") || s.equals("done"));
            assertThat(admin.job(id).state()).as("the SIGTERM must come during the fax").isEqualTo("sending");
            long sigterm = System.nanoTime();
            Process p = server.terminate();
            assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("the server ends after the call").isTrue();
            System.out.println("GracefulStopIT: the server ended " + (System.nanoTime() - sigterm) / 1_000_000 + " ms after SIGTERM");
        } finally {
            server.close();
        }
        assertThat(server.log()).doesNotContain("has been closed").doesNotContain("recording its outcome failed");
        ServerChild again = servers.start();
        try (FaxlanClient admin = again.admin()) {
            Job job = admin.job(id);
            assertThat(job.state()).as("recorded before the stop: " + job.reason()).isEqualTo("done");
            List<InboxFax> received = admin.inbox(null, false);
            assertThat(received).as("one fax received, not a second from a redial").hasSize(1);
        } finally {
            again.close();
        }
    }
}
