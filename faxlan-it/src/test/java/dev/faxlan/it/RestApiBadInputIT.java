package dev.faxlan.it;

import static dev.faxlan.it.RestApiFixture.problem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faxlan.it.RestApiFixture.Multipart;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad uploads to {@code POST /api/v1/faxes} of {@code faxlan web} (max.upload.mib=1) against a real
 * server: each gets a problem document that says what is wrong, and nothing is stored: no job, no
 * document on the server, no file left in the web process's temporary areas.
 */
class RestApiBadInputIT {
    static final long GIB = 1L << 30;
    @TempDir
    static Path dir;
    static RestApiFixture api;

    @BeforeAll
    static void start() throws Exception {
        api = RestApiFixture.start(dir, 1);
    }

    @AfterAll
    static void stop() throws Exception {
        if (api != null) api.close();
    }

    @AfterEach
    void nothingWasStored() throws Exception {
        assertThat(api.allJobs()).as("jobs").isZero();
        Path spool = dir.resolve("data/spool");
        for (String area : List.of("docs", "uploads")) {
            if (!Files.isDirectory(spool.resolve(area))) continue;
            try (Stream<Path> files = Files.list(spool.resolve(area))) {
                assertThat(files).as("server's " + area).isEmpty();
            }
        }
        // The multipart parser removes its part files when the request ends, which may be just after the answer.
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(api.temporaryFiles()).as("web process's temporary files").isEmpty());
        assertThat(dir.resolve("x.pdf")).doesNotExist();
        assertThat(dir.getParent().resolve("x.pdf")).doesNotExist();
    }

    @Test
    void anEmptyFileIsRefused() throws Exception {
        Multipart body = new Multipart().field("to", RestApiFixture.TO_ALICE).file("file", "empty.pdf", "application/pdf", new byte[0]);
        JsonNode p = problem(api.postMultipart(api.aliceKey, null, body), 400);
        assertThat(p.path("detail").asText()).contains("empty.pdf").contains("empty");
    }

    @Test
    void aFileThatCannotBeFaxedIsRefusedBeforeAnythingIsUploaded() throws Exception {
        byte[] noise = new byte[4096];
        new Random(16).nextBytes(noise);
        Multipart body = new Multipart().field("to", RestApiFixture.TO_ALICE).file("file", "scan.pdf", "application/pdf", noise);
        JsonNode p = problem(api.postMultipart(api.aliceKey, null, body), 400);
        assertThat(p.path("code").asText()).isEqualTo("UNCONVERTIBLE_DOCUMENT");
        assertThat(p.path("detail").asText()).contains("scan.pdf").doesNotContain(dir.toString());
    }

    @Test
    void anUploadDeclaredOverTheLimitIsRefusedWithoutReadingIt() throws Exception {
        Multipart body = new Multipart().field("to", RestApiFixture.TO_ALICE).file("file", "big.txt", "text/plain", new byte[3 << 20]);
        JsonNode p = problem(api.postMultipart(api.aliceKey, null, body), 413);
        assertThat(p.path("code").asText()).isEqualTo("TOO_LARGE");
        assertThat(p.path("detail").asText()).contains("1 MiB");
    }

    @Test
    void aStreamedGigabyteIsRefusedOnceTheLimitIsPassed() throws Exception {
        // Chunked, so no length tells the limit in advance: the web process must refuse once it has read past 1 MiB, neither
        // holding the gigabyte nor writing it out, and answer while the client is still sending. The JDK's HttpClient reads an
        // answer only after sending the whole body, so this client is a socket speaking HTTP/1.1, which stops at the answer.
        URI base = URI.create(api.web.base);
        Multipart frame = new Multipart().field("to", RestApiFixture.TO_ALICE);
        api.called.add("POST /faxes");
        long sent = 0;
        long mostOnDisk = 0;
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(120_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/faxes HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\nAuthorization: Bearer " + api.aliceKey
                    + "\r\nContent-Type: " + frame.contentType() + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            chunk(out, frame.fields());
            chunk(out, frame.fileHead("file", "huge.pdf"));
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(socket.getInputStream().readNBytes(4096), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            byte[] zeros = new byte[1 << 16];
            try {
                while (sent < GIB && !answer.isDone()) {
                    chunk(out, zeros);
                    sent += zeros.length;
                    if (sent % (4 << 20) == 0) mostOnDisk = Math.max(mostOnDisk, onDisk());
                }
            } catch (IOException e) {
                // the web process closed the connection after answering
            }
            socket.shutdownOutput();
            String response = answer.get(120, TimeUnit.SECONDS);
            assertThat(response).startsWith("HTTP/1.1 413").contains("application/problem+json").contains("\"code\":\"TOO_LARGE\"");
        }
        // The client sends until its reader thread has seen the answer, which on a loaded machine can be many megabytes
        // after the web process answered; what matters is that the answer came long before the gigabyte was sent.
        assertThat(sent).as("bytes sent when the refusal came").isLessThan(GIB / 2);
        assertThat(mostOnDisk).as("bytes of the upload in the web process's data directory at any time").isLessThan(4L << 20);
    }

    private static void chunk(OutputStream out, byte[] bytes) throws IOException {
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** Bytes in the web process's temporary areas now. */
    private static long onDisk() {
        try {
            long sum = 0;
            for (Path f : api.temporaryFiles()) sum += Files.size(f);
            return sum;
        } catch (IOException e) {
            return 0; // a part file removed while summing
        }
    }

    @Test
    void aMalformedMultipartBodyIsRefused() throws Exception {
        HttpRequest.Builder r = api.request(api.aliceKey, "POST", "/faxes").header("Content-Type", "multipart/form-data; boundary=XYZ");
        HttpResponse<String> answer = api.send(r, "POST", HttpRequest.BodyPublishers.ofString("--ABC\r\nthis is not a part\r\n"));
        JsonNode p = problem(answer, 400);
        assertThat(p.path("code").asText()).isEqualTo("MALFORMED_MULTIPART");

        HttpRequest.Builder json = api.request(api.aliceKey, "POST", "/faxes").header("Content-Type", "application/json");
        problem(api.send(json, "POST", HttpRequest.BodyPublishers.ofString("{\"to\": \"0000\"}")), 415);
    }

    @Test
    void aFileNameWithDirectoriesIsRefused() throws Exception {
        byte[] pdf = Files.readAllBytes(MailOutIT.pdf(dir.resolve("fine.pdf"), 1));
        Files.delete(dir.resolve("fine.pdf"));
        for (String name : List.of("../../x.pdf", "..\\..\\x.pdf", "/tmp/x.pdf")) {
            Multipart body = new Multipart().field("to", RestApiFixture.TO_ALICE).file("file", name, "application/pdf", pdf);
            JsonNode p = problem(api.postMultipart(api.aliceKey, null, body), 400);
            assertThat(p.path("detail").asText()).as(name).contains("not a plain file name");
        }
    }
}
