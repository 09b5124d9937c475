package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.faxlan.sdk.Alert;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** A webhook receiver on loopback that records every request and answers 500 to the first few, then 204, up to a limit it holds at. */
final class WebhookReceiver implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    record Request(String eventId, String timestamp, String signature, byte[] body, int answered) {}

    private final HttpServer http;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger failFirst;
    private final AtomicInteger acceptUpTo;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicBoolean all = new AtomicBoolean();

    private WebhookReceiver(HttpServer http, int failFirst, int acceptUpTo) {
        this.http = http;
        this.failFirst = new AtomicInteger(failFirst);
        this.acceptUpTo = new AtomicInteger(acceptUpTo);
    }

    /** Answers 500 to the first {@code failFirst} requests, then 204 to {@code acceptUpTo} of them, then 500 until {@link #acceptAll}. */
    static WebhookReceiver start(int failFirst, int acceptUpTo) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        WebhookReceiver r = new WebhookReceiver(s, failFirst, acceptUpTo);
        s.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            int status;
            synchronized (r) {
                boolean ok = r.failFirst.getAndDecrement() <= 0 && (r.all.get() || r.accepted.get() < r.acceptUpTo.get());
                status = ok ? 204 : 500;
                (ok ? r.accepted : r.refused).incrementAndGet();
                var h = ex.getRequestHeaders();
                r.requests.add(new Request(h.getFirst("Faxlan-Event-Id"), h.getFirst("Faxlan-Timestamp"), h.getFirst("Faxlan-Signature"), body, status));
            }
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        s.start();
        return r;
    }

    String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/hook";
    }

    int accepted() {
        return accepted.get();
    }

    int refused() {
        return refused.get();
    }

    void acceptAll() {
        all.set(true);
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The ids of the events it accepted (answered 2xx), de-duplicated. */
    Set<String> distinctIds() {
        return requests.stream().filter(r -> r.answered() == 204).map(Request::eventId).collect(Collectors.toSet());
    }

    List<String> distinctIdsInArrivalOrder() {
        return requests.stream().filter(r -> r.answered() == 204).map(Request::eventId).distinct().toList();
    }

    List<String> typesOf(Set<String> ids) throws IOException {
        List<String> types = new ArrayList<>();
        for (Request r : requests) if (ids.contains(r.eventId())) types.add(JSON.readTree(r.body()).get("type").asText());
        return types;
    }

    /** Each request is signed with {@code secret}, its header id is its body's, and its body is the event of the log with that id. */
    void assertEachSignedAsTheEventItCarries(String secret, Map<String, Alert> expected) throws Exception {
        for (Request r : requests) {
            assertThat(validSignature(secret, r.timestamp(), r.signature(), r.body())).as("signature of %s", r.eventId()).isTrue();
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.get("id").asText()).isEqualTo(r.eventId());
            Alert a = expected.get(r.eventId());
            assertThat(a).as("event %s is one of the user's log", r.eventId()).isNotNull();
            assertThat(Instant.parse(body.get("created").asText()).toEpochMilli()).isEqualTo(a.timeMillis());
            if (a.type().equals("job")) {
                assertThat(body.get("data").get("job").asLong()).isEqualTo(((Number) a.body().get("job")).longValue());
                assertThat(body.get("data").get("state").asText()).isEqualTo(a.body().get("state"));
                String state = (String) a.body().get("state");
                assertThat(body.get("type").asText()).isEqualTo(state.equals("done") ? "fax.sent" : "fax." + state);
            } else {
                assertThat(body.get("type").asText()).isEqualTo(a.type());
                assertThat(body.get("data").get("fax").asLong()).isEqualTo(((Number) a.body().get("fax")).longValue());
            }
        }
    }

    /** The receiver's check, as docs/web.md gives it to users (without the clock check: attempts are compared after the fact). */
    static boolean validSignature(String secret, String timestamp, String header, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        byte[] expected = mac.doFinal(body);
        for (String part : header.split(",")) {
            part = part.strip();
            if (part.startsWith("v1=") && MessageDigest.isEqual(expected, HexFormat.of().parseHex(part.substring(3)))) return true;
        }
        return false;
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
