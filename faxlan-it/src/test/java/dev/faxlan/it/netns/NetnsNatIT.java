package dev.faxlan.it.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, acceptance (b): the firewall host runs the {@code faxlan firewall --stateful} rules and
 * masquerades the client side, with a random source port per mapping. A subscribed {@code faxlan alert}
 * behind the NAT receives alerts; then {@code conntrack -F} on the firewall forgets every mapping (as a NAT
 * whose mapping timed out would), more events are appended meanwhile, and the client resumes and receives
 * every one it missed, none twice. The time from the flush to the last missed event is printed.
 */
class NetnsNatIT {
    static final String USER = "natuser";
    static final String PASSWORD = "natuser-password-1";
    static final String NAT = """
            table ip fxnat {
            	chain postrouting {
            		type nat hook postrouting priority srcnat; policy accept;
            		oifname "eth1" masquerade random
            	}
            }
            """;

    @TempDir
    static Path dir;
    static Netns net;
    static Topologies.Routed topo;
    static ServerProcess server;
    static String conntrack;

    @BeforeAll
    static void setUp() throws Exception {
        Netns.requireEnvironment();
        conntrack = FirewallTools.require("conntrack", "conntrack");
        net = new Netns();
        topo = Topologies.routed(net);
        server = ServerProcess.start(net, topo.server(), dir, "netns-nat");
        server.addUser(dir.resolve("admin-xdg"), USER, PASSWORD);
    }

    @AfterAll
    static void tearDown() {
        if (net != null) net.close();
    }

    /** Submits {@code count} faxes as the user from inside the server's namespace (another client, not behind the NAT); their job ids. */
    static List<Long> submitFromServerSide(String prefix, int count) {
        Map<String, String> env = ServerProcess.clientEnv(dir.resolve("local-xdg"), USER, PASSWORD);
        Netns.Result r = net.exec(topo.server(), Duration.ofSeconds(120), env, Netns.java(SubmitLoad.class.getName(), "--server",
                "127.0.0.1:" + ServerProcess.PORT, "--prefix", prefix, "--count", String.valueOf(count), "--threads", "1").toArray(String[]::new))
                .check("SubmitLoad " + prefix);
        List<Long> ids = new ArrayList<>();
        for (Map<String, Object> line : MiniJson.lines(r.out())) {
            if (line.get("jobs") instanceof List<?> jobs) jobs.forEach(j -> ids.add(((Number) j).longValue()));
        }
        assertThat(ids).hasSize(count);
        return ids;
    }

    static List<Map<String, Object>> alerts(Path out) throws Exception {
        return MiniJson.lines(Files.readString(out));
    }

    static Set<Long> jobsAlerted(Path out) throws Exception {
        Set<Long> jobs = new TreeSet<>();
        for (Map<String, Object> a : alerts(out)) if (a.get("job") instanceof Number n) jobs.add(n.longValue());
        return jobs;
    }

    static void await(String what, Duration timeout, Process alert, Path err, Predicate<Void> done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(null)) {
            assertThat(alert.isAlive()).as("faxlan alert still running; stderr: %s", Files.readString(err)).isTrue();
            assertThat(System.nanoTime()).as("%s within %s; stderr: %s", what, timeout, Files.readString(err)).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void alertsReachAClientBehindNatAndResumeAfterTheMappingIsFlushed() throws Exception {
        String printed = net.exec(topo.router(), Duration.ofSeconds(60), Map.of(),
                Netns.faxlan("firewall", "--server", Topologies.SERVER_IP, "--stateful", "--format", "nft")).check("faxlan firewall --stateful").out();
        assertThat(FirewallTools.acceptRules(printed)).hasSize(2).anySatisfy(r -> assertThat(r).contains("ct state established,related"));
        net.nftFlush(topo.router());
        net.nft(topo.router(), printed);
        net.nft(topo.router(), NAT);

        Map<String, String> env = new HashMap<>(ServerProcess.clientEnv(dir.resolve("client-xdg"), USER, PASSWORD));
        env.put("FAXLAN_SERVER", Topologies.SERVER_IP + ":" + ServerProcess.PORT);
        Path out = dir.resolve("alert.out");
        Path err = dir.resolve("alert.err");
        Process alert = net.spawn(topo.client(), env, out, err,
                Netns.faxlan("alert", "--json", "--from", "0", "--subscriber", "behind-nat", "--timeout", "120"));

        List<Long> before = submitFromServerSide("before", 2);
        await("alerts for " + before + " behind the NAT", Duration.ofSeconds(120), alert, err, v -> {
            try {
                return jobsAlerted(out).containsAll(before);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        String mappings = net.exec(topo.router(), Duration.ofSeconds(10), Map.of(), conntrack, "-L", "-p", "udp", "--orig-port-dst",
                String.valueOf(ServerProcess.PORT)).check("conntrack -L").out();
        assertThat(mappings).as("the alert flow is masqueraded").contains("src=" + Topologies.CLIENT_IP).contains("dst=" + Topologies.ROUTER_SERVER_SIDE);

        net.exec(topo.router(), Duration.ofSeconds(10), Map.of(), conntrack, "-F").check("conntrack -F");
        long flushed = System.nanoTime();
        List<Long> after = submitFromServerSide("after", 3);
        await("alerts for " + after + " after conntrack -F", Duration.ofSeconds(90), alert, err, v -> {
            try {
                return jobsAlerted(out).containsAll(after);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        System.out.println("[netns-nat] every missed alert arrived " + NetnsLossIT.secondsSince(flushed) + " s after conntrack -F");
        String remapped = net.exec(topo.router(), Duration.ofSeconds(10), Map.of(), conntrack, "-L", "-p", "udp", "--orig-port-dst",
                String.valueOf(ServerProcess.PORT)).check("conntrack -L").out();
        System.out.println("[netns-nat] mappings before the flush: " + mappings.strip() + "\n[netns-nat] after: " + remapped.strip());

        List<Long> seqs = alerts(out).stream().map(a -> ((Number) a.get("seq")).longValue()).toList();
        assertThat(seqs).as("every event once, in order").doesNotHaveDuplicates().isSorted();
        assertThat(seqs.get(seqs.size() - 1) - seqs.get(0) + 1).as("no event missing between %s", seqs).isEqualTo(seqs.size());
        assertThat(jobsAlerted(out)).containsAll(before).containsAll(after);
        alert.destroy();
    }
}
