package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faxlan.engine.t4.DecodeResult;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.lines.ReceivedFax;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12, items 7-9: exit codes and messages, the files the command writes, and what it prints. */
class CliUsabilityIT {
    static final String ADMIN_PW = "usability-admin-pw-1";
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    FaxlanServer server;
    Map<String, String> env;

    @BeforeEach
    void start() throws Exception {
        server = TestTrunk.startWithFastLoopback(ServerConfig.defaults().withDataDir(dir.resolve("data"))
                .withBind(new InetSocketAddress("127.0.0.1", 0)).withName("usability").withAdminPassword(ADMIN_PW));
        env = new HashMap<>();
        env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        env.put("FAXLAN_SERVER", "127.0.0.1:" + server.port());
        env.put("FAXLAN_USER", "admin");
        env.put("FAXLAN_PASSWORD", ADMIN_PW);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private static JsonNode json(Cli.Result r) throws Exception {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return JSON.readTree(r.out());
    }

    private Path doc(String name) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, "a short letter\n");
        return f;
    }

    /** One line of error, besides the notice that a server used for the first time was saved. */
    private static void assertOneLineError(Cli.Result r) {
        List<String> lines = r.err().strip().lines().filter(l -> !l.startsWith("faxlan: new server ")).toList();
        assertThat(lines).as(r.toString()).hasSize(1);
        assertThat(lines.get(0)).startsWith("faxlan: ").doesNotContain("Exception").doesNotContain("\tat ");
    }

    // ---- item 7: exit codes and messages

    @Test
    void aThrottledLoginExitsThreeAtOnceSayingHowLongToWait() throws Exception {
        // Wrong passwords until the server throttles "admin" for long enough that the command surely starts within the wait.
        try (FaxlanClient c = FaxlanClient.builder().server(server.address()).user("admin").password("wrong-password".toCharArray())
                .timeout(Duration.ofSeconds(10)).build()) {
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
                try {
                    c.login();
                    return false;
                } catch (FaxlanException.AuthenticationFailed e) {
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("try again in (\\d+) s").matcher(e.getMessage());
                    return m.find() && Integer.parseInt(m.group(1)) >= 15;
                }
            });
        }
        Cli.Result r = Cli.run(env, "jobs", "--timeout", "20");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.err()).contains("try again in").doesNotContain("no answer");
        assertOneLineError(r);
    }

    @Test
    void anUnresolvableHostFailsAtOnceNamingIt() throws Exception {
        env.put("FAXLAN_SERVER", "no-such-host.invalid");
        Cli.Result r = Cli.run(env, "jobs", "--timeout", "20");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).isEqualTo("faxlan: cannot resolve no-such-host.invalid\n");
    }

    @Test
    void aDirectoryGivenAsADocumentIsCalledADirectory() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("letters"));
        Cli.Result r = Cli.run(env, "submit", "--to", "0000", folder.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains(folder + " is a directory");
        assertOneLineError(r);
    }

    @Test
    void aBadDocumentInConvertExitsOne() throws Exception {
        Path bad = dir.resolve("bad.pdf");
        Files.writeString(bad, "%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\n"); // a PDF cut off after its first line
        Cli.Result r = Cli.run(env, "convert", bad.toString(), "--out", dir.resolve("out.tif").toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertOneLineError(r);
    }

    @Test
    void missingCredentialsAreAUsageError() throws Exception {
        env.remove("FAXLAN_PASSWORD");
        Cli.Result r = Cli.run(env, "jobs");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("no password");
        env.put("FAXLAN_PASSWORD", ADMIN_PW);
        env.remove("FAXLAN_USER");
        Cli.Result noUser = Cli.run(env, "jobs");
        assertThat(noUser.exitCode()).as(noUser.toString()).isEqualTo(2);
        assertThat(noUser.err()).contains("no user");
    }

    @Test
    void theClientConfigFollowsHomeWithoutXdgConfigHome() throws Exception {
        env.remove("XDG_CONFIG_HOME");
        Path home = Files.createDirectory(dir.resolve("home"));
        env.put("HOME", home.toString());
        Cli.Result r = Cli.run(env, "servers", "--add", "127.0.0.1:" + server.port());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(home.resolve(".config/faxlan/servers")).exists();
    }

    // ---- item 8: files

    private static BilevelPage page() {
        BilevelPage p = new BilevelPage(1728, 300, 204, 196);
        for (int y = 40; y < 70; y++) for (int x = 100; x < 1400; x++) p.setPixel(x, y, true);
        return p;
    }

    private dev.faxlan.server.storage.ReceivedFaxes.Fax receive() throws Exception {
        ReceivedFax fax = new ReceivedFax("trunk1", "+4930111111", "100", "SENDER", "", "", List.of(new DecodeResult(page(), 0, 0)),
                System.currentTimeMillis(), 10_000, FaxResult.OK);
        return server.inbound().store(fax);
    }

    @Test
    void fetchIntoAnExistingDirectoryWritesTheFaxInsideIt() throws Exception {
        long id = receive().id();
        Path out = Files.createDirectory(dir.resolve("faxes"));
        Cli.Result r = Cli.run(env, "fetch", String.valueOf(id), "--out", out.toString(), "--format", "pdf");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(out).isDirectory();
        assertThat(out.resolve("fax-" + id + ".pdf")).exists();
        assertThat(Files.readAllBytes(out.resolve("fax-" + id + ".pdf"))).startsWith("%PDF".getBytes());
    }

    @Test
    void aFailedFetchLeavesNoPartFile() throws Exception {
        var fax = receive();
        // The stored document vanishes: the download fails after the client has begun writing.
        try (Stream<Path> docs = Files.walk(dir.resolve("data"))) {
            for (Path p : docs.filter(p -> p.getFileName().toString().equals(fax.sha256())).toList()) Files.delete(p);
        }
        Path out = Files.createDirectory(dir.resolve("fetched"));
        Cli.Result r = Cli.run(env, "fetch", String.valueOf(fax.id()), "--out", out.resolve("fax.tif").toString(), "--timeout", "5");
        assertThat(r.exitCode()).as(r.toString()).isNotZero();
        try (Stream<Path> left = Files.list(out)) {
            assertThat(left.toList()).as(r.toString()).isEmpty();
        }
    }

    @Test
    void aFormatThatContradictsTheExtensionIsRefused() throws Exception {
        Cli.Result fetch = Cli.run(env, "fetch", "1", "--format", "tiff", "--out", dir.resolve("x.pdf").toString());
        assertThat(fetch.exitCode()).as(fetch.toString()).isEqualTo(2);
        assertThat(fetch.err()).contains("x.pdf");
        assertOneLineError(fetch);
        Cli.Result render = Cli.run(env, "cover", "render", "classic", "--out", dir.resolve("preview.pdf").toString());
        assertThat(render.exitCode()).as(render.toString()).isEqualTo(2);
        assertThat(dir.resolve("preview.pdf")).doesNotExist();
    }

    // ---- item 9: output

    @Test
    void jobShowsPriorityTimeAttemptsAndDocumentNamesInOneTimestampFormat() throws Exception {
        Path memo = doc("memo.txt");
        JsonNode submitted = json(Cli.run(env, "submit", "--to", "+15550100", "--priority", "8", "--at", "2099-01-02T10:00", "--json", memo.toString()));
        long id = submitted.get(0).get("id").asLong();
        JsonNode job = json(Cli.run(env, "job", String.valueOf(id), "--json"));
        assertThat(job.get("priority").asInt()).isEqualTo(8);
        assertThat(job.get("attempts").asInt()).isZero();
        assertThat(job.get("names")).hasSize(1);
        assertThat(job.get("names").get(0).asText()).isEqualTo("memo.txt");
        OffsetDateTime at = OffsetDateTime.parse(job.get("at").asText());
        assertThat(at.toLocalDateTime()).isEqualTo(java.time.LocalDateTime.parse("2099-01-02T10:00"));
        OffsetDateTime.parse(job.get("created").asText());
        OffsetDateTime.parse(job.get("updated").asText());

        Cli.Result text = Cli.run(env, "job", String.valueOf(id));
        assertThat(text.out()).contains("memo.txt").contains("2099-01-02T10:00:00");
        Cli.Result list = Cli.run(env, "jobs");
        assertThat(list.out()).contains("memo.txt").contains("PRI");
    }

    @Test
    void alertWithCountPrintsExactlyThatManyAlerts() throws Exception {
        Path d = doc("a.txt");
        Cli.Result submit = Cli.run(env, "submit", "--to", "+15550100", "--to", "+15550101", "--to", "+15550102", "--at", "2099-01-01T00:00", d.toString());
        assertThat(submit.exitCode()).as(submit.toString()).isZero();
        Cli.Result alert = Cli.run(env, "alert", "--json", "--count", "2", "--from", "0");
        assertThat(alert.exitCode()).as(alert.toString()).isZero();
        List<String> lines = alert.out().lines().toList();
        assertThat(lines).as(alert.toString()).hasSize(2);
        for (String l : lines) assertThat(JSON.readTree(l).get("state").asText()).isEqualTo("queued");
    }

    @Test
    void cancelTakesSeveralIds() throws Exception {
        JsonNode jobs = json(Cli.run(env, "submit", "--to", "+15550100", "--to", "+15550101", "--at", "2099-01-01T00:00", "--json", doc("c.txt").toString()));
        String a = jobs.get(0).get("id").asText();
        String b = jobs.get(1).get("id").asText();
        JsonNode cancelled = json(Cli.run(env, "cancel", a, b, "--json"));
        assertThat(cancelled).hasSize(2);
        for (JsonNode j : cancelled) assertThat(j.get("state").asText()).isEqualTo("cancelled");
    }

    @Test
    void jsonWorksOnCommandsThatPrintSomething() throws Exception {
        JsonNode fw = json(Cli.run(env, "firewall", "--server", "192.0.2.10", "--json"));
        assertThat(fw.get("rules").asText()).contains("192.0.2.10");

        Path tif = dir.resolve("fax.tif");
        JsonNode converted = json(Cli.run(env, "convert", doc("letter.txt").toString(), "--out", tif.toString(), "--json"));
        assertThat(converted.get("file").asText()).isEqualTo(tif.toString());
        assertThat(converted.get("pages").asInt()).isEqualTo(1);

        JsonNode viewed = json(Cli.run(env, "view", tif.toString(), "--out", dir.resolve("fax.pdf").toString(), "--json"));
        assertThat(viewed.get("files").get(0).asText()).isEqualTo(dir.resolve("fax.pdf").toString());

        JsonNode rendered = json(Cli.run(env, "cover", "render", "classic", "--out", dir.resolve("cover.png").toString(), "--json"));
        assertThat(rendered.get("files").get(0).asText()).isEqualTo(dir.resolve("cover.png").toString());

        Path pw = dir.resolve("new.pw");
        Files.writeString(pw, "carol-password-1\n");
        assertThat(Cli.run(env, "user", "add", "carol", "--new-password-file", pw.toString()).exitCode()).isZero();
        Files.writeString(pw, "carol-password-2\n");
        JsonNode passwd = json(Cli.run(env, "user", "passwd", "carol", "--new-password-file", pw.toString(), "--json"));
        assertThat(passwd.get("user").asText()).isEqualTo("carol");
        assertThat(passwd.get("changed").asBoolean()).isTrue();
    }

    @Test
    void submitCarriesCoverFieldsAndAContactFillsToAndCompany() throws Exception {
        assertThat(Cli.run(env, "phonebook", "add", "Acme Legal", "--company", "Acme", "--fax", "+1 555 0300").exitCode()).isZero();
        JsonNode jobs = json(Cli.run(env, "submit", "--to", "Acme Legal", "--cover", "classic", "--comment", "Please sign",
                "--field", "urgent=yes", "--at", "2099-01-01T00:00", "--json", doc("offer.txt").toString()));
        JsonNode fields = jobs.get(0).get("fields");
        assertThat(fields.get("to").asText()).isEqualTo("Acme Legal");
        assertThat(fields.get("to_company").asText()).isEqualTo("Acme");
        assertThat(fields.get("comment").asText()).isEqualTo("Please sign");
        assertThat(fields.get("urgent").asText()).isEqualTo("yes");
        JsonNode again = json(Cli.run(env, "job", jobs.get(0).get("id").asText(), "--json"));
        assertThat(again.get("fields")).isEqualTo(fields);
    }

    @Test
    void submitWaitShowsTheStateChangesItSeesInOrderAndEndsDone() throws Exception {
        Cli.Result r = Cli.run(env, 180, "submit", "--to", "0000", "--wait", doc("wait.txt").toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String id = r.out().strip().split(" ")[0];
        assertThat(r.out().strip()).startsWith(id + " done");
        // The job is polled: a state shorter than the poll (a one-page fax's 'sending') may pass unseen,
        // but what is shown is each change seen, once, in the order the job went through them.
        List<String> states = r.err().lines().filter(l -> l.startsWith("job " + id + ": "))
                .map(l -> l.substring(("job " + id + ": ").length()).split(" ")[0]).toList();
        assertThat(states).as(r.toString()).startsWith("queued").endsWith("done").doesNotHaveDuplicates()
                .isSubsetOf("queued", "converting", "dialing", "sending", "done");
        List<String> order = List.of("queued", "converting", "dialing", "sending", "done");
        assertThat(states).as(r.toString()).isSortedAccordingTo(java.util.Comparator.comparingInt(order::indexOf));
    }

    @Test
    void aSavedServerIsChosenByNameAndSeveralSavedNeedAChoice() throws Exception {
        try (FaxlanServer second = FaxlanServer.start(ServerConfig.defaults().withDataDir(dir.resolve("data2"))
                .withBind(new InetSocketAddress("127.0.0.1", 0)).withName("branch").withAdminPassword(ADMIN_PW))) {
            assertThat(Cli.run(env, "servers", "--add", "127.0.0.1:" + server.port()).exitCode()).isZero();
            assertThat(Cli.run(env, "servers", "--add", "127.0.0.1:" + second.port()).exitCode()).isZero();
            env.remove("FAXLAN_SERVER");
            Cli.Result which = Cli.run(env, "jobs");
            assertThat(which.exitCode()).as(which.toString()).isEqualTo(2);
            assertThat(which.err()).contains("--server").contains("usability").contains("branch");
            assertOneLineError(which);
            Cli.Result byName = Cli.run(env, "jobs", "--server", "branch", "--json");
            assertThat(json(byName).isArray()).isTrue();
        }
    }

    @Test
    void aSecondServerOnADataDirectoryInUseSaysSo() throws Exception {
        Cli.Result r = Cli.run(env, 60, "server", "--data", dir.resolve("data").toString(), "--port", "0", "--bind", "127.0.0.1");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("in use by another faxlan server").doesNotContain("Database may be already in use");
        assertOneLineError(r);
    }

    /** The page a received fax starts with, as the far end saw it. */
    private BilevelPage firstPageOfFax(FaxlanClient admin, int expectedFaxes) throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> admin.inbox(null, false).size() == expectedFaxes);
        long id = admin.inbox(null, false).get(0).id(); // newest first
        Path tiff = dir.resolve("received-" + id + ".tif");
        admin.fetch(id, tiff, bytes -> {});
        try (dev.faxlan.engine.tiff.TiffReader r = dev.faxlan.engine.tiff.TiffReader.open(tiff)) {
            return r.readPage(0).page();
        }
    }

    @Test
    void theCoverPageSentCarriesTheContactsToAndCompanyAndTheGivenFields() throws Exception {
        assertThat(Cli.run(env, "phonebook", "add", "Acme Legal", "--company", "Acme", "--fax", "0000").exitCode()).isZero();
        Path letter = doc("cover-letter.txt");
        try (FaxlanClient admin = FaxlanClient.builder().server(server.address()).user("admin").password(ADMIN_PW.toCharArray())
                .timeout(Duration.ofSeconds(20)).build()) {
            Cli.Result plain = Cli.run(env, 180, "submit", "--to", "0000", "--cover", "classic", "--wait", letter.toString());
            assertThat(plain.exitCode()).as(plain.toString()).isZero();
            BilevelPage withoutName = firstPageOfFax(admin, 1);
            Cli.Result byContact = Cli.run(env, 180, "submit", "--to", "Acme Legal", "--cover", "classic", "--wait", letter.toString());
            assertThat(byContact.exitCode()).as(byContact.toString()).isZero();
            BilevelPage fromContact = firstPageOfFax(admin, 2);
            Cli.Result byFields = Cli.run(env, 180, "submit", "--to", "0000", "--cover", "classic", "--field", "to=Acme Legal",
                    "--field", "to_company=Acme", "--wait", letter.toString());
            assertThat(byFields.exitCode()).as(byFields.toString()).isZero();
            BilevelPage fromFields = firstPageOfFax(admin, 3);

            assertThat(fromContact.firstDifferentRow(withoutName)).as("the contact's name and company are on the cover page").isNotEqualTo(-1);
            assertThat(fromContact.firstDifferentRow(fromFields)).as("exactly as if given with --field").isEqualTo(-1);
        }
    }
}
