package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.cli.relay.CpiRelay;
import dev.faxlan.cli.relay.RelaySettings;
import dev.faxlan.protocol.discovery.Discovery;
import dev.faxlan.sdk.Alert;
import dev.faxlan.sdk.AlertSubscription;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.sdk.Job;
import dev.faxlan.sdk.ServerFinder;
import dev.faxlan.sdk.SubmitRequest;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code faxlan relay}'s forwarder ({@link CpiRelay}) between the SDK and a real server on loopback:
 * CPI passes both ways with the server's identity pinned end to end, discovery through the relay
 * names the relay's port and the server's fingerprint, and a full flow table refuses new clients
 * while the existing one goes on. The network test with real namespaces is NetnsRelayIT.
 */
class RelayIT {
    static final String ADMIN_PW = "relay-admin-pw-1";
    @TempDir
    static Path dir;
    static FaxlanServer server;
    static CpiRelay relay;

    @BeforeAll
    static void start() throws Exception {
        server = TestTrunk.start(ServerConfig.defaults().withDataDir(dir.resolve("data"))
                .withBind(new InetSocketAddress("127.0.0.1", 0)).withName("relayed").withAdminPassword(ADMIN_PW));
        relay = relay(RelaySettings.DEFAULT_MAX_FLOWS);
    }

    static CpiRelay relay(int maxFlows) throws Exception {
        CpiRelay r = CpiRelay.start(RelaySettings.of(new InetSocketAddress("127.0.0.1", 0), server.address(), maxFlows), id -> {});
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> r.serverIdentity().isPresent());
        return r;
    }

    @AfterAll
    static void stop() {
        if (relay != null) relay.close();
        if (server != null) server.close();
    }

    static FaxlanClient client(CpiRelay via, String user, String pw, Duration timeout) {
        return FaxlanClient.builder().server(via.address()).user(user).password(pw == null ? null : pw.toCharArray()).timeout(timeout).build();
    }

    @Test
    void cpiPassesAndTheClientPinsTheServerNotTheRelay() {
        try (FaxlanClient c = client(relay, null, null, Duration.ofSeconds(20))) {
            assertThat(c.info().name()).isEqualTo("relayed");
            assertThat(c.pin()).as("the identity proved in the TLS handshake through the relay").isEqualTo(server.fingerprint());
        }
    }

    @Test
    void discoveryThroughTheRelayNamesTheRelaysPortAndTheServersIdentity() throws Exception {
        List<ServerFinder.Found> found = ServerFinder.discover(List.of(relay.address()), Duration.ofSeconds(2));
        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.address()).isEqualTo(relay.address());
            assertThat(f.reply().name()).isEqualTo("relayed");
            assertThat(f.reply().fingerprint()).isEqualTo(server.fingerprint());
        });
        Discovery.Reply id = relay.serverIdentity().orElseThrow();
        assertThat(id.port()).as("the server's own reply, as the relay heard it").isEqualTo(server.port());
        assertThat(relay.stats().discoveryReplies()).isPositive();
    }

    @Test
    void alertsTheServerStartsReachTheClientOnItsFlow() throws Exception {
        Path doc = Files.writeString(dir.resolve("alert.txt"), "relayed alert test\n");
        try (FaxlanClient c = client(relay, "admin", ADMIN_PW, Duration.ofSeconds(30))) {
            List<Alert> alerts = new CopyOnWriteArrayList<>();
            AlertSubscription sub = c.subscribe("relay-it", null, alerts::add);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sub.lastDelivered() >= 0);
            List<Job> jobs = c.submit(new SubmitRequest(List.of("+15550100"), List.of(doc), "via relay", null, null,
                    Instant.parse(TestTrunk.LATER)));
            long job = jobs.get(0).id();
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> alerts.stream().anyMatch(a -> Long.valueOf(job).equals(((Number) a.body().getOrDefault("job", -1L)).longValue())));
        }
    }

    @Test
    void aFullRelayRefusesNewClientsAndKeepsServingItsFlow() throws Exception {
        try (CpiRelay one = relay(1);
                FaxlanClient first = client(one, null, null, Duration.ofSeconds(20));
                FaxlanClient second = client(one, null, null, Duration.ofSeconds(3))) {
            assertThat(first.info().name()).isEqualTo("relayed");
            assertThatThrownBy(second::info).isInstanceOf(FaxlanException.Unreachable.class);
            assertThat(first.info().name()).as("the first flow after the second was refused").isEqualTo("relayed");
            CpiRelay.Stats s = one.stats();
            assertThat(s.flows()).isEqualTo(1);
            assertThat(s.flowsRefused()).isPositive();
        }
    }
}
