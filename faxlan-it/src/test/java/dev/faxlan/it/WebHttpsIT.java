package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS of {@code faxlan web} as a process: on an address other than loopback without a configured
 * certificate it makes a self-signed one on first start (key file 0600), prints its fingerprint and
 * keeps it across restarts; a certificate made by openssl and configured is the one served; plain
 * HTTP is not answered on an HTTPS port.
 */
class WebHttpsIT {
    private static final Pattern LISTENING = Pattern.compile("faxlan web listening on (https?)://[0-9.]+:([0-9]+)/");
    private static final Pattern FINGERPRINT = Pattern.compile("SHA-256 fingerprint ([0-9A-F:]+)");
    @TempDir
    static Path dir;
    static FaxlanServer server;

    @BeforeAll
    static void start() throws Exception {
        server = FaxlanServer.start(ServerConfig.defaults().withDataDir(dir.resolve("data")).withBind(new InetSocketAddress("127.0.0.1", 0))
                .withName("https-it").withAdminPassword("https-admin-pw-1"));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** A started process, its stdout up to the listening line, and the port. */
    record Started(Process process, List<String> out, String scheme, int port) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
        }
    }

    static Started web(Path config, String listen) throws Exception {
        List<String> cmd = new ArrayList<>(Cli.javaCommand());
        cmd.addAll(List.of("web", "--listen", listen, "--server", "127.0.0.1:" + server.port(), "--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).directory(dir.toFile());
        Process p = pb.start();
        BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        Matcher m = CompletableFuture.supplyAsync(() -> {
            try {
                for (String l; (l = reader.readLine()) != null; ) {
                    lines.add(l);
                    Matcher listening = LISTENING.matcher(l);
                    if (listening.find()) return listening;
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        }).get(120, TimeUnit.SECONDS);
        if (m == null) {
            p.destroyForcibly();
            throw new AssertionError("faxlan web did not start: " + lines);
        }
        CompletableFuture.runAsync(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // ended
            }
        });
        return new Started(p, lines, m.group(1), Integer.parseInt(m.group(2)));
    }

    /** An HttpClient that trusts {@code cert} alone, as a user who pinned it. */
    static HttpClient pinned(X509Certificate cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("web", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(30)).build();
    }

    static X509Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    static String fingerprint(X509Certificate cert) throws Exception {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    }

    static int get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void onAllAddressesASelfSignedCertificateIsMadeOncePrintedAndKept() throws Exception {
        Path config = dir.resolve("self.properties");
        Files.writeString(config, "data.dir=self-data\n");
        String first;
        try (Started web = web(config, "0.0.0.0:0")) {
            assertThat(web.scheme()).isEqualTo("https");
            assertThat(String.join("\n", web.out())).contains("(new, self-signed)").contains("sha256//");
            Matcher m = FINGERPRINT.matcher(String.join("\n", web.out()));
            assertThat(m.find()).as(web.out().toString()).isTrue();
            first = m.group(1);
            Path key = dir.resolve("self-data/tls/web.key");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
            X509Certificate cert = certificate(dir.resolve("self-data/tls/web.crt"));
            assertThat(fingerprint(cert)).isEqualTo(first);
            assertThat(get(pinned(cert), "https://127.0.0.1:" + web.port() + "/api/v1/openapi.json")).isEqualTo(200);
            // Not in plain text on the same port, and not to a client that trusts only the usual authorities.
            assertThatThrownBy(() -> get(HttpClient.newHttpClient(), "http://127.0.0.1:" + web.port() + "/api/v1/openapi.json"))
                    .isInstanceOf(IOException.class);
            assertThatThrownBy(() -> get(HttpClient.newHttpClient(), "https://127.0.0.1:" + web.port() + "/api/v1/openapi.json"))
                    .isInstanceOf(IOException.class);
        }
        try (Started again = web(config, "0.0.0.0:0")) {
            String out = String.join("\n", again.out());
            assertThat(out).doesNotContain("(new").contains("SHA-256 fingerprint " + first);
        }
    }

    @Test
    void aConfiguredCertificateIsServedAndLoopbackStaysPlain() throws Exception {
        Path cert = dir.resolve("web.pem");
        Path key = dir.resolve("web-key.pem");
        try {
            Cli.Result r = Cli.exec(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.toString(), "-out", cert.toString()), java.util.Map.of(), 120);
            assertThat(r.exitCode()).as(r.toString()).isZero();
        } catch (IOException e) {
            if ("true".equals(System.getenv("CI"))) throw e;
            Assumptions.abort("openssl is not installed: " + e.getMessage());
        }
        Path config = dir.resolve("configured.properties");
        Files.writeString(config, "data.dir=configured-data\ntls.certificate=web.pem\ntls.key=web-key.pem\n");
        try (Started web = web(config, "127.0.0.1:0")) {
            assertThat(web.scheme()).isEqualTo("https");
            assertThat(String.join("\n", web.out())).contains("SHA-256 fingerprint " + fingerprint(certificate(cert))).doesNotContain("(new");
            assertThat(get(pinned(certificate(cert)), "https://127.0.0.1:" + web.port() + "/api/v1/openapi.json")).isEqualTo(200);
        }
        assertThat(dir.resolve("configured-data/tls")).doesNotExist();

        Path plain = dir.resolve("plain.properties");
        Files.writeString(plain, "data.dir=plain-data\n");
        try (Started web = web(plain, "127.0.0.1:0")) {
            assertThat(web.scheme()).isEqualTo("http");
            assertThat(get(HttpClient.newHttpClient(), "http://127.0.0.1:" + web.port() + "/api/v1/openapi.json")).isEqualTo(200);
        }
    }

    @Test
    void aCertificateWithoutItsKeyIsAConfigurationError() throws Exception {
        Path config = dir.resolve("half.properties");
        Files.writeString(config, "tls.certificate=missing.pem\n");
        Cli.Result r = Cli.run(java.util.Map.of(), 120, "web", "--listen", "127.0.0.1:0", "--server", "127.0.0.1:" + server.port(), "--config",
                config.toString());
        assertThat(r.exitCode()).as(r.toString()).isNotZero();
        assertThat(r.err().strip().lines()).as(r.toString()).hasSize(1);
        assertThat(r.err()).contains("tls.key").doesNotContain("Exception");
    }
}
