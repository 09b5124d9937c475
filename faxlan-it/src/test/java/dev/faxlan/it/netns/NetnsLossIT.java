package dev.faxlan.it.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.server.spool.Spool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3, acceptance (c): a router between client and server drops 30% of UDP packets at random in
 * both directions. 200 submissions with distinct subjects and documents, from 16 client threads, make
 * exactly 200 jobs, none twice, every document stored under its verified SHA-256, and an alert
 * subscriber started before the submissions receives all 200 {@code queued} events.
 */
class NetnsLossIT {
    static final int SUBMISSIONS = 200;
    static final int THREADS = 16;
    static final int LOSS_PERCENT = 30;
    static final String USER = "loader";
    static final String PASSWORD = "loader-pw-123";

    @TempDir
    static Path dir;
    static Netns net;
    static Topologies.Routed topo;
    static ServerProcess server;

    @BeforeAll
    static void setUp() throws Exception {
        Netns.requireEnvironment();
        net = new Netns();
        topo = Topologies.routed(net);
        server = ServerProcess.start(net, topo.server(), dir, "netns-loss");
        server.addUser(dir.resolve("admin-xdg"), USER, PASSWORD);
        net.nft(topo.router(), Topologies.randomUdpLoss(LOSS_PERCENT));
    }

    @AfterAll
    static void tearDown() {
        if (net != null) net.close();
    }

    @Test
    void twoHundredSubmissionsUnderThirtyPercentLossMakeExactlyTwoHundredJobsAndAlerts() throws Exception {
        long t0 = System.nanoTime();
        String target = Topologies.SERVER_IP + ":" + ServerProcess.PORT;
        Map<String, String> env = ServerProcess.clientEnv(dir.resolve("client-xdg"), USER, PASSWORD);

        // The alert subscriber starts first. --from 0: the user is new, so its log holds exactly the events of this test,
        // and the subscriber gets all of them however long its own handshake takes under loss.
        Path alertOut = dir.resolve("alert.out");
        Path alertErr = dir.resolve("alert.err");
        Process alert = net.spawn(topo.client(), env, alertOut, alertErr, Netns.faxlan("alert", "--server", target, "--json",
                "--count", String.valueOf(SUBMISSIONS), "--from", "0", "--subscriber", "netns-loss", "--timeout", "180"));

        Netns.Result load = net.exec(topo.client(), Duration.ofSeconds(240), env, Netns.java(SubmitLoad.class.getName(),
                "--server", target, "--pin", server.fingerprint, "--count", String.valueOf(SUBMISSIONS), "--threads", String.valueOf(THREADS),
                "--prefix", "loss", "--timeout", "120").toArray(String[]::new));
        List<Map<String, Object>> lines = MiniJson.lines(load.out());
        Map<String, Object> summary = lines.get(lines.size() - 1);
        List<Long> ms = new ArrayList<>();
        for (Map<String, Object> l : lines) if (l.get("ms") instanceof Long m) ms.add(m);
        ms.sort(null);
        System.out.println("[netns-loss] load finished after " + secondsSince(t0) + " s: " + summary + "; per submission ms p50 "
                + pct(ms, 50) + " p90 " + pct(ms, 90) + " max " + pct(ms, 100) + "; client stderr lines with WARN: "
                + load.err().lines().filter(x -> x.contains("WARN")).count() + "\n" + load.err().lines().filter(x -> x.contains("WARN")).limit(10)
                        .reduce("", (a, b) -> a + "  " + b + "\n"));
        assertThat(load.exit()).as("SubmitLoad exit; output:\n%s\nstderr:\n%s", tail(load.out(), 4000), tail(load.err(), 4000)).isZero();

        // What the client was told: subject -> (sha256, job id).
        Map<String, String> shaBySubject = new HashMap<>();
        Map<String, Long> jobBySubject = new HashMap<>();
        for (Map<String, Object> l : lines) {
            if (l.containsKey("summary")) continue;
            String subject = (String) l.get("subject");
            assertThat(l).as("submission %s", subject).doesNotContainKey("error");
            shaBySubject.put(subject, (String) l.get("sha256"));
            @SuppressWarnings("unchecked")
            List<Object> ids = (List<Object>) l.get("jobs");
            assertThat(ids).as("jobs of %s", subject).hasSize(1);
            jobBySubject.put(subject, (Long) ids.get(0));
        }
        assertThat(shaBySubject).hasSize(SUBMISSIONS);
        assertThat(new HashSet<>(shaBySubject.values())).as("distinct documents").hasSize(SUBMISSIONS);

        // The alert subscriber: all 200 queued events, each job once, in sequence order.
        // Under 30% loss a subscriber whose connection died needs a keep-alive timeout and a reconnect to resume.
        boolean alertDone = alert.waitFor(300, TimeUnit.SECONDS);
        String alerts = Files.readString(alertOut);
        assertThat(alertDone).as("alert --count %d finished; got %d lines; stderr: %s", SUBMISSIONS, alerts.lines().count(),
                tail(Files.readString(alertErr), 2000)).isTrue();
        assertThat(alert.exitValue()).isZero();
        List<Map<String, Object>> events = MiniJson.lines(alerts);
        assertThat(events).hasSize(SUBMISSIONS);
        assertThat(events).extracting(e -> e.get("state")).containsOnly("queued");
        assertThat(events).extracting(e -> e.get("type")).containsOnly("job");
        assertThat(events).extracting(e -> e.get("seq")).containsExactlyElementsOf(seq(1, SUBMISSIONS));
        assertThat(events).extracting(e -> e.get("job")).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(jobBySubject.values());
        System.out.println("[netns-loss] alerts complete after " + secondsSince(t0) + " s");

        // The server's view, asked from inside its own namespace (no loss on that path).
        Netns.Result jobs = server.admin(dir.resolve("admin-xdg"), Duration.ofSeconds(90), Map.of(), "jobs", "--all", "--json")
                .check("faxlan jobs --all --json");
        List<Object> all = MiniJson.array(jobs.out().strip());
        assertThat(all).as("jobs on the server").hasSize(SUBMISSIONS);
        Set<String> subjects = new HashSet<>();
        for (Object o : all) {
            @SuppressWarnings("unchecked")
            Map<String, Object> j = (Map<String, Object>) o;
            String subject = (String) j.get("subject");
            assertThat(subjects.add(subject)).as("subject %s appears once", subject).isTrue();
            assertThat(j.get("id")).as("job of %s", subject).isEqualTo(jobBySubject.get(subject));
            assertThat(j.get("state")).isEqualTo("queued");
            assertThat(j.get("owner")).isEqualTo(USER);
            assertThat(j.get("documents")).as("documents of %s", subject).isEqualTo(List.of(shaBySubject.get(subject)));
            Path doc = server.data.resolve("spool/docs").resolve(shaBySubject.get(subject));
            assertThat(Spool.sha256(doc)).as("SHA-256 of %s", doc).isEqualTo(shaBySubject.get(subject));
            assertThat(Files.readString(doc)).contains("subject: " + subject + "\n");
        }
        assertThat(subjects).isEqualTo(shaBySubject.keySet());

        long dropped = droppedPackets();
        System.out.println("[netns-loss] router dropped " + dropped + " UDP packets; whole test " + secondsSince(t0) + " s");
        assertThat(dropped).as("the router really dropped packets").isPositive();
    }

    private static long droppedPackets() {
        Netns.Result r = net.exec(topo.router(), Duration.ofSeconds(10), Map.of(), "nft", "list", "table", "inet", "fxloss").check("nft list");
        Matcher m = Pattern.compile("counter packets (\\d+) bytes \\d+ drop").matcher(r.out());
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) return -1;
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1 < 0 ? 0 : (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static List<Long> seq(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i <= to; i++) out.add(i);
        return out;
    }

    static String secondsSince(long t0) {
        return String.format("%.1f", (System.nanoTime() - t0) / 1e9);
    }

    static String tail(String s, int n) {
        return s.length() <= n ? s : "..." + s.substring(s.length() - n);
    }
}
