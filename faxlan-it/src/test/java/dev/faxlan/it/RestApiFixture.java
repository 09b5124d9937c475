package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faxlan.lines.LinesConfig;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.Route;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A real fax server on loopback (the loopback line answers {@link #TO_ALICE}, routed to alice's
 * mailbox), users alice and bob with an API key each, and {@code faxlan web} as a process, spoken to
 * with the JDK's HttpClient alone. Every call records its method and path template, so a test can
 * tell which endpoints of the OpenAPI document were exercised.
 */
final class RestApiFixture implements AutoCloseable {
    static final String ADMIN_PW = "restapi-admin-pw-1";
    static final String TO_ALICE = "+12125550100";
    static final ObjectMapper JSON = new ObjectMapper();

    final FaxlanServer server;
    final WebProcess web;
    final Path webData;
    final String aliceKey;
    final String bobKey;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    final Set<String> called = ConcurrentHashMap.newKeySet();

    private RestApiFixture(FaxlanServer server, WebProcess web, Path webData, String aliceKey, String bobKey) {
        this.server = server;
        this.web = web;
        this.webData = webData;
        this.aliceKey = aliceKey;
        this.bobKey = bobKey;
    }

    /** Starts everything in {@code dir}; {@code maxUploadMiB} is the web process's max.upload.mib. */
    static RestApiFixture start(Path dir, int maxUploadMiB) throws Exception {
        Properties lines = new Properties();
        lines.setProperty("numbers.country-code", "1");
        lines.setProperty("numbers.area-code", "212");
        lines.setProperty("line.loopback.dids", TO_ALICE);
        FaxlanServer server = FaxlanServer.start(ServerConfig.defaults().withDataDir(dir.resolve("data")).withBind(new InetSocketAddress("127.0.0.1", 0))
                .withName("restapi-it").withAdminPassword(ADMIN_PW).withLines(LinesConfig.parse(lines)));
        String aliceKey;
        String bobKey;
        try (FaxlanClient admin = client(server, "admin", ADMIN_PW)) {
            for (String u : List.of("alice", "bob")) admin.addUser(u, (u + "-password-1").toCharArray(), "user");
            admin.addMailbox("Records");
            admin.setMailboxMember("Records", "alice", true);
            admin.addRoute(new Route.Match(TO_ALICE, null, null, null, null), "alice", 0);
        }
        try (FaxlanClient alice = client(server, "alice", "alice-password-1"); FaxlanClient bob = client(server, "bob", "bob-password-1")) {
            aliceKey = alice.createApiKey("restapi-it").key();
            bobKey = bob.createApiKey("restapi-it").key();
        }
        Path webData = dir.resolve("web-data");
        Path config = dir.resolve("web.properties");
        Files.writeString(config, "data.dir=web-data\nmax.upload.mib=" + maxUploadMiB + "\nserver.timeout.seconds=30\n");
        WebProcess web = WebProcess.start(dir, server.port(), "--config", config.toString());
        return new RestApiFixture(server, web, webData, aliceKey, bobKey);
    }

    static FaxlanClient client(FaxlanServer server, String user, String pw) {
        return FaxlanClient.builder().server(server.address()).user(user).password(pw.toCharArray()).timeout(Duration.ofSeconds(30)).build();
    }

    FaxlanClient as(String user) {
        return client(server, user, user + "-password-1");
    }

    /** The request to {@code path} under /api/v1 (with {@code {name}} templates filled from {@code values}), recorded as called. */
    HttpRequest.Builder request(String key, String method, String template, Object... values) {
        String path = template;
        for (Object v : values) path = path.replaceFirst("\\{[^}]*}", java.util.regex.Matcher.quoteReplacement(String.valueOf(v)));
        int q = template.indexOf('?');
        called.add(method + " " + (q >= 0 ? template.substring(0, q) : template));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(web.base + "/api/v1" + path)).timeout(Duration.ofSeconds(120));
        if (key != null) b.header("Authorization", "Bearer " + key);
        return b;
    }

    HttpResponse<String> send(HttpRequest.Builder r, String method, HttpRequest.BodyPublisher body) throws Exception {
        return http.send(r.method(method, body).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String key, String template, Object... values) throws Exception {
        return send(request(key, "GET", template, values), "GET", HttpRequest.BodyPublishers.noBody());
    }

    HttpResponse<byte[]> getBytes(String key, String template, Object... values) throws Exception {
        return http.send(request(key, "GET", template, values).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> delete(String key, String template, Object... values) throws Exception {
        return send(request(key, "DELETE", template, values), "DELETE", HttpRequest.BodyPublishers.noBody());
    }

    HttpResponse<String> postJson(String key, String idempotencyKey, String json, String template, Object... values) throws Exception {
        HttpRequest.Builder r = request(key, "POST", template, values).header("Content-Type", "application/json");
        if (idempotencyKey != null) r.header("Idempotency-Key", idempotencyKey);
        return send(r, "POST", json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    }

    HttpResponse<String> postMultipart(String key, String idempotencyKey, Multipart body) throws Exception {
        HttpRequest.Builder r = request(key, "POST", "/faxes").header("Content-Type", body.contentType());
        if (idempotencyKey != null) r.header("Idempotency-Key", idempotencyKey);
        return send(r, "POST", HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    /** Asserts {@code r} is a problem document of {@code status} and answers it. */
    static JsonNode problem(HttpResponse<String> r, int status) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode p = JSON.readTree(r.body());
        assertThat(p.path("status").asInt()).isEqualTo(status);
        assertThat(p.path("title").asText()).isNotBlank();
        assertThat(p.path("type").asText()).isNotBlank();
        return p;
    }

    /** The files left in the web process's temporary areas (uploads being read, parts, downloads). */
    List<Path> temporaryFiles() throws IOException {
        if (!Files.isDirectory(webData)) return List.of();
        try (Stream<Path> s = Files.walk(webData)) {
            return s.filter(Files::isRegularFile).filter(p -> p.toString().contains("api-")).toList();
        }
    }

    /** A multipart/form-data body built by hand, as any HTTP client would send it. */
    static final class Multipart {
        private final String boundary = "----faxlan" + UUID.randomUUID();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Multipart field(String name, String value) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
            return this;
        }

        Multipart file(String name, String fileName, String type, byte[] content) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName + "\"\r\nContent-Type: " + type
                    + "\r\n\r\n");
            out.writeBytes(content);
            write("\r\n");
            return this;
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        /** The part headers of a file, for a body whose content is streamed after them. */
        byte[] fileHead(String name, String fileName) {
            return ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName
                    + "\"\r\nContent-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        }

        byte[] end() {
            return ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        }

        byte[] bytes() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(out.toByteArray());
            all.writeBytes(end());
            return all.toByteArray();
        }

        private void write(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Jobs of every user, as the administrator sees them. */
    int allJobs() {
        try (FaxlanClient admin = client(server, "admin", ADMIN_PW)) {
            return admin.jobs(true).size();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (web != null) web.close();
        } finally {
            server.close();
        }
    }
}
