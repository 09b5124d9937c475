package dev.faxlan.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faxlan.web.WebApp;
import dev.faxlan.web.WebSettings;
import dev.faxlan.web.cpi.UserClients;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API's own answers, which need no fax server: the generated document, problems for unknown
 * paths and methods, and the 401 of a request without a key.
 */
class ApiRoutesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static WebApp app;
    static HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Properties p = new Properties();
        p.setProperty("data.dir", dir.resolve("web").toString());
        WebSettings settings = WebSettings.parse(p, dir);
        // No fax server listens here: these answers must not need one.
        app = WebApp.start(settings, new InetSocketAddress("127.0.0.1", 0), new UserClients(new InetSocketAddress("127.0.0.1", 9), null,
                Duration.ofSeconds(2)));
    }

    @AfterAll
    static void stop() {
        if (app != null) app.close();
    }

    static HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theDocumentListsTheDeclaredEndpointsWithTheirSchemas() throws Exception {
        HttpResponse<String> r = send("GET", "/api/v1/openapi.json");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode doc = JSON.readTree(r.body());
        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(doc.path("paths").has("/faxes/{id}/pages/{n}.png")).isTrue();
        assertThat(doc.at("/paths/~1faxes/post/responses/201/content/application~1json/schema/$ref").asText()).isEqualTo("#/components/schemas/Submitted");
        assertThat(doc.at("/components/schemas/Job/properties/state/type").asText()).isEqualTo("string");
        assertThat(doc.at("/components/schemas/Job/properties/subject/type").toString()).isEqualTo("[\"string\",\"null\"]");
        assertThat(doc.at("/components/schemas/JobList/properties/items/items/$ref").asText()).isEqualTo("#/components/schemas/Job");
        // Each call attempt of a job: its media and why, its carrier (null when none trained).
        assertThat(doc.at("/components/schemas/Job/properties/calls/items/$ref").asText()).isEqualTo("#/components/schemas/Call");
        assertThat(doc.at("/components/schemas/Call/properties/mediaWhy/type").asText()).isEqualTo("string");
        assertThat(doc.at("/components/schemas/Call/properties/carrier/type").toString()).isEqualTo("[\"string\",\"null\"]");
    }

    @Test
    void unknownPathAndWrongMethodAreProblems() throws Exception {
        HttpResponse<String> missing = send("GET", "/api/v1/nothing-here");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(JSON.readTree(missing.body()).path("status").asInt()).isEqualTo(404);

        HttpResponse<String> wrong = send("PUT", "/api/v1/faxes/12");
        assertThat(wrong.statusCode()).isEqualTo(405);
        assertThat(wrong.headers().firstValue("Allow").orElseThrow()).isEqualTo("DELETE, GET");
        assertThat(JSON.readTree(wrong.body()).path("title").asText()).isEqualTo("Method not allowed");
    }

    @Test
    void aRequestWithoutKeyIsUnauthorized() throws Exception {
        HttpResponse<String> r = send("GET", "/api/v1/faxes");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).isEqualTo("Bearer");
        JsonNode p = JSON.readTree(r.body());
        assertThat(p.path("code").asText()).isEqualTo("AUTH_FAILED");
        assertThat(p.path("detail").asText()).contains("Bearer");
    }
}
