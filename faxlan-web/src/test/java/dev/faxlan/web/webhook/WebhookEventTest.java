package dev.faxlan.web.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faxlan.sdk.Alert;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookEventTest {
    @Test
    void jobStatesBecomeFaxEventsAndDoneIsSent() {
        assertThat(type("job", Map.of("state", "done"))).isEqualTo("fax.sent");
        assertThat(type("job", Map.of("state", "failed"))).isEqualTo("fax.failed");
        assertThat(type("job", Map.of("state", "queued"))).isEqualTo("fax.queued");
        assertThat(type("job", Map.of("state", "retry-wait"))).isEqualTo("fax.retry-wait");
        assertThat(type("job", Map.of("state", "cancelled"))).isEqualTo("fax.cancelled");
        assertThat(type("fax.received", Map.of("fax", 3L))).isEqualTo("fax.received");
        for (String state : new String[] {"queued", "converting", "dialing", "sending", "retry-wait", "done", "failed", "cancelled"}) {
            assertThat(WebhookEvent.TYPES).contains(type("job", Map.of("state", state)));
        }
    }

    @Test
    void theBodyIsIdTypeCreatedAndTheEventsData() throws Exception {
        WebhookEvent e = WebhookEvent.of(3, new Alert(17, "job", 1_765_072_800_000L, Map.of("job", 12L, "state", "done", "to", "0000")));
        assertThat(e.id()).isEqualTo("3-17");
        JsonNode json = new ObjectMapper().readTree(e.body());
        assertThat(json.get("id").asText()).isEqualTo("3-17");
        assertThat(json.get("type").asText()).isEqualTo("fax.sent");
        assertThat(json.get("created").asText()).isEqualTo("2025-12-07T02:00:00Z");
        assertThat(json.get("data").get("job").asLong()).isEqualTo(12);
        assertThat(json.get("data").get("state").asText()).isEqualTo("done");
        assertThat(json.get("data").get("to").asText()).isEqualTo("0000");
        assertThat(json.fieldNames()).toIterable().containsExactly("id", "type", "created", "data");
    }

    static String type(String type, Map<String, Object> body) {
        return WebhookEvent.typeOf(new Alert(1, type, 0, body));
    }
}
