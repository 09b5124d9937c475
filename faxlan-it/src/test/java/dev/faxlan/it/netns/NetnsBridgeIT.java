package dev.faxlan.it.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3, acceptance (a): two client namespaces and a server namespace on one bridge (in a namespace of
 * its own), 10.231.5.0/24. {@code faxlan servers --discover} in each client finds the server by
 * broadcast, with the server's name, port and identity.
 */
class NetnsBridgeIT {
    static final String SERVER_IP = "10.231.5.2";

    @TempDir
    static Path dir;
    static Netns net;
    static String client1;
    static String client2;
    static ServerProcess server;

    @BeforeAll
    static void setUp() throws Exception {
        Netns.requireEnvironment();
        net = new Netns();
        String bridge = net.add("b");
        client1 = net.add("c1");
        client2 = net.add("c2");
        String s = net.add("s");
        net.veth(client1, "eth0", bridge, "p1");
        net.veth(client2, "eth0", bridge, "p2");
        net.veth(s, "eth0", bridge, "p3");
        net.bridge(bridge, "br0", "p1", "p2", "p3");
        net.addr(client1, "eth0", "10.231.5.11/24");
        net.addr(client2, "eth0", "10.231.5.12/24");
        net.addr(s, "eth0", SERVER_IP + "/24");
        server = ServerProcess.start(net, s, dir, "netns-bridge");
    }

    @AfterAll
    static void tearDown() {
        if (net != null) net.close();
    }

    @Test
    void discoverFindsTheServerFromBothClients() {
        for (String client : List.of(client1, client2)) {
            Netns.Result r = net.exec(client, Duration.ofSeconds(60), ServerProcess.clientEnv(dir.resolve(client + "-xdg"), null, null),
                    Netns.faxlan("servers", "--discover", "--json", "--timeout", "2")).check("servers --discover in " + client);
            List<Object> found = MiniJson.array(r.out().strip());
            System.out.println("[netns-bridge] " + client + " found " + found);
            assertThat(found).as("servers found from %s", client).anySatisfy(o -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) o;
                assertThat(m.get("address")).isEqualTo(SERVER_IP);
                assertThat(m.get("name")).isEqualTo(server.name);
                assertThat(m.get("port")).isEqualTo((long) ServerProcess.PORT);
                assertThat(m.get("fingerprint")).isEqualTo(server.fingerprint);
            });
            // Whatever answered (IPv4 broadcast, IPv6 link-local multicast) is this one server.
            assertThat(found).allSatisfy(o -> assertThat(((Map<?, ?>) o).get("fingerprint")).isEqualTo(server.fingerprint));
        }
    }
}
