package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faxlan.protocol.message.AlertMessage;
import dev.faxlan.sdk.Alert;
import dev.faxlan.sdk.AlertSubscription;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.Job;
import dev.faxlan.sdk.Route;
import dev.faxlan.sdk.SubmitRequest;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks of {@code faxlan web}, run as a process against a real server on loopback, delivering to a
 * JDK HTTP server that records every request: the receiver fails deliveries and the web process is
 * killed with SIGKILL, and after de-duplication by event id the receiver has each event of the user's
 * log exactly once, each correctly signed.
 */
class WebhooksIT {
    static final String ADMIN_PW = "webhooks-admin-pw-1";
    static final String TO_ALICE = "+12125550100";
    static final String TO_CAROL = "+12125550101";
    static final Duration FAX = Duration.ofSeconds(240);
    static final Duration DELIVERY = Duration.ofSeconds(180);
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static FaxlanServer server;
    final HttpClient http = HttpClient.newHttpClient();
    final List<WebProcess> webs = new ArrayList<>();
    WebhookReceiver receiver;

    @BeforeAll
    static void start() throws Exception {
        Properties lines = new Properties();
        lines.setProperty("numbers.country-code", "1");
        lines.setProperty("numbers.area-code", "212");
        lines.setProperty("line.loopback.dids", TO_ALICE + "," + TO_CAROL);
        server = FaxlanServer.start(ServerConfig.defaults().withDataDir(dir.resolve("server")).withBind(new InetSocketAddress("127.0.0.1", 0))
                .withName("webhooks-it").withAdminPassword(ADMIN_PW).withLines(FastLoopback.lines(lines)));
        try (FaxlanClient admin = client("admin", ADMIN_PW)) {
            for (String u : List.of("alice", "bob", "carol")) admin.addUser(u, (u + "-password-1").toCharArray(), "user");
            admin.addRoute(new Route.Match(TO_ALICE, null, null, null, null), "alice", 0);
            admin.addRoute(new Route.Match(TO_CAROL, null, null, null, null), "carol", 0);
        }
        Files.writeString(dir.resolve("letter.txt"), "A letter for the webhook test.\n");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @AfterEach
    void stopEach() throws Exception {
        for (WebProcess w : webs) w.kill();
        if (receiver != null) receiver.close();
    }

    static FaxlanClient client(String user, String pw) {
        return FaxlanClient.builder().server(server.address()).user(user).password(pw.toCharArray()).timeout(Duration.ofSeconds(60)).build();
    }

    static FaxlanClient as(String user) {
        return client(user, user + "-password-1");
    }

    @Test
    void aReceiverThatFailsItsFirstThreeDeliveriesGetsEveryEventOnceSignedAndInOrder() throws Exception {
        receiver = WebhookReceiver.start(3, Integer.MAX_VALUE);
        WebProcess web = web(dir.resolve("web-alice"));
        String aliceKey;
        String bobKey;
        try (FaxlanClient alice = as("alice"); FaxlanClient bob = as("bob")) {
            aliceKey = alice.createApiKey("webhooks it").key();
            bobKey = bob.createApiKey("webhooks it").key();
        }
        HttpResponse<String> bad = post(web, aliceKey, "{\"url\":\"ftp://127.0.0.1/x\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(JSON.readTree(bad.body()).get("detail").asText()).contains("http:// or https://");

        HttpResponse<String> made = post(web, aliceKey, "{\"url\":\"" + receiver.url() + "\"}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        JsonNode webhook = JSON.readTree(made.body());
        long id = webhook.get("id").asLong();
        String secret = webhook.get("secret").asText();
        assertThat(secret).startsWith("whsec_");

        List<Long> jobs = new ArrayList<>();
        try (FaxlanClient alice = as("alice")) {
            for (String subject : List.of("First", "Second")) {
                jobs.add(alice.submit(new SubmitRequest(List.of(TO_ALICE), List.of(dir.resolve("letter.txt")), subject, null, "fine", null)).get(0).id());
            }
            laterAndCancelled(alice, 3);
            for (long job : jobs) {
                Awaitility.await().atMost(FAX).until(() -> alice.job(job).finished());
                assertThat(alice.job(job).state()).isEqualTo("done");
            }
            Awaitility.await().atMost(FAX).until(() -> alice.inbox("alice", false).size() == 2);
        }
        Map<String, Alert> expected = expectedEvents("alice", id);
        assertThat(expected.values()).extracting(Alert::type).contains("job", "fax.received");
        Awaitility.await("every event of the log at the receiver").atMost(DELIVERY).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(receiver.distinctIds()).isEqualTo(expected.keySet()));

        receiver.assertEachSignedAsTheEventItCarries(secret, expected);
        List<WebhookReceiver.Request> all = receiver.requests();
        assertThat(all.subList(0, 3)).extracting(WebhookReceiver.Request::answered).containsOnly(500);
        assertThat(all.size()).isGreaterThanOrEqualTo(expected.size() + 3);
        // In order: the first arrival of each event comes after the first arrival of every event before it.
        List<Long> firstSeen = receiver.distinctIdsInArrivalOrder().stream().map(e -> seq(e)).toList();
        assertThat(firstSeen).isSorted();
        assertThat(receiver.typesOf(expected.keySet())).contains("fax.queued", "fax.sent", "fax.cancelled", "fax.received");

        JsonNode log = JSON.readTree(get(web, aliceKey, "/api/v1/webhooks/" + id + "/deliveries?limit=1000").body()).get("items");
        List<JsonNode> attempts = new ArrayList<>();
        log.forEach(attempts::add);
        JsonNode firstAttempt = attempts.get(attempts.size() - 1);
        assertThat(firstAttempt.get("status").asInt()).isEqualTo(500);
        assertThat(firstAttempt.get("outcome").asText()).isEqualTo("retry");
        assertThat(attempts).filteredOn(a -> a.get("outcome").asText().equals("delivered")).hasSizeGreaterThanOrEqualTo(expected.size());

        // Revoking the webhook's key stops it, and the list says why.
        try (FaxlanClient alice = as("alice")) {
            long webhookKey = alice.apiKeys(false).stream().filter(k -> k.label().equals("webhook " + receiver.url())).findFirst().orElseThrow().id();
            alice.revokeApiKey(webhookKey);
        }
        Awaitility.await("the webhook stopped").atMost(DELIVERY).pollInterval(Duration.ofMillis(200))
                .until(() -> JSON.readTree(get(web, aliceKey, "/api/v1/webhooks").body()).get("items").get(0).get("stopped").asText().contains("refused"));

        // Bob sees none of it; Alice removes it.
        assertThat(JSON.readTree(get(web, bobKey, "/api/v1/webhooks").body()).get("items")).isEmpty();
        assertThat(get(web, bobKey, "/api/v1/webhooks/" + id + "/deliveries").statusCode()).isEqualTo(404);
        assertThat(delete(web, bobKey, "/api/v1/webhooks/" + id).statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(get(web, aliceKey, "/api/v1/webhooks").body()).get("items")).hasSize(1);
        assertThat(delete(web, aliceKey, "/api/v1/webhooks/" + id).statusCode()).isEqualTo(204);
        assertThat(JSON.readTree(get(web, aliceKey, "/api/v1/webhooks").body()).get("items")).isEmpty();
    }

    @Test
    void removingAWebhookRevokesItsKey() throws Exception {
        receiver = WebhookReceiver.start(0, Integer.MAX_VALUE);
        WebProcess web = web(dir.resolve("web-bob"));
        String key;
        try (FaxlanClient bob = as("bob")) {
            key = bob.createApiKey("webhooks it removal").key();
        }
        HttpResponse<String> made = post(web, key, "{\"url\":\"" + receiver.url() + "\",\"events\":[\"fax.sent\"]}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        JsonNode listed = JSON.readTree(get(web, key, "/api/v1/webhooks").body()).get("items").get(0);
        assertThat(listed.get("events")).hasSize(1);
        assertThat(listed.has("secret")).isFalse();
        try (FaxlanClient bob = as("bob")) {
            assertThat(bob.apiKeys(false)).extracting(k -> k.label()).contains("webhook " + receiver.url());
            assertThat(delete(web, key, "/api/v1/webhooks/" + JSON.readTree(made.body()).get("id").asLong()).statusCode()).isEqualTo(204);
            assertThat(bob.apiKeys(false)).extracting(k -> k.label()).doesNotContain("webhook " + receiver.url());
        }
    }

    @Test
    void faxlanWebKilledInTheMiddleOfDeliveriesAndStartedAgainLosesNone() throws Exception {
        receiver = WebhookReceiver.start(0, 2);
        Path data = dir.resolve("web-carol");
        WebProcess web = web(data);
        String key;
        try (FaxlanClient carol = as("carol")) {
            key = carol.createApiKey("webhooks it").key();
        }
        HttpResponse<String> made = post(web, key, "{\"url\":\"" + receiver.url() + "\",\"events\":[\"fax.queued\",\"fax.cancelled\"]}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        long id = JSON.readTree(made.body()).get("id").asLong();
        String secret = JSON.readTree(made.body()).get("secret").asText();
        try (FaxlanClient carol = as("carol")) {
            laterAndCancelled(carol, 4);
            // Two events are delivered, the third fails and is being retried: the web process is in the middle of its deliveries.
            Awaitility.await().atMost(DELIVERY).until(() -> receiver.accepted() == 2 && receiver.refused() >= 2);
            web.kill();
            laterAndCancelled(carol, 2); // while it is down: these come from the event log after the start
        }
        receiver.acceptAll();
        WebProcess again = web(data);
        Map<String, Alert> expected = expectedEvents("carol", id);
        assertThat(expected).hasSize(12);
        Awaitility.await("every event of the log at the receiver").atMost(DELIVERY).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(receiver.distinctIds()).isEqualTo(expected.keySet()));
        receiver.assertEachSignedAsTheEventItCarries(secret, expected);
        // The delivery log of before the kill is still there, with the refused attempts.
        JsonNode log = JSON.readTree(get(again, key, "/api/v1/webhooks/" + id + "/deliveries?limit=1000").body()).get("items");
        List<Integer> statuses = new ArrayList<>();
        log.forEach(a -> statuses.add(a.get("status").asInt()));
        assertThat(statuses).contains(500, 204);
    }

    /**
     * A backlog beyond webhook.queue.events is not held in memory: the subscription stops and reads the
     * event log again once the backlog is down, and every event still arrives once, in order.
     */
    @Test
    void aBacklogBeyondTheQueueIsReadAgainFromTheEventLog() throws Exception {
        receiver = WebhookReceiver.start(0, 1);
        Path data = dir.resolve("web-erin");
        WebProcess web = web(data, "webhook.queue.events=10\n");
        String key;
        try (FaxlanClient admin = client("admin", ADMIN_PW)) {
            admin.addUser("erin", "erin-password-1".toCharArray(), "user");
        }
        try (FaxlanClient erin = as("erin")) {
            key = erin.createApiKey("webhooks it backlog").key();
        }
        HttpResponse<String> made = post(web, key, "{\"url\":\"" + receiver.url() + "\"}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        long id = JSON.readTree(made.body()).get("id").asLong();
        try (FaxlanClient erin = as("erin")) {
            laterAndCancelled(erin, 12);
        }
        Map<String, Alert> expected = expectedEvents("erin", id);
        assertThat(expected).hasSize(24);
        Awaitility.await("the backlog paused").atMost(DELIVERY).pollInterval(Duration.ofMillis(200))
                .until(() -> web.stderr().contains("the next ones stay in the event log"));
        receiver.acceptAll();
        Awaitility.await("every event of the log at the receiver").atMost(DELIVERY).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(receiver.distinctIds()).isEqualTo(expected.keySet()));
        assertThat(web.stderr()).contains("reading the event log again after event");
        assertThat(receiver.distinctIdsInArrivalOrder().stream().map(e -> seq(e)).toList()).isSorted();
        receiver.assertEachSignedAsTheEventItCarries(JSON.readTree(made.body()).get("secret").asText(), expected);
    }

    /** A second faxlan web on the same data directory would share the cursors: it is refused with one line, and the first goes on. */
    @Test
    void aSecondWebProcessOnTheSameDataDirectoryIsRefusedWithOneLine() throws Exception {
        Path data = dir.resolve("web-twice");
        WebProcess first = web(data);
        Cli.Result second = Cli.run(Map.of(), "web", "--listen", "127.0.0.1:0", "--server", "127.0.0.1:" + server.address().getPort(),
                "--config", data.resolve("web.properties").toString());
        assertThat(second.exitCode()).as(second.toString()).isNotZero();
        assertThat(second.err().lines().toList()).as(second.toString()).hasSize(1)
                .first().asString().startsWith("faxlan: cannot start faxlan web on 127.0.0.1:0: the webhook database in ")
                .contains("in use by another process", data.resolve("state").toString());
        assertThat(http.send(HttpRequest.newBuilder(uri(first, "/healthz")).build(), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok");
    }

    /** {@code n} jobs for an hour from now, each cancelled at once: a queued and a cancelled event each. */
    static List<Long> laterAndCancelled(FaxlanClient c, int n) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Job j = c.submit(new SubmitRequest(List.of(TO_ALICE), List.of(dir.resolve("letter.txt")), "Later " + i, null, "fine",
                    Instant.now().plus(Duration.ofHours(1)))).get(0);
            c.cancel(j.id());
            ids.add(j.id());
        }
        return ids;
    }

    /**
     * Every event of the user's log as webhook {@code webhookId} names it, read with the SDK (the log is
     * complete: every job has ended). The user had no event before the webhook was registered.
     */
    static Map<String, Alert> expectedEvents(String user, long webhookId) throws Exception {
        long last;
        try (FaxlanClient c = as(user)) {
            // A new subscriber without from starts at the newest event, and the answer says its number.
            last = c.call(new AlertMessage.Subscribe("webhooks-it-last-" + System.nanoTime(), null)).last();
        }
        List<Alert> got = new CopyOnWriteArrayList<>();
        try (FaxlanClient c = as(user)) {
            AlertSubscription s = c.subscribe("webhooks-it-expected", 0L, got::add);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> s.lastDelivered() >= last);
        }
        Map<String, Alert> byId = new LinkedHashMap<>();
        for (Alert a : got) byId.put(webhookId + "-" + a.seq(), a);
        return byId;
    }

    static long seq(String eventId) {
        return Long.parseLong(eventId.substring(eventId.indexOf('-') + 1));
    }

    WebProcess web(Path data) throws Exception {
        return web(data, "");
    }

    /** {@code faxlan web} on {@code data}, allowing the loopback receiver, retrying after 1 s, with {@code more} settings. */
    WebProcess web(Path data, String more) throws Exception {
        Files.createDirectories(data);
        Path config = data.resolve("web.properties");
        Files.writeString(config, "data.dir=" + data.resolve("state") + "\nwebhook.allow.private=true\nwebhook.retry.first.seconds=1\n" + more);
        WebProcess w = WebProcess.start(data, server.address().getPort(), "--config", config.toString());
        webs.add(w);
        return w;
    }

    static URI uri(WebProcess web, String path) {
        return URI.create(web.base + path);
    }

    HttpResponse<String> post(WebProcess web, String key, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(web, "/api/v1/webhooks")).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(WebProcess web, String key, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(web, path)).header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> delete(WebProcess web, String key, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(web, path)).header("Authorization", "Bearer " + key).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }
}
