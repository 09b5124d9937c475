package dev.faxlan.it.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.it.ServerChild;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.sdk.AlertSubscription;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.sdk.Job;
import dev.faxlan.sdk.SubmitRequest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, operations: a real server child with its loopback line and {@code metrics.listen} on a
 * port the system picks; its {@code /metrics}, scraped over HTTP, moves as a fax goes through.
 */
class MetricsIT {
    private static final Pattern METRICS_URL = Pattern.compile("metrics +(http://\\S+/metrics)");

    @TempDir
    Path dir;

    @Test
    void aSentFaxRequestsAnErrorAndAnAlertSubscriptionMoveTheMeters() throws Exception {
        Path config = Files.writeString(dir.resolve("faxlan.properties"), "metrics.listen=127.0.0.1:0\n");
        try (ServerChild server = ServerChild.start(dir.resolve("data"), config, dir.resolve("logs"))) {
            Matcher m = METRICS_URL.matcher(Files.readString(dir.resolve("logs/server.out")));
            assertThat(m.find()).as("the server prints where its metrics are").isTrue();
            URI metrics = URI.create(m.group(1));

            Map<String, Double> before = Prometheus.scrape(metrics);
            assertThat(Prometheus.value(before, "faxlan_pages_sent_total")).isZero();
            assertThat(Prometheus.value(before, "faxlan_alert_subscribers")).isZero();
            assertThat(Prometheus.value(before, "faxlan_line_channels", "line", "loopback")).isPositive();
            assertThat(before).containsKey("faxlan_queue_length").containsKey("faxlan_jobs{state=\"done\"}");

            Path letter = Files.writeString(dir.resolve("letter.txt"), "Metrics, page one.\n");
            long id;
            try (FaxlanClient admin = server.admin()) {
                List<Job> jobs = admin.submit(new SubmitRequest(List.of("0000"), List.of(letter), "metrics", null, "fine", null));
                id = jobs.get(0).id();
                Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                        .until(() -> admin.job(id).state().equals("done"));
                assertThatThrownBy(() -> admin.job(id + 1000)).isInstanceOfSatisfying(FaxlanException.Refused.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
            }
            // Received pages are counted once the fax is stored, calls once they end: either may be a moment after the job is done.
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                Map<String, Double> after = Prometheus.scrape(metrics);
                assertThat(Prometheus.value(after, "faxlan_pages_sent_total")).isEqualTo(1.0);
                assertThat(Prometheus.value(after, "faxlan_pages_received_total")).isEqualTo(1.0);
                assertThat(Prometheus.value(after, "faxlan_calls_total", "outcome", "success")).isEqualTo(1.0);
                assertThat(Prometheus.value(after, "faxlan_jobs", "state", "done")).isEqualTo(1.0); // read at most 5 s ago
                assertThat(Prometheus.value(after, "faxlan_queue_length")).isZero();
                // The job is done at the receiver's last confirmation; its call (both ends) ends a moment later.
                assertThat(Prometheus.value(after, "faxlan_line_channels_busy", "line", "loopback")).isZero();
            });
            Map<String, Double> after = Prometheus.scrape(metrics);
            assertThat(Prometheus.value(after, "faxlan_cpi_requests_total", "op", "submit")).isEqualTo(1.0);
            assertThat(Prometheus.value(after, "faxlan_cpi_requests_total", "op", "job.get")).isGreaterThanOrEqualTo(2.0);
            assertThat(Prometheus.value(after, "faxlan_cpi_requests_total", "op", "login")).isGreaterThanOrEqualTo(1.0);
            assertThat(Prometheus.value(after, "faxlan_cpi_errors_total", "code", "NOT_FOUND", "op", "job.get")).isEqualTo(1.0);
            assertThat(Prometheus.value(after, "faxlan_cpi_errors_total", "code", "NOT_FOUND", "op", "submit")).isZero();

            FaxlanClient listener = server.admin();
            AlertSubscription subscription = listener.subscribe("metrics-it", null, alert -> {});
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Prometheus.value(Prometheus.scrape(metrics), "faxlan_alert_subscribers") == 1.0);
            subscription.close();
            listener.close();
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Prometheus.value(Prometheus.scrape(metrics), "faxlan_alert_subscribers") == 0.0);
        }
    }
}
