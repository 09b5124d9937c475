package dev.faxlan.it.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, the relay's acceptance: client — relay — server namespaces, the middle one forwarding
 * nothing (nftables, forward policy drop), so the client reaches only {@code faxlan relay} on
 * 10.231.1.1. Broadcast discovery finds the server through the relay; the identity the client pins
 * is the server's; submit, alert, inbox and fetch work (the fax goes over the server's loopback line
 * and comes back into its inbox); a tshark capture on the relay's namespace holds no plaintext of
 * the submitted document.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetnsRelayIT {
    static final String RELAY = Topologies.ROUTER_CLIENT_SIDE + ":" + ServerProcess.PORT;
    /** Unique per run: if these bytes are in the capture, the relay path leaked the document. */
    static final String MARKER = "FAXLAN-RELAY-PLAINTEXT-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(8));

    @TempDir
    static Path dir;
    static Netns net;
    static Topologies.Routed topo;
    static ServerProcess server;
    static RelayProcess relay;
    static String tshark;
    static Process capture;
    static Path pcap;
    static Path xdg;
    static Map<String, String> env;

    @BeforeAll
    static void setUp() throws Exception {
        Netns.requireEnvironment();
        tshark = requireTshark();
        net = new Netns();
        topo = Topologies.routed(net);
        net.nft(topo.router(), "table inet fxrelay {\n\tchain forward {\n\t\ttype filter hook forward priority filter; policy drop;\n\t\tcounter\n\t}\n}\n");
        server = ServerProcess.start(net, topo.server(), dir, "netns-relayed");
        // The relay captures from the start: discovery, the handshake, the upload, the fetch.
        pcap = dir.resolve("relay.pcapng");
        Path capErr = dir.resolve("tshark.err");
        capture = net.spawn(topo.router(), Map.of(), dir.resolve("tshark.out"), capErr,
                tshark, "-i", "any", "-f", "udp port " + ServerProcess.PORT, "-w", pcap.toString());
        awaitFile(capErr, "Capturing on", capture);
        relay = RelayProcess.start(net, topo.router(), dir, "relay", "--listen", RELAY, "--server", Topologies.SERVER_IP + ":" + ServerProcess.PORT);
        xdg = dir.resolve("client-xdg");
        env = ServerProcess.clientEnv(xdg, "admin", ServerProcess.ADMIN_PASSWORD);
    }

    @AfterAll
    static void tearDown() {
        if (net != null) net.close();
    }

    /** tshark, or a skip (a failure under CI=true), as {@link Netns#requireEnvironment()} does for ip and nft. */
    static String requireTshark() {
        for (String d : List.of("/usr/bin", "/usr/sbin", "/usr/local/bin")) {
            if (Files.isExecutable(Path.of(d, "tshark"))) return Path.of(d, "tshark").toString();
        }
        String reason = "tshark is not installed";
        if ("true".equals(System.getenv("CI"))) Assertions.fail(reason + " (CI=true: the relay capture must run)");
        System.out.println("SKIPPED (netns relay): " + reason);
        Assumptions.abort(reason);
        return null;
    }

    static void awaitFile(Path file, String text, Process p) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.readString(file).contains(text)) return;
            if (!p.isAlive()) break;
            Thread.sleep(100);
        }
        throw new IllegalStateException("no '" + text + "' in " + file + ": " + Files.readString(file));
    }

    static Netns.Result client(Duration timeout, String... args) {
        return net.exec(topo.client(), timeout, env, Netns.faxlan(args));
    }

    @Test
    @Order(1)
    void theRelayReportsTheServersIdentity() throws Exception {
        assertThat(relay.address).isEqualTo(RELAY);
        assertThat(relay.awaitIdentity(Duration.ofSeconds(60))).isEqualTo(server.fingerprint);
    }

    @Test
    @Order(2)
    void theServerItselfIsUnreachableFromTheClient() {
        Netns.Result r = client(Duration.ofSeconds(90), "jobs", "--server", Topologies.SERVER_IP, "--timeout", "3");
        assertThat(r.exit()).as("exit code; stderr: %s", r.err()).isEqualTo(4);
    }

    @Test
    @Order(3)
    void broadcastDiscoveryFindsTheServerThroughTheRelay() {
        Netns.Result r = client(Duration.ofSeconds(60), "servers", "--discover", "--json", "--timeout", "3").check("servers --discover");
        assertThat(MiniJson.array(r.out().strip())).singleElement().satisfies(o -> {
            Map<?, ?> m = (Map<?, ?>) o;
            assertThat(m.get("address")).as("clients are sent to the relay").isEqualTo(Topologies.ROUTER_CLIENT_SIDE);
            assertThat(m.get("port")).isEqualTo((long) ServerProcess.PORT);
            assertThat(m.get("name")).isEqualTo(server.name);
            assertThat(m.get("fingerprint")).as("the server's identity, not the relay's").isEqualTo(server.fingerprint);
        });
    }

    @Test
    @Order(4)
    void theClientPinsTheServersIdentityThroughTheRelay() throws Exception {
        Netns.Result add = client(Duration.ofSeconds(90), "servers", "--add", RELAY, "--json").check("servers --add");
        Map<String, Object> added = MiniJson.object(add.out().strip());
        assertThat(added.get("address")).isEqualTo(RELAY);
        assertThat(added.get("fingerprint")).as("proved in the TLS handshake, end to end").isEqualTo(server.fingerprint);
        assertThat(Files.readString(xdg.resolve("faxlan/servers"))).contains(RELAY + " " + server.fingerprint);
    }

    @Test
    @Order(5)
    void submitAlertInboxAndFetchWorkThroughTheRelay() throws Exception {
        Path alertOut = dir.resolve("alert.out");
        Path alertErr = dir.resolve("alert.err");
        Process alert = net.spawn(topo.client(), env, alertOut, alertErr, Netns.faxlan("alert", "--json", "--subscriber", "netns-relay"));
        Path doc = dir.resolve("secret.txt");
        Files.writeString(doc, ("Confidential offer. " + MARKER + "\n").repeat(20));
        // The saved relay is the one server: no --server. 0000 is the server's loopback line, which
        // sends the fax and receives it back into the Unaddressed mailbox the administrator sees.
        Netns.Result submit = client(Duration.ofSeconds(120), "submit", "--to", "0000", "--subject", "through the relay", "--json", doc.toString())
                .check("submit");
        Object jobId = ((Map<?, ?>) MiniJson.array(submit.out().strip()).get(0)).get("id");

        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        Map<String, Object> received = null;
        while (received == null && System.nanoTime() < deadline && alert.isAlive()) {
            received = MiniJson.lines(completeLines(alertOut)).stream().filter(e -> "fax.received".equals(e.get("type"))).findFirst().orElse(null);
            if (received == null) Thread.sleep(500);
        }
        assertThat(received).as("a fax.received alert through the relay; alert stdout: %s stderr: %s", Files.readString(alertOut), Files.readString(alertErr))
                .isNotNull();
        assertThat(MiniJson.lines(completeLines(alertOut))).as("job alerts through the relay")
                .anyMatch(e -> "job".equals(e.get("type")) && jobId.equals(e.get("job")));
        alert.destroy();

        Netns.Result inbox = client(Duration.ofSeconds(90), "inbox", "--json").check("inbox");
        List<Object> faxes = MiniJson.array(inbox.out().strip());
        Object faxId = received.get("fax");
        assertThat(faxes).anyMatch(f -> faxId.equals(((Map<?, ?>) f).get("id")));

        Path fetched = dir.resolve("fetched.tif");
        client(Duration.ofSeconds(90), "fetch", String.valueOf(faxId), "--out", fetched.toString()).check("fetch");
        byte[] tiff = Files.readAllBytes(fetched);
        assertThat(tiff.length).isGreaterThan(1000);
        assertThat(new String(tiff, 0, 2, StandardCharsets.ISO_8859_1)).as("a TIFF (little-endian byte order mark)").isEqualTo("II");
    }

    /** The file's complete lines: a line the alert process is still writing is left for the next look. */
    static String completeLines(Path file) throws Exception {
        String s = Files.readString(file);
        int end = s.lastIndexOf('\n');
        return end < 0 ? "" : s.substring(0, end + 1);
    }

    @Test
    @Order(6)
    void theCaptureOnTheRelayHoldsNoPlaintextOfTheDocument() throws Exception {
        capture.destroy();
        assertThat(capture.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        byte[] raw = Files.readAllBytes(pcap);
        String rawText = new String(raw, StandardCharsets.ISO_8859_1);
        // Controls: the capture holds the whole exchange, and plaintext that did cross is found in it.
        assertThat((long) raw.length).as("captured bytes").isGreaterThan(Files.size(dir.resolve("secret.txt")) + 20_000);
        assertThat(rawText).as("the discovery reply (plain UDP) names the server").contains(server.name);
        assertThat(rawText).as("the document's marker in the raw capture").doesNotContain(MARKER);

        Netns.Result decoded = net.exec(topo.router(), Duration.ofSeconds(120), Map.of(), tshark, "-r", pcap.toString(), "-V", "-x")
                .check("tshark -r -V -x");
        assertThat(decoded.out()).as("tshark decodes the relayed traffic as QUIC").contains("QUIC IETF").contains("Initial");
        assertThat(decoded.out()).as("the document's marker in tshark's decoded output").doesNotContain(MARKER);
        Netns.Result quic = net.exec(topo.router(), Duration.ofSeconds(120), Map.of(), tshark, "-r", pcap.toString(), "-Y", "quic",
                "-T", "fields", "-e", "frame.number").check("tshark -Y quic");
        assertThat(quic.out().lines().count()).as("QUIC packets through the relay").isGreaterThan(50);
        System.out.println("[netns-relay] capture: " + raw.length + " bytes, " + quic.out().lines().count() + " QUIC packets, marker absent");
    }
}
