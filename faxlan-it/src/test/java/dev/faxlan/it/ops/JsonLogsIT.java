package dev.faxlan.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faxlan.it.Cli;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.Job;
import dev.faxlan.sdk.SubmitRequest;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, operations: {@code FAXLAN_LOG_FORMAT=json} makes every line the server writes one JSON
 * object, and the lines of a job's attempt carry its id (and its SIP handling the call's Call-ID).
 */
class JsonLogsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "json-logs-admin-pw";

    @TempDir
    Path dir;

    @Test
    void everyLineIsJsonAndAJobsLinesCarryItsId() throws Exception {
        Path out = dir.resolve("server.out");
        Path err = dir.resolve("server.err");
        List<String> cmd = new ArrayList<>(Cli.javaCommand());
        cmd.addAll(List.of("server", "--data", dir.resolve("data").toString(), "--bind", "127.0.0.1", "--port", "0", "--name", "json"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(new File("/dev/null"));
        pb.environment().put("FAXLAN_ADMIN_PASSWORD", PASSWORD);
        pb.environment().put("FAXLAN_LOG_FORMAT", "json");
        Process server = pb.start();
        try {
            int[] port = {-1};
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!server.isAlive()) throw new AssertionError("the server exited with " + server.exitValue() + ": " + Files.readString(err));
                for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                    JsonNode n = JSON.readTree(line);
                    if (n.path("event").asText().equals("listening")) port[0] = Integer.parseInt(n.get("cpi").asText().replaceAll(".*:", ""));
                }
                return port[0] > 0;
            });
            Path letter = Files.writeString(dir.resolve("letter.txt"), "Logged as JSON.\n");
            long id;
            try (FaxlanClient admin = FaxlanClient.builder().server(new InetSocketAddress("127.0.0.1", port[0])).user("admin")
                    .password(PASSWORD.toCharArray()).timeout(Duration.ofSeconds(30)).build()) {
                List<Job> jobs = admin.submit(new SubmitRequest(List.of("0000"), List.of(letter), "json", null, "fine", null));
                id = jobs.get(0).id();
                Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> admin.job(id).state().equals("done"));
            }
            server.destroy(); // SIGTERM: the orderly stop logs too
            assertThat(server.waitFor(120, TimeUnit.SECONDS)).isTrue();

            List<JsonNode> logged = new ArrayList<>();
            for (Path stream : List.of(out, err)) {
                for (String line : Files.readAllLines(stream, StandardCharsets.UTF_8)) {
                    if (line.isEmpty()) continue;
                    JsonNode n;
                    try {
                        n = JSON.readTree(line);
                    } catch (Exception e) {
                        throw new AssertionError(stream.getFileName() + ": not a JSON line: " + line, e);
                    }
                    assertThat(n.isObject()).as(line).isTrue();
                    if (stream.equals(err)) logged.add(n);
                }
            }
            assertThat(logged).as("log lines").isNotEmpty().allSatisfy(n -> {
                assertThat(n.hasNonNull("level")).isTrue();
                assertThat(n.hasNonNull("formattedMessage")).isTrue();
            });
            List<JsonNode> aboutJob = logged.stream().filter(n -> n.get("formattedMessage").asText().startsWith("job " + id + ":")).toList();
            assertThat(aboutJob).as("the attempt's lines (call placed, call ended)").hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(n -> assertThat(n.path("mdc").path("job").asText()).isEqualTo(Long.toString(id)));
            assertThat(logged).as("lines of the calls' SIP handling carry the Call-ID").anySatisfy(n -> assertThat(n.path("mdc").path("call").asText()).isNotEmpty());
            System.out.println("JsonLogsIT: " + logged.size() + " JSON log lines, " + aboutJob.size() + " about job " + id);
        } finally {
            if (server.isAlive()) server.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
        }
    }
}
