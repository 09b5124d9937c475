package dev.faxlan.it.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3, acceptance (b): client (10.231.1.0/24) and server (10.231.2.0/24) joined by a router
 * namespace. Broadcast discovery finds nothing, as the seed warns; the "advanced" {@code servers --add}
 * works and saves the server; a submit then works. The rules of {@code faxlan firewall --format nft},
 * loaded into the router (forward policy drop), let a submit and its alert through; a router that
 * drops everything makes the client exit 4.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetnsRouterIT {
    static final String USER = "bob";
    static final String PASSWORD = "bob-password-1";

    @TempDir
    static Path dir;
    static Netns net;
    static Topologies.Routed topo;
    static ServerProcess server;
    static Path xdg;
    static Map<String, String> env;

    @BeforeAll
    static void setUp() throws Exception {
        Netns.requireEnvironment();
        net = new Netns();
        topo = Topologies.routed(net);
        server = ServerProcess.start(net, topo.server(), dir, "netns-router");
        server.addUser(dir.resolve("admin-xdg"), USER, PASSWORD);
        xdg = dir.resolve("client-xdg");
        env = ServerProcess.clientEnv(xdg, USER, PASSWORD);
    }

    @AfterAll
    static void tearDown() {
        if (net != null) net.close();
    }

    static Netns.Result client(Duration timeout, String... args) {
        return net.exec(topo.client(), timeout, env, Netns.faxlan(args));
    }

    static Path document(String name) throws Exception {
        Path p = dir.resolve(name + ".txt");
        Files.writeString(p, "faxlan router test: " + name + "\n");
        return p;
    }

    @Test
    @Order(1)
    void discoverFindsNothingAcrossTheRouter() {
        Netns.Result r = client(Duration.ofSeconds(60), "servers", "--discover", "--json", "--timeout", "2").check("servers --discover");
        assertThat(MiniJson.array(r.out().strip())).as("servers found by broadcast across a router").isEmpty();
    }

    @Test
    @Order(2)
    void addByAddressSavesTheServerAndSubmitWorks() throws Exception {
        Netns.Result add = client(Duration.ofSeconds(90), "servers", "--add", Topologies.SERVER_IP, "--json").check("servers --add");
        Map<String, Object> added = MiniJson.object(add.out().strip());
        assertThat(added.get("address")).isEqualTo(Topologies.SERVER_IP + ":" + ServerProcess.PORT);
        assertThat(added.get("name")).isEqualTo(server.name);
        assertThat(added.get("fingerprint")).isEqualTo(server.fingerprint);

        Netns.Result list = client(Duration.ofSeconds(60), "servers", "--json").check("servers");
        assertThat(MiniJson.array(list.out().strip())).singleElement().satisfies(o -> {
            Map<?, ?> m = (Map<?, ?>) o;
            assertThat(m.get("address")).isEqualTo(Topologies.SERVER_IP + ":" + ServerProcess.PORT);
            assertThat(m.get("fingerprint")).isEqualTo(server.fingerprint);
        });
        assertThat(Files.readString(xdg.resolve("faxlan/servers"))).contains(Topologies.SERVER_IP + ":" + ServerProcess.PORT + " " + server.fingerprint);

        // No --server: the one saved server is used, pinned to its saved identity.
        Netns.Result submit = client(Duration.ofSeconds(90), "submit", "--to", "+15550100", "--at", ServerProcess.LATER,
                "--subject", "across the router", "--json",
                document("plain").toString()).check("submit");
        assertThat(MiniJson.array(submit.out().strip())).singleElement().satisfies(j -> {
            assertThat(((Map<?, ?>) j).get("state")).isEqualTo("queued");
            assertThat(((Map<?, ?>) j).get("subject")).isEqualTo("across the router");
        });
    }

    @Test
    @Order(3)
    void printedFirewallRulesAreSufficientForSubmitAndAlert() throws Exception {
        String rules = client(Duration.ofSeconds(60), "firewall", "--server", Topologies.SERVER_IP, "--format", "nft").check("firewall").out();
        net.nftFlush(topo.router());
        net.nft(topo.router(), rules);
        String loaded = net.exec(topo.router(), Duration.ofSeconds(10), Map.of(), "nft", "list", "chain", "inet", "faxlan", "forward")
                .check("nft list").out();
        assertThat(loaded).contains("policy drop");

        // The subscriber starts first and waits for the one event after the first test's job (seq 1).
        Path out = dir.resolve("alert.out");
        Path err = dir.resolve("alert.err");
        Process alert = net.spawn(topo.client(), env, out, err,
                Netns.faxlan("alert", "--json", "--count", "1", "--from", "1", "--subscriber", "netns-router", "--timeout", "60"));
        Netns.Result submit = client(Duration.ofSeconds(90), "submit", "--to", "+15550101", "--at", ServerProcess.LATER,
                "--subject", "through the firewall", "--json",
                document("firewalled").toString()).check("submit through the firewall rules");
        Object jobId = ((Map<?, ?>) MiniJson.array(submit.out().strip()).get(0)).get("id");
        assertThat(alert.waitFor(60, TimeUnit.SECONDS)).as("alert through the firewall; stderr: %s", Files.readString(err)).isTrue();
        assertThat(alert.exitValue()).isZero();
        List<Map<String, Object>> events = MiniJson.lines(Files.readString(out));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.get("seq")).isEqualTo(2L);
            assertThat(e.get("job")).isEqualTo(jobId);
            assertThat(e.get("state")).isEqualTo("queued");
        });
    }

    @Test
    @Order(4)
    void withoutTheRulesTheClientExitsUnreachable() throws Exception {
        net.nftFlush(topo.router());
        net.nft(topo.router(), "table inet fxblock {\n\tchain forward {\n\t\ttype filter hook forward priority filter; policy drop;\n\t}\n}\n");
        long t0 = System.nanoTime();
        Netns.Result submit = client(Duration.ofSeconds(90), "submit", "--to", "+15550102", "--at", ServerProcess.LATER,
                "--subject", "blocked", "--timeout", "5",
                document("blocked").toString());
        System.out.println("[netns-router] blocked submit exited " + submit.exit() + " after " + NetnsLossIT.secondsSince(t0) + " s: " + submit.err().strip());
        assertThat(submit.exit()).as("exit code; stderr: %s", submit.err()).isEqualTo(4);
        assertThat(submit.err()).contains("faxlan: no answer from " + Topologies.SERVER_IP).doesNotContain("Exception");
    }
}
