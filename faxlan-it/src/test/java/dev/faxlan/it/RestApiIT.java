package dev.faxlan.it;

import static dev.faxlan.it.RestApiFixture.json;
import static dev.faxlan.it.RestApiFixture.problem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faxlan.it.RestApiFixture.Multipart;
import dev.faxlan.sdk.FaxlanClient;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API of {@code faxlan web} over HTTP with the JDK's HttpClient, against a real server:
 * a fax sent with a cover page goes out over the loopback line and comes back into alice's inbox;
 * each endpoint of the generated OpenAPI document is called (the last test fails for one that was
 * not), and the document passes the reference parser's OpenAPI 3.1 validation.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestApiIT {
    static final Duration FAX = Duration.ofSeconds(240);
    @TempDir
    static Path dir;
    static RestApiFixture api;

    @BeforeAll
    static void start() throws Exception {
        api = RestApiFixture.start(dir, 4);
    }

    @AfterAll
    static void stop() throws Exception {
        if (api != null) api.close();
    }

    @Test
    @Order(1)
    void theDocumentIsAValidOpenApi31Document() throws Exception {
        HttpResponse<String> r = api.get(null, "/openapi.json");
        assertThat(r.statusCode()).isEqualTo(200);
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIParser().readContents(r.body(), null, options);
        assertThat(parsed.getMessages()).as("validation messages").isEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
        assertThat(parsed.getOpenAPI().getPaths()).containsKeys("/faxes", "/faxes/{id}", "/faxes/{id}/pages/{n}.png", "/inbox", "/inbox/{id}",
                "/inbox/{id}/document", "/inbox/{id}/read", "/inbox/{id}/move", "/phonebook", "/covers", "/mailboxes", "/keys");
    }

    @Test
    @Order(2)
    void aFaxSentThroughTheApiIsFaxedAndReceivedAndEachStepIsAnEndpoint() throws Exception {
        byte[] pdf = Files.readAllBytes(MailOutIT.pdf(dir.resolve("offer.pdf"), 2));
        Multipart body = new Multipart().field("to", RestApiFixture.TO_ALICE).file("file", "offer.pdf", "application/pdf", pdf)
                .field("subject", "Offer").field("cover", "classic").field("comment", "Please sign").field("resolution", "fine").field("priority", "7");
        int before = api.allJobs();
        HttpResponse<String> created = api.postMultipart(api.aliceKey, "offer-1", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode job = json(created).path("jobs").get(0);
        long id = job.path("id").asLong();
        assertThat(job.path("to").asText()).isEqualTo(RestApiFixture.TO_ALICE);
        assertThat(job.path("subject").asText()).isEqualTo("Offer");
        assertThat(job.path("priority").asInt()).isEqualTo(7);
        assertThat(job.path("documents").get(0).asText()).isEqualTo("offer.pdf");

        // The same Idempotency-Key and body: the first job again, and no other; another body under that key is refused.
        HttpResponse<String> again = api.postMultipart(api.aliceKey, "offer-1", body);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
        assertThat(json(again).path("jobs").get(0).path("id").asLong()).isEqualTo(id);
        assertThat(api.allJobs()).isEqualTo(before + 1);
        Multipart other = new Multipart().field("to", RestApiFixture.TO_ALICE).file("file", "offer.pdf", "application/pdf", pdf)
                .field("subject", "Another offer");
        assertThat(problem(api.postMultipart(api.aliceKey, "offer-1", other), 422).path("code").asText()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(api.allJobs()).isEqualTo(before + 1);

        // Page n as faxed: the cover page, then the PDF's two pages; there is no page 4.
        for (int n = 1; n <= 3; n++) {
            HttpResponse<byte[]> png = api.getBytes(api.aliceKey, "/faxes/{id}/pages/{n}.png?width=400", id, n);
            assertThat(png.statusCode()).isEqualTo(200);
            assertThat(png.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("image/png");
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.body()));
            assertThat(image.getWidth()).isEqualTo(400);
        }
        assertThat(problem(api.get(api.aliceKey, "/faxes/{id}/pages/{n}.png", id, 4), 404).path("code").asText()).isEqualTo("NOT_FOUND");

        Awaitility.await().atMost(FAX).pollInterval(Duration.ofSeconds(1))
                .until(() -> json(api.get(api.aliceKey, "/faxes/{id}", id)).path("state").asText(), s -> s.equals("done") || s.equals("failed"));
        assertThat(json(api.get(api.aliceKey, "/faxes/{id}", id)).path("state").asText()).isEqualTo("done");

        // bob's key sees neither the job nor, below, the received fax: 404 as for a missing one.
        assertThat(problem(api.get(api.bobKey, "/faxes/{id}", id), 404).path("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(json(api.get(api.bobKey, "/faxes")).path("items")).isEmpty();

        Awaitility.await().atMost(FAX).pollInterval(Duration.ofSeconds(1)).until(() -> json(api.get(api.aliceKey, "/inbox")).path("items").size() > 0);
        JsonNode received = json(api.get(api.aliceKey, "/inbox?mailbox=alice")).path("items").get(0);
        long faxId = received.path("id").asLong();
        assertThat(received.path("read").asBoolean()).isFalse();
        assertThat(received.path("pages").asInt()).isEqualTo(3);
        assertThat(json(api.get(api.aliceKey, "/inbox/{id}", faxId)).path("mailbox").asText()).isEqualTo("alice");
        problem(api.get(api.bobKey, "/inbox/{id}", faxId), 404);

        HttpResponse<byte[]> pdfDoc = api.getBytes(api.aliceKey, "/inbox/{id}/document?format=pdf", faxId);
        assertThat(pdfDoc.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("application/pdf");
        try (PDDocument doc = Loader.loadPDF(pdfDoc.body())) {
            assertThat(doc.getNumberOfPages()).isEqualTo(3);
        }
        HttpResponse<byte[]> tiff = api.getBytes(api.aliceKey, "/inbox/{id}/document?format=tiff", faxId);
        assertThat(tiff.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("image/tiff");
        assertThat(new String(tiff.body(), 0, 2)).isIn("II", "MM");
        problem(api.get(api.aliceKey, "/inbox/{id}/document?format=doc", faxId), 400);

        assertThat(json(api.postJson(api.aliceKey, "read-1", null, "/inbox/{id}/read", faxId)).path("read").asBoolean()).isTrue();
        assertThat(json(api.postJson(api.aliceKey, null, "{\"read\": false}", "/inbox/{id}/read", faxId)).path("read").asBoolean()).isFalse();
        problem(api.postJson(api.aliceKey, null, "{\"mailbox\": \"bob\"}", "/inbox/{id}/move", faxId), 404);
        JsonNode moved = json(api.postJson(api.aliceKey, "move-1", "{\"mailbox\": \"Records\"}", "/inbox/{id}/move", faxId));
        assertThat(moved.path("mailbox").asText()).isEqualTo("Records");
        assertThat(json(api.get(api.aliceKey, "/inbox?mailbox=Records")).path("items").get(0).path("id").asLong()).isEqualTo(faxId);
        problem(api.postJson(api.aliceKey, null, "{\"mailbox\": 3, \"x\": 1}", "/inbox/{id}/move", faxId), 400);
    }

    @Test
    @Order(3)
    void jobsArePagedWithOpaqueCursorsAndAScheduledOneIsCancelled() throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Multipart later = new Multipart().field("to", RestApiFixture.TO_ALICE)
                    .file("file", "note.txt", "text/plain", ("Note " + i + "\n").getBytes())
                    .field("send_at", Instant.now().plus(Duration.ofDays(2)).toString());
            HttpResponse<String> r = api.postMultipart(api.aliceKey, null, later);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            ids.add(json(r).path("jobs").get(0).path("id").asLong());
        }
        List<Long> seen = new ArrayList<>();
        String cursor = null;
        do {
            HttpResponse<String> page = api.get(api.aliceKey, cursor == null ? "/faxes?limit=2" : "/faxes?limit=2&cursor=" + cursor);
            JsonNode p = json(page);
            assertThat(p.path("items").size()).isLessThanOrEqualTo(2);
            for (JsonNode j : p.path("items")) seen.add(j.path("id").asLong());
            cursor = p.path("next").isNull() ? null : p.path("next").asText();
        } while (cursor != null);
        assertThat(seen).doesNotHaveDuplicates().containsAll(ids);
        assertThat(seen).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        problem(api.get(api.aliceKey, "/faxes?cursor=not-a-cursor"), 400);
        problem(api.get(api.aliceKey, "/faxes?limit=0"), 400);

        JsonNode cancelled = json(api.delete(api.aliceKey, "/faxes/{id}", ids.get(0)));
        assertThat(cancelled.path("state").asText()).isEqualTo("cancelled");
        problem(api.delete(api.bobKey, "/faxes/{id}", ids.get(1)), 404);
        assertThat(json(api.get(api.aliceKey, "/faxes/{id}", ids.get(1))).path("state").asText()).isEqualTo("queued");
    }

    @Test
    @Order(4)
    void phonebookCoversAndMailboxes() throws Exception {
        HttpResponse<String> added = api.postJson(api.aliceKey, "contact-1", "{\"name\": \"Dr Smith\", \"company\": \"Clinic\", \"fax\": \"+12125550100\"}",
                "/phonebook");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        long id = json(added).path("id").asLong();
        HttpResponse<String> repeat = api.postJson(api.aliceKey, "contact-1", "{\"name\": \"Dr Smith\", \"company\": \"Clinic\", \"fax\": \"+12125550100\"}",
                "/phonebook");
        assertThat(json(repeat).path("id").asLong()).as("the same key answers the first entry").isEqualTo(id);
        JsonNode book = json(api.get(api.aliceKey, "/phonebook")).path("items");
        assertThat(book).hasSize(1);
        assertThat(book.get(0).path("company").asText()).isEqualTo("Clinic");
        assertThat(json(api.get(api.bobKey, "/phonebook")).path("items")).isEmpty();
        problem(api.postJson(api.aliceKey, null, "{\"name\": \"Shared\", \"fax\": \"+12125550100\", \"shared\": true}", "/phonebook"), 403);
        problem(api.delete(api.bobKey, "/phonebook/{id}", id), 404);
        assertThat(api.delete(api.aliceKey, "/phonebook/{id}", id).statusCode()).isEqualTo(204);
        assertThat(json(api.get(api.aliceKey, "/phonebook")).path("items")).isEmpty();

        List<String> covers = new ArrayList<>();
        json(api.get(api.aliceKey, "/covers")).path("items").forEach(c -> covers.add(c.path("name").asText()));
        assertThat(covers).contains("classic", "modern");
        assertThat(json(api.get(api.aliceKey, "/covers/{name}", "classic")).path("source").asText()).isNotBlank();
        problem(api.get(api.aliceKey, "/covers/{name}", "no-such-cover"), 404);

        List<String> mailboxes = new ArrayList<>();
        json(api.get(api.aliceKey, "/mailboxes")).path("items").forEach(m -> mailboxes.add(m.path("name").asText()));
        assertThat(mailboxes).containsExactlyInAnyOrder("alice", "Records");
    }

    @Test
    @Order(5)
    void aKeyMadeThroughTheApiWorksUntilRevokedThenGets401() throws Exception {
        HttpResponse<String> made = api.postJson(api.aliceKey, null, "{\"label\": \"records system\"}", "/keys");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        JsonNode key = json(made);
        String secret = key.path("key").asText();
        assertThat(secret).startsWith("fxk_");
        assertThat(json(api.get(secret, "/faxes")).path("items")).isNotEmpty();
        JsonNode listed = json(api.get(api.aliceKey, "/keys")).path("items");
        assertThat(listed.findValuesAsText("label")).contains("records system");
        assertThat(listed.toString()).doesNotContain(secret);

        assertThat(json(api.delete(api.aliceKey, "/keys/{id}", key.path("id").asLong())).path("id").asLong()).isEqualTo(key.path("id").asLong());
        assertThat(problem(api.get(secret, "/faxes"), 401).path("code").asText()).isEqualTo("AUTH_FAILED");
        problem(api.get("fxk_0000000000000000_wrong", "/faxes"), 401);
        problem(api.get(null, "/faxes"), 401);
    }

    /** The webhook endpoints as documents describe them; WebhooksIT delivers to a receiver, this only manages one (TEST-NET address). */
    @Test
    @Order(6)
    void aWebhookIsRegisteredListedLoggedAndRemoved() throws Exception {
        HttpResponse<String> made = api.postJson(api.aliceKey, "hook-1", "{\"url\": \"https://192.0.2.10/faxlan\", \"events\": [\"fax.sent\"]}", "/webhooks");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        JsonNode webhook = json(made);
        long id = webhook.path("id").asLong();
        assertThat(webhook.path("secret").asText()).startsWith("whsec_");
        HttpResponse<String> again = api.postJson(api.aliceKey, "hook-1", "{\"url\": \"https://192.0.2.10/faxlan\", \"events\": [\"fax.sent\"]}", "/webhooks");
        assertThat(json(again).path("id").asLong()).as("the same Idempotency-Key answers the first webhook").isEqualTo(id);
        assertThat(problem(api.postJson(api.aliceKey, null, "{\"url\": \"http://127.0.0.1/x\"}", "/webhooks"), 400).path("detail").asText())
                .contains("webhook.allow.private");
        JsonNode listed = json(api.get(api.aliceKey, "/webhooks")).path("items");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).has("secret")).isFalse();
        assertThat(json(api.get(api.aliceKey, "/webhooks/{id}/deliveries?limit=10", id)).path("items").isArray()).isTrue();
        problem(api.get(api.bobKey, "/webhooks/{id}/deliveries", id), 404);
        assertThat(api.delete(api.aliceKey, "/webhooks/{id}", id).statusCode()).isEqualTo(204);
        problem(api.delete(api.aliceKey, "/webhooks/{id}", id), 404);
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void everyEndpointOfTheDocumentWasCalled() throws Exception {
        JsonNode paths = json(api.get(null, "/openapi.json")).path("paths");
        TreeSet<String> declared = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            path.getValue().fieldNames().forEachRemaining(method -> declared.add(method.toUpperCase() + " " + path.getKey()));
        }
        assertThat(api.called).as("endpoints called by this test").containsAll(declared);
    }

    static FaxlanClient alice() {
        return api.as("alice");
    }
}
