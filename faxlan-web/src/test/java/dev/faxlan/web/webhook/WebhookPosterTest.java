package dev.faxlan.web.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.faxlan.sdk.Alert;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The poster against a JDK HTTP server on loopback: what it sends, and what it makes of the answers. */
class WebhookPosterTest {
    record Received(String eventId, String timestamp, String signature, String contentType, byte[] body) {}

    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger status = new AtomicInteger(204);
    HttpServer receiver;

    URI start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            var h = ex.getRequestHeaders();
            received.add(new Received(h.getFirst("Faxlan-Event-Id"), h.getFirst("Faxlan-Timestamp"), h.getFirst("Faxlan-Signature"),
                    h.getFirst("Content-Type"), body));
            if (status.get() == 302) ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/elsewhere");
            ex.sendResponseHeaders(status.get(), -1);
            ex.close();
        });
        receiver.createContext("/elsewhere", ex -> {
            received.add(new Received("followed", null, null, null, new byte[0]));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        receiver.start();
        return URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
    }

    @AfterEach
    void stop() {
        if (receiver != null) receiver.stop(0);
    }

    static Webhook webhook(URI url) {
        return new Webhook(3, "alice", url, Set.of(), "whsec_test-secret", 1, "key", 0L, null, Instant.EPOCH);
    }

    static WebhookEvent event() {
        return WebhookEvent.of(3, new Alert(17, "job", 1_700_000_000_000L, Map.of("job", 5L, "state", "done")));
    }

    @Test
    void anEventIsPostedSignedWithItsIdAndA2xxIsDelivered() throws Exception {
        URI url = start();
        WebhookPoster.Result r = new WebhookPoster(Clock.systemUTC(), true).post(webhook(url), event());
        assertThat(r.delivered()).isTrue();
        assertThat(r.status()).isEqualTo(204);
        Received got = received.get(0);
        assertThat(got.eventId()).isEqualTo("3-17");
        assertThat(got.contentType()).isEqualTo("application/json");
        assertThat(got.body()).isEqualTo(event().body());
        assertThat(Long.parseLong(got.timestamp())).isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(600L));
        assertThat(WebhookSignature.verify("whsec_test-secret", got.timestamp(), got.body(), got.signature())).isTrue();
    }

    @Test
    void anErrorStatusOrARedirectIsNotDeliveredAndTheRedirectIsNotFollowed() throws Exception {
        URI url = start();
        WebhookPoster poster = new WebhookPoster(Clock.systemUTC(), true);
        status.set(500);
        assertThat(poster.post(webhook(url), event()).delivered()).isFalse();
        status.set(302);
        WebhookPoster.Result r = poster.post(webhook(url), event());
        assertThat(r.delivered()).isFalse();
        assertThat(r.describe()).isEqualTo("HTTP 302");
        assertThat(received).extracting(Received::eventId).containsExactly("3-17", "3-17");
    }

    @Test
    void aPrivateAddressIsRefusedBeforeAnythingIsSentUnlessAllowed() throws Exception {
        URI url = start();
        WebhookPoster.Result r = new WebhookPoster(Clock.systemUTC(), false).post(webhook(url), event());
        assertThat(r.delivered()).isFalse();
        assertThat(r.status()).isNull();
        assertThat(r.error()).startsWith("refused: ").contains("127.0.0.1");
        assertThat(received).isEmpty();
    }

    @Test
    void aClosedPortIsAnErrorWithoutStatus() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        // Nothing listens there now (a port another process took meanwhile would answer, and the test would say so).
        WebhookPoster.Result r = new WebhookPoster(Clock.systemUTC(), true).post(webhook(URI.create("http://127.0.0.1:" + port + "/hook")), event());
        assertThat(r.delivered()).isFalse();
        assertThat(r.status()).as(r.describe()).isNull();
        assertThat(r.error()).isNotBlank();
    }
}
