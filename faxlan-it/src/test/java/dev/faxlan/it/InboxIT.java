package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t4.DecodeResult;
import dev.faxlan.engine.tiff.TiffReader;
import dev.faxlan.lines.CallOutcome;
import dev.faxlan.lines.CallResult;
import dev.faxlan.lines.Lines;
import dev.faxlan.lines.ReceivedFax;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.sdk.Alert;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.Job;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.sdk.InboxFax;
import dev.faxlan.sdk.Route;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Received faxes over real sockets: routing, who may see which fax, and the inbox/fetch/router commands. */
class InboxIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN_PW = "inbox-admin-pw-1";
    @TempDir
    static Path dir;
    static FaxlanServer server;

    @BeforeAll
    static void start() throws Exception {
        server = FaxlanServer.start(ServerConfig.defaults().withDataDir(dir.resolve("data"))
                .withBind(new InetSocketAddress("127.0.0.1", 0)).withName("inbox-it").withAdminPassword(ADMIN_PW).withLines(FastLoopback.lines()));
        try (FaxlanClient admin = client("admin", ADMIN_PW)) {
            admin.addUser("alice", "alice-password-1".toCharArray(), "user");
            admin.addUser("bob", "bob-password-1".toCharArray(), "user");
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static FaxlanClient client(String user, String pw) {
        return FaxlanClient.builder().server(server.address()).user(user).password(pw.toCharArray()).timeout(Duration.ofSeconds(20)).build();
    }

    private static BilevelPage page(int seed) {
        BilevelPage p = new BilevelPage(1728, 300, 204, 196);
        for (int y = 40 + seed * 20; y < 70 + seed * 20; y++) for (int x = 100 + seed * 50; x < 1400; x++) p.setPixel(x, y, true);
        return p;
    }

    /** A fax as a line would hand it over, stored and routed by the running server. */
    private static long receive(String calledNumber) throws Exception {
        ReceivedFax fax = new ReceivedFax("trunk1", "+4930111111", calledNumber, "SENDER", "", "",
                List.of(new DecodeResult(page(1), 0, 0), new DecodeResult(page(2), 0, 0)), System.currentTimeMillis(), 10_000, FaxResult.OK);
        return server.inbound().store(fax).id();
    }

    private static void assertNotFound(Runnable r) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(FaxlanException.Refused.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void aUserCannotListGetFetchMarkOrDeleteAnotherUsersFaxButAnAdministratorCan() throws Exception {
        try (FaxlanClient admin = client("admin", ADMIN_PW); FaxlanClient alice = client("alice", "alice-password-1");
                FaxlanClient bob = client("bob", "bob-password-1")) {
            Route toAlice = admin.addRoute(new Route.Match("100", null, null, null, null), "alice", 0);
            Route toBob = admin.addRoute(new Route.Match("200", null, null, null, null), "bob", 0);
            List<Alert> aliceAlerts = new CopyOnWriteArrayList<>();
            alice.subscribe("inbox-it", 0L, aliceAlerts::add);
            try {
                long a = receive("100");
                long b = receive("200");
                // Alice hears of her fax, and only of hers.
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> aliceAlerts.stream().anyMatch(x -> x.type().equals("fax.received")));
                assertThat(aliceAlerts).filteredOn(x -> x.type().equals("fax.received")).singleElement()
                        .satisfies(x -> assertThat(x.body()).containsEntry("fax", a).containsEntry("mailbox", "alice").containsEntry("did", "100"));

                assertThat(alice.inbox(null, false)).extracting(InboxFax::id).contains(a).doesNotContain(b);
                assertThat(bob.inbox(null, false)).extracting(InboxFax::id).contains(b).doesNotContain(a);
                assertThat(admin.inbox(null, false)).extracting(InboxFax::id).contains(a, b);
                assertThat(alice.receivedFax(a).mailbox()).isEqualTo("alice");

                Path stolen = dir.resolve("stolen.tif");
                assertNotFound(() -> alice.receivedFax(b));
                assertNotFound(() -> alice.fetch(b, stolen, x -> {}));
                assertNotFound(() -> alice.markRead(b, true));
                assertNotFound(() -> alice.deleteFax(b));
                assertNotFound(() -> alice.inbox("bob", false));
                assertThat(stolen).doesNotExist();
                // The refused delete left bob's fax alone.
                assertThat(bob.receivedFax(b).read()).isFalse();

                Path own = dir.resolve("own.tif");
                InboxFax fetched = alice.fetch(a, own, x -> {});
                assertThat(FaxlanClient.sha256(own)).isEqualTo(fetched.sha256());
                assertThat(Files.size(own)).isEqualTo(fetched.size());

                Path adminCopy = dir.resolve("admin.tif");
                admin.fetch(b, adminCopy, x -> {});
                assertThat(Files.size(adminCopy)).isEqualTo(admin.receivedFax(b).size());
                assertThat(admin.markRead(b, true).read()).isTrue();
                admin.deleteFax(b);
                assertNotFound(() -> bob.receivedFax(b));
            } finally {
                admin.removeRoute(toAlice.id());
                admin.removeRoute(toBob.id());
            }
        }
    }

    @Test
    void aFaxOverTheLoopbackLineIsFoundInUnaddressedAndFetchedAsTiffPdfAndPng() throws Exception {
        List<BilevelPage> pages = List.of(page(0), page(3));
        CallResult r = server.lines().lineFor("0000").orElseThrow().send("0000", pages, Lines.receiveOptions("")).get(120, TimeUnit.SECONDS);
        assertThat(r.outcome()).as("%s", r).isEqualTo(CallOutcome.SUCCESS);

        Map<String, String> env = env("admin", ADMIN_PW);
        String[] found = new String[1];
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Cli.Result inbox = Cli.run(env, "inbox", "--json", "--mailbox", "Unaddressed");
            assertThat(inbox.exitCode()).as(inbox.toString()).isZero();
            for (JsonNode fax : JSON.readTree(inbox.out())) {
                if (fax.path("did").asText().equals("0000")) {
                    found[0] = fax.path("id").asText();
                    return true;
                }
            }
            return false;
        });
        String id = found[0];
        Cli.Result table = Cli.run(env, "inbox");
        assertThat(table.out()).contains("RECEIVED").contains("Unaddressed").containsPattern("(?m)^" + id + "\\s");

        Path tiff = dir.resolve("fax.tif");
        Cli.Result t = Cli.run(env, "fetch", id, "--out", tiff.toString(), "--format", "tiff");
        assertThat(t.exitCode()).as(t.toString()).isZero();
        try (TiffReader reader = TiffReader.open(tiff)) {
            assertThat(reader.pageCount()).isEqualTo(2);
            for (int i = 0; i < 2; i++) assertThat(reader.readPage(i).page().firstDifferentRow(pages.get(i))).as("page %d", i + 1).isEqualTo(-1);
        }

        Path pdf = dir.resolve("fax.pdf");
        Cli.Result p = Cli.run(env, "fetch", id, "--out", pdf.toString());
        assertThat(p.exitCode()).as(p.toString()).isZero();
        assertThat(new String(Files.readAllBytes(pdf), 0, 5, StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
        try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.Loader.loadPDF(pdf.toFile())) {
            assertThat(doc.getNumberOfPages()).isEqualTo(2);
        }

        Path png = dir.resolve("fax.png");
        Cli.Result g = Cli.run(env, "fetch", id, "--out", png.toString(), "--format", "png");
        assertThat(g.exitCode()).as(g.toString()).isZero();
        assertThat(dir.resolve("fax-1.png")).exists();
        assertThat(dir.resolve("fax-2.png")).exists();

        // A user does not see Unaddressed: the same id is simply not found.
        Path pw = dir.resolve("alice.pw");
        Files.writeString(pw, "alice-password-1\n");
        Map<String, String> alice = env("alice", null);
        Cli.Result denied = Cli.run(alice, "fetch", id, "--out", dir.resolve("x.tif").toString(), "--password-file", pw.toString());
        assertThat(denied.exitCode()).as(denied.toString()).isEqualTo(5);
        assertThat(denied.err()).contains("NOT_FOUND");
    }

    @Test
    void aRuleThatForwardsQueuesAJobWithTheReceivedFax() throws Exception {
        try (FaxlanClient admin = client("admin", ADMIN_PW)) {
            Route fwd = admin.addRoute(new Route.Match("300", null, null, null, null), "admin", 1, "+1 555 0999");
            assertThat(fwd.forward()).isEqualTo("+15550999");
            long id = receive("300");
            assertThat(admin.receivedFax(id).mailbox()).isEqualTo("admin");
            Job job = admin.jobs(false).stream().filter(j -> j.to().equals("+15550999")).findFirst().orElseThrow();
            assertThat(job.subject()).isEqualTo("fax " + id + " from SENDER");
            // No line takes +1 555 0999 here, so the forward waits in the queue like any job.
            assertThat(job.state()).isEqualTo("queued");
            admin.cancel(job.id());
            admin.removeRoute(fwd.id());
        }
    }

    @Test
    void routerCommandsAddListTestAndRemoveRules() throws Exception {
        Map<String, String> env = env("admin", ADMIN_PW);
        Cli.Result add = Cli.run(env, "router", "add", "--did", "555*", "--mailbox", "bob", "--json");
        assertThat(add.exitCode()).as(add.toString()).isZero();
        String id = JSON.readTree(add.out()).path("id").asText();
        assertThat(id).as(add.toString()).isNotEmpty();
        Cli.Result first = Cli.run(env, "router", "add", "--csid", "ACME", "--line", "trunk1", "--mailbox", "alice", "--position", "1");
        assertThat(first.exitCode()).as(first.toString()).isZero();

        Cli.Result list = Cli.run(env, "router", "list");
        assertThat(list.out()).contains("MAILBOX").contains("555*").contains("ACME");
        assertThat(list.out().indexOf("ACME")).isLessThan(list.out().indexOf("555*"));

        Cli.Result hit = Cli.run(env, "router", "test", "--did", "5551234", "--json");
        JsonNode hitJson = JSON.readTree(hit.out());
        assertThat(hitJson.path("mailbox").asText()).isEqualTo("bob");
        assertThat(hitJson.path("route").path("id").asText()).isEqualTo(id);
        Cli.Result miss = Cli.run(env, "router", "test", "--did", "999");
        assertThat(miss.out()).contains("no rule matches -> Unaddressed");

        Cli.Result bad = Cli.run(env, "router", "add", "--did", "5*5", "--mailbox", "bob");
        assertThat(bad.exitCode()).isEqualTo(5);
        assertThat(bad.err()).contains("BAD_REQUEST");

        Path pw = dir.resolve("bob.pw");
        Files.writeString(pw, "bob-password-1\n");
        Cli.Result notAdmin = Cli.run(env("bob", null), "router", "list", "--password-file", pw.toString());
        assertThat(notAdmin.exitCode()).isEqualTo(5);
        assertThat(notAdmin.err()).contains("PERMISSION_DENIED");

        List<String> ids = new ArrayList<>();
        for (JsonNode rule : JSON.readTree(Cli.run(env, "router", "list", "--json").out())) ids.add(rule.path("id").asText());
        for (String rid : ids) assertThat(Cli.run(env, "router", "remove", rid).exitCode()).isZero();
        assertThat(Cli.run(env, "router", "list").out()).contains("no rules");
    }

    private static Map<String, String> env(String user, String password) {
        Map<String, String> env = new HashMap<>();
        env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        env.put("FAXLAN_SERVER", "127.0.0.1:" + server.port());
        env.put("FAXLAN_USER", user);
        if (password != null) env.put("FAXLAN_PASSWORD", password);
        return env;
    }
}
