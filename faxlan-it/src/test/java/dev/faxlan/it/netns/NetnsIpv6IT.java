package dev.faxlan.it.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, acceptance "IPv6": client and server share one link that has IPv6 link-local addresses
 * only (no IPv4 address, no router, no global address). Discovery by link-local multicast (ff02::1)
 * finds the server; {@code servers --add} of the address it answered from (with its zone, {@code %eth0})
 * saves it; a submit then travels over IPv6.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetnsIpv6IT {
    static final String USER = "vera";
    static final String PASSWORD = "vera-password-1";

    @TempDir
    static Path dir;
    static Netns net;
    static String client;
    static String serverNs;
    static ServerProcess server;
    static Map<String, String> env;
    static String found;

    @BeforeAll
    static void setUp() throws Exception {
        Netns.requireEnvironment();
        net = new Netns();
        client = net.add("c6");
        serverNs = net.add("s6");
        // No duplicate address detection: the link-local addresses are usable as soon as the link is up.
        for (String ns : List.of(client, serverNs)) {
            net.exec(ns, Duration.ofSeconds(10), Map.of(), "sh", "-c",
                    "echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad && echo 0 > /proc/sys/net/ipv6/conf/all/accept_dad").check("accept_dad");
        }
        net.veth(client, "eth0", serverNs, "eth0");
        for (String ns : List.of(client, serverNs)) {
            await("a link-local address in " + ns).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                String a = net.exec(ns, Duration.ofSeconds(10), Map.of(), "ip", "-6", "addr", "show", "dev", "eth0", "scope", "link").out();
                return a.contains("inet6 fe80") && !a.contains("tentative");
            });
            String v4 = net.exec(ns, Duration.ofSeconds(10), Map.of(), "ip", "-4", "addr", "show", "dev", "eth0").check("ip -4 addr").out();
            assertThat(v4).as("no IPv4 address on the link").doesNotContain("inet ");
        }
        server = ServerProcess.start(net, serverNs, dir, "netns-ipv6");
        server.addUser(dir.resolve("admin-xdg"), USER, PASSWORD);
        env = ServerProcess.clientEnv(dir.resolve("client-xdg"), USER, PASSWORD);
    }

    @AfterAll
    static void tearDown() {
        if (net != null) net.close();
    }

    static Netns.Result faxlan(Duration timeout, String... args) {
        return net.exec(client, timeout, env, Netns.faxlan(args));
    }

    @Test
    @Order(1)
    void discoveryByLinkLocalMulticastFindsTheServer() {
        Netns.Result r = faxlan(Duration.ofSeconds(60), "servers", "--discover", "--json", "--timeout", "2").check("servers --discover");
        List<Object> servers = MiniJson.array(r.out().strip());
        assertThat(servers).as("servers found: %s", r.out()).singleElement().satisfies(o -> {
            Map<?, ?> m = (Map<?, ?>) o;
            assertThat(m.get("name")).isEqualTo(server.name);
            assertThat(m.get("fingerprint")).isEqualTo(server.fingerprint);
            assertThat((String) m.get("address")).startsWith("fe80:").endsWith("%eth0");
            found = (String) m.get("address");
        });
    }

    @Test
    @Order(2)
    void addByTheLinkLocalAddressAndSubmitOverIpv6() throws Exception {
        assertThat(found).as("the address discovery answered from").isNotNull();
        Netns.Result add = faxlan(Duration.ofSeconds(90), "servers", "--add", found, "--json").check("servers --add " + found);
        Map<String, Object> added = MiniJson.object(add.out().strip());
        assertThat(added.get("name")).isEqualTo(server.name);
        assertThat(added.get("fingerprint")).isEqualTo(server.fingerprint);

        Path doc = dir.resolve("v6.txt");
        Files.writeString(doc, "faxlan over IPv6 link-local\n");
        Netns.Result submit = faxlan(Duration.ofSeconds(90), "submit", "--to", "+15550106", "--at", ServerProcess.LATER,
                "--subject", "over IPv6", "--json", doc.toString()).check("submit over IPv6");
        assertThat(MiniJson.array(submit.out().strip())).singleElement().satisfies(j -> {
            assertThat(((Map<?, ?>) j).get("state")).isEqualTo("queued");
            assertThat(((Map<?, ?>) j).get("subject")).isEqualTo("over IPv6");
        });
        Netns.Result jobs = faxlan(Duration.ofSeconds(60), "jobs", "--json").check("jobs over IPv6");
        assertThat(jobs.out()).contains("over IPv6");
    }
}
