package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faxlan.protocol.Fingerprint;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The faxlan command against a real server on loopback: exit codes, output, saved servers, pinning. */
class CliIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN_PW = "cli-admin-pw-1";
    @TempDir
    Path dir;
    FaxlanServer server;
    Map<String, String> env;

    @BeforeEach
    void start() throws Exception {
        server = TestTrunk.startWithFastLoopback(ServerConfig.defaults().withDataDir(dir.resolve("data"))
                .withBind(new InetSocketAddress("127.0.0.1", 0)).withName("cli-it").withAdminPassword(ADMIN_PW));
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

    /** The objects of a command's --json array, parsed. */
    static List<JsonNode> items(Cli.Result r) throws Exception {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode array = JSON.readTree(r.out());
        assertThat(array.isArray()).as(r.toString()).isTrue();
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    /** An object's field names in the order the text has them. */
    static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void discoverByProbeAddAndListSavedServers() throws Exception {
        Cli.Result found = Cli.run(env, "servers", "--discover", "--broadcast", "127.0.0.1", "--port", String.valueOf(server.port()), "--json");
        assertThat(found.exitCode()).as(found.toString()).isZero();
        assertThat(items(found)).singleElement().satisfies(f -> {
            assertThat(f.path("name").asText()).isEqualTo("cli-it");
            assertThat(f.path("fingerprint").asText()).isEqualTo(Fingerprint.format(server.fingerprint()));
        });

        Cli.Result added = Cli.run(env, "servers", "--add", "127.0.0.1:" + server.port());
        assertThat(added.exitCode()).as(added.toString()).isZero();
        assertThat(added.out()).contains("cli-it").contains(Fingerprint.format(server.fingerprint()));
        assertThat(Files.readString(dir.resolve("config/faxlan/servers"))).contains(Fingerprint.format(server.fingerprint()));

        Cli.Result list = Cli.run(env, "servers");
        assertThat(list.out()).contains("127.0.0.1:" + server.port()).contains("cli-it");

        Cli.Result removed = Cli.run(env, "servers", "--remove", "127.0.0.1:" + server.port());
        assertThat(removed.exitCode()).isZero();
        assertThat(Cli.run(env, "servers").out()).contains("no saved servers");
    }

    @Test
    void phonebookNamesWorkAsRecipients() throws Exception {
        assertThat(Cli.run(env, "servers", "--add", "127.0.0.1:" + server.port()).exitCode()).isZero();
        Cli.Result added = Cli.run(env, "phonebook", "add", "Acme Legal", "--company", "Acme", "--fax", "+1 555 0400", "--shared");
        assertThat(added.exitCode()).as(added.toString()).isZero();
        assertThat(added.out()).contains("Acme Legal").contains("+15550400").contains("shared");
        Cli.Result list = Cli.run(env, "phonebook", "list", "--json");
        JsonNode acme = items(list).stream().filter(k -> k.path("name").asText().equals("Acme Legal")).findFirst().orElseThrow();
        assertThat(acme.path("fax").asText()).isEqualTo("+15550400");
        Path doc = dir.resolve("note.txt");
        Files.writeString(doc, "note\n");
        Cli.Result submit = Cli.run(env, "submit", "--to", "acme legal", "--at", TestTrunk.LATER, "--json", doc.toString());
        assertThat(submit.exitCode()).as(submit.toString()).isZero();
        assertThat(items(submit)).extracting(j -> j.path("to").asText()).containsExactly("+15550400");
        Cli.Result unknown = Cli.run(env, "submit", "--to", "Nobody", doc.toString());
        assertThat(unknown.exitCode()).isEqualTo(5);
        assertThat(unknown.err()).contains("neither a fax number nor a name in your phonebook");
        String id = acme.path("id").asText();
        assertThat(Cli.run(env, "phonebook", "remove", id).exitCode()).isZero();
        assertThat(Cli.run(env, "phonebook", "list").out()).contains("the phonebook is empty");
    }

    @Test
    void coverPagesAreListedShownStoredAndRendered() throws Exception {
        assertThat(Cli.run(env, "servers", "--add", "127.0.0.1:" + server.port()).exitCode()).isZero();
        assertThat(Cli.run(env, "cover", "list").out()).contains("classic").contains("modern").contains("built-in");
        Cli.Result classic = Cli.run(env, "cover", "show", "classic");
        assertThat(classic.exitCode()).as(classic.toString()).isZero();
        Path mine = dir.resolve("mine.cover");
        Files.writeString(mine, classic.out());
        Cli.Result put = Cli.run(env, "cover", "put", "letterhead", mine.toString());
        assertThat(put.exitCode()).as(put.toString()).isZero();
        JsonNode covers = JSON.readTree(Cli.run(env, "cover", "list", "--json").out());
        assertThat(covers.findValuesAsText("name")).contains("letterhead", "classic");
        // Users diff and grep this output: its fields come in one order, whichever JVM printed it.
        assertThat(covers).allSatisfy(c -> assertThat(fieldNames(c)).containsExactly("name", "kind"));
        assertThat(java.util.stream.StreamSupport.stream(covers.spliterator(), false)
                .filter(c -> c.path("name").asText().equals("letterhead")).map(c -> c.path("kind").asText())).containsExactly("own");
        assertThat(Cli.run(env, "cover", "show", "letterhead").out()).isEqualTo(classic.out());

        Path broken = dir.resolve("broken.cover");
        Files.writeString(broken, "this is not a cover page statement\n");
        Cli.Result bad = Cli.run(env, "cover", "put", "broken", broken.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err().strip().lines()).hasSize(1);

        Path doc = dir.resolve("letter.txt");
        Files.writeString(doc, "letter\n");
        assertThat(Cli.run(env, "submit", "--to", "+15550500", "--at", TestTrunk.LATER, "--cover", "letterhead", doc.toString()).exitCode()).isZero();
        Cli.Result unknown = Cli.run(env, "submit", "--to", "+15550500", "--cover", "no-such-cover", doc.toString());
        assertThat(unknown.exitCode()).isEqualTo(5);
        assertThat(unknown.err()).contains("no cover page no-such-cover");

        Path png = dir.resolve("preview.png");
        Cli.Result render = Cli.run(env, "cover", "render", "letterhead", "--out", png.toString(), "--field", "to=Acme Legal", "--field", "subject=Offer");
        assertThat(render.exitCode()).as(render.toString()).isZero();
        assertThat(Files.readAllBytes(png)).startsWith(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    }

    @Test
    void sharedMailboxesTakeMembersAndRoutedFaxes() throws Exception {
        assertThat(Cli.run(env, "servers", "--add", "127.0.0.1:" + server.port()).exitCode()).isZero();
        assertThat(Cli.run(env, "user", "add", "carol", "--new-password-file", writePassword("carol-password-1")).exitCode()).isZero();
        Cli.Result add = Cli.run(env, "mailbox", "add", "Legal");
        assertThat(add.exitCode()).as(add.toString()).isZero();
        assertThat(Cli.run(env, "mailbox", "add", "carol").exitCode()).as("a user's name is taken").isEqualTo(5);
        assertThat(Cli.run(env, "mailbox", "member-add", "Legal", "carol").exitCode()).isZero();
        JsonNode legal = java.util.stream.StreamSupport.stream(JSON.readTree(Cli.run(env, "mailbox", "list", "--json").out()).spliterator(), false)
                .filter(m -> m.path("name").asText().equals("Legal")).findFirst().orElseThrow();
        assertThat(legal.path("kind").asText()).isEqualTo("shared");
        assertThat(legal.path("members").toString()).isEqualTo("[\"carol\"]");
        Cli.Result rule = Cli.run(env, "router", "add", "--did", "0000", "--mailbox", "Legal", "--json");
        assertThat(rule.exitCode()).as(rule.toString()).isZero();
        Cli.Result busy = Cli.run(env, "mailbox", "remove", "Legal");
        assertThat(busy.exitCode()).isEqualTo(5);
        assertThat(busy.err()).contains("remove them first");
        String ruleId = JSON.readTree(rule.out()).path("id").asText();
        assertThat(Cli.run(env, "router", "remove", ruleId).exitCode()).isZero();
        assertThat(Cli.run(env, "mailbox", "remove", "Legal").exitCode()).isZero();
        assertThat(Cli.run(env, "mailbox", "list").out()).doesNotContain("Legal").contains("Unaddressed");
    }

    @Test
    void wrongPasswordExitsThreeWithOneLine() throws Exception {
        assertThat(Cli.run(env, "servers", "--add", "127.0.0.1:" + server.port()).exitCode()).isZero();
        env.put("FAXLAN_PASSWORD", "not-the-password");
        Cli.Result r = Cli.run(env, "jobs");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).startsWith("faxlan: ").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void unreachableServerExitsFour() throws Exception {
        env.put("FAXLAN_SERVER", "127.0.0.1:9");
        Cli.Result r = Cli.run(env, "jobs", "--timeout", "3");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).startsWith("faxlan: no answer from 127.0.0.1:9");
    }

    @Test
    void usageErrorExitsTwo() throws Exception {
        Cli.Result r = Cli.run(env, "submit", "--to");
        assertThat(r.exitCode()).isEqualTo(2);
        Cli.Result noFile = Cli.run(env, "submit", "--to", "123", dir.resolve("missing.pdf").toString());
        assertThat(noFile.exitCode()).isEqualTo(2);
        assertThat(noFile.err()).contains("no such file");
    }

    @Test
    void submitListShowCancelAsUser() throws Exception {
        Path pw = dir.resolve("bob.pw");
        Files.writeString(pw, "bob-password-1\n");
        Cli.Result add = Cli.run(env, "user", "add", "bob", "--new-password-file", pw.toString());
        assertThat(add.exitCode()).as(add.toString()).isZero();

        Map<String, String> bob = new HashMap<>(env);
        bob.remove("FAXLAN_PASSWORD");
        bob.put("FAXLAN_USER", "bob");
        Path doc = dir.resolve("memo.txt");
        Files.writeString(doc, "memo\n");
        Cli.Result submit = Cli.run(bob, "submit", "--password-file", pw.toString(), "--to", "+1 555-0199", "--at", TestTrunk.LATER, "--subject", "memo",
                doc.toString());
        assertThat(submit.exitCode()).as(submit.toString()).isZero();
        long id = Long.parseLong(submit.out().strip());

        Cli.Result jobs = Cli.run(bob, "jobs", "--password-file", pw.toString(), "--json");
        assertThat(items(jobs)).singleElement().satisfies(j -> {
            assertThat(j.path("id").asLong()).isEqualTo(id);
            assertThat(j.path("state").asText()).isEqualTo("queued");
            assertThat(j.path("to").asText()).isEqualTo("+15550199");
        });
        Cli.Result job = Cli.run(bob, "job", String.valueOf(id), "--password-file", pw.toString());
        assertThat(job.out()).contains("subject:").contains("memo").contains("queued");
        Cli.Result cancel = Cli.run(bob, "cancel", String.valueOf(id), "--password-file", pw.toString());
        assertThat(cancel.exitCode()).isZero();
        assertThat(cancel.out()).contains("cancelled");
        Cli.Result again = Cli.run(bob, "cancel", String.valueOf(id), "--password-file", pw.toString());
        assertThat(again.exitCode()).isEqualTo(5);
        assertThat(again.err()).contains("CONFLICT");

        Cli.Result notAdmin = Cli.run(bob, "user", "list", "--password-file", pw.toString());
        assertThat(notAdmin.exitCode()).isEqualTo(5);
        assertThat(notAdmin.err()).contains("PERMISSION_DENIED");
        Cli.Result users = Cli.run(env, "user", "list", "--json");
        assertThat(items(users)).extracting(u -> u.path("name").asText()).contains("bob", "admin");
    }

    @Test
    void changedServerIdentityIsRefused() throws Exception {
        Cli.Result add = Cli.run(env, "servers", "--add", "127.0.0.1:" + server.port());
        assertThat(add.exitCode()).as(add.toString()).isZero();
        int port = server.port();
        server.close();
        // Another server (new identity) now answers on the same address.
        server = FaxlanServer.start(ServerConfig.defaults().withDataDir(dir.resolve("impostor"))
                .withBind(new InetSocketAddress("127.0.0.1", port)).withName("impostor").withAdminPassword(ADMIN_PW));
        Cli.Result r = Cli.run(env, "jobs", "--timeout", "10");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("not the pinned").contains(Fingerprint.format(server.fingerprint()));
    }

    @Test
    void alertPrintsEventsAsJsonLines() throws Exception {
        Path doc = dir.resolve("a.txt");
        Files.writeString(doc, "a\n");
        ProcessBuilder apb = new ProcessBuilder(concat(Cli.javaCommand(), "alert", "--json", "--count", "2", "--from", "0"));
        apb.environment().putAll(env);
        Process alert = apb.redirectError(ProcessBuilder.Redirect.INHERIT).start();
        alert.getOutputStream().close();
        Process p = alert;
        try {
            // The alert client starts from 0, so events appended before it connects still arrive.
            var submit = Cli.run(env, "submit", "--to", "+15550100", "--to", "+15550101", "--at", TestTrunk.LATER, doc.toString());
            assertThat(submit.exitCode()).as(submit.toString()).isZero();
            assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(out.lines()).hasSize(2).allSatisfy(l -> assertThat(JSON.readTree(l).path("state").asText()).isEqualTo("queued"));
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    private String writePassword(String pw) throws Exception {
        Path f = Files.createTempFile(dir, "pw", ".txt");
        Files.writeString(f, pw + "\n");
        return f.toString();
    }

    private static String[] concat(java.util.List<String> a, String... b) {
        java.util.List<String> all = new java.util.ArrayList<>(a);
        all.addAll(java.util.List.of(b));
        return all.toArray(new String[0]);
    }

    @Test
    void firewallRulesNameTheServerAndPort() throws Exception {
        Cli.Result nft = Cli.run(env, "firewall", "--server", "192.0.2.10");
        assertThat(nft.out()).contains("ip daddr 192.0.2.10 udp dport 4644 accept").contains("ip saddr 192.0.2.10 udp sport 4644 accept");
        Cli.Result ipt = Cli.run(env, "firewall", "--server", "192.0.2.10", "--format", "iptables");
        assertThat(ipt.out()).contains("*filter").contains(":FORWARD DROP").contains("-A FORWARD -d 192.0.2.10 -p udp --dport 4644 -m comment").endsWith("COMMIT\n");
    }
}
