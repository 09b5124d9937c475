package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code faxlan apikey create|list|revoke} as a process against a real server, and commands logged in with the key. */
class ApiKeyCliIT {
    static final String ADMIN_PW = "apikey-admin-pw-1";
    @TempDir
    Path dir;
    FaxlanServer server;
    Map<String, String> admin;
    Map<String, String> carol;

    @BeforeEach
    void start() throws Exception {
        server = FaxlanServer.start(ServerConfig.defaults().withDataDir(dir.resolve("data"))
                .withBind(new InetSocketAddress("127.0.0.1", 0)).withName("apikey-cli-it").withAdminPassword(ADMIN_PW));
        admin = new HashMap<>();
        admin.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        admin.put("FAXLAN_SERVER", "127.0.0.1:" + server.port());
        admin.put("FAXLAN_USER", "admin");
        admin.put("FAXLAN_PASSWORD", ADMIN_PW);
        // The first command saves the server's identity (a notice on stderr); later ones print only their own.
        Cli.Result added = Cli.run(admin, "user", "add", "carol", "--new-password-file", file("carol.pw", "carol-password-1"));
        assertThat(added.exitCode()).as(added.toString()).isZero();
        carol = new HashMap<>(admin);
        carol.put("FAXLAN_USER", "carol");
        carol.put("FAXLAN_PASSWORD", "carol-password-1");
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void aKeyIsPrintedOnceThenLogsInUntilRevoked() throws Exception {
        Cli.Result created = Cli.run(carol, "apikey", "create", "nightly export");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        String key = created.out().strip();
        assertThat(created.out().lines()).as("stdout is the key alone").hasSize(1);
        assertThat(key).matches("fxk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}");
        assertThat(created.err().strip().lines()).as(created.toString()).hasSize(1);
        assertThat(created.err()).contains("cannot be shown again").contains(key.substring(0, 20)).doesNotContain(key);

        // Logged in with the key alone: no user, no password.
        Map<String, String> program = new HashMap<>(admin);
        program.remove("FAXLAN_USER");
        program.remove("FAXLAN_PASSWORD");
        program.put("FAXLAN_API_KEY", key);
        Cli.Result jobs = Cli.run(program, "jobs");
        assertThat(jobs.exitCode()).as(jobs.toString()).isZero();

        List<JsonNode> listed = CliIT.items(Cli.run(carol, "apikey", "list", "--json"));
        assertThat(listed).singleElement().satisfies(k -> {
            assertThat(CliIT.fieldNames(k)).containsExactly("id", "label", "user", "prefix", "created", "last_used");
            assertThat(k.path("label").asText()).isEqualTo("nightly export");
            assertThat(k.path("user").asText()).isEqualTo("carol");
            assertThat(key).startsWith(k.path("prefix").asText() + "_");
            assertThat(k.path("last_used").isNull()).as("used by the jobs command").isFalse();
        });
        long id = listed.get(0).path("id").asLong();
        Cli.Result table = Cli.run(carol, "apikey", "list");
        assertThat(table.out()).contains("nightly export").contains(key.substring(0, 20)).doesNotContain(key);

        Cli.Result revoked = Cli.run(carol, "apikey", "revoke", String.valueOf(id));
        assertThat(revoked.exitCode()).as(revoked.toString()).isZero();
        assertThat(revoked.out()).contains("revoked API key " + id);
        Cli.Result refused = Cli.run(program, "jobs");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(3);
        assertThat(refused.err().strip().lines()).hasSize(1);
        assertThat(Cli.run(carol, "apikey", "list").out()).contains("no API keys");
    }

    @Test
    void jsonKeyFilesAndAnotherUsersKeys() throws Exception {
        Cli.Result created = Cli.run(carol, "apikey", "create", "ci", "--json");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        JsonNode made = CliIT.JSON.readTree(created.out());
        assertThat(CliIT.fieldNames(made)).containsExactly("id", "label", "prefix", "key");
        String keyFile = file("ci.key", made.path("key").asText());

        // --api-key-file instead of the environment; a key file's command logs in as the key's user.
        Map<String, String> noUser = new HashMap<>(admin);
        noUser.remove("FAXLAN_USER");
        noUser.remove("FAXLAN_PASSWORD");
        Cli.Result own = Cli.run(noUser, "apikey", "list", "--json", "--api-key-file", keyFile);
        assertThat(CliIT.items(own)).extracting(k -> k.path("user").asText()).containsExactly("carol");

        // Only an administrator sees every user's keys and may revoke another's.
        Cli.Result all = Cli.run(carol, "apikey", "list", "--all");
        assertThat(all.exitCode()).as(all.toString()).isEqualTo(5);
        assertThat(all.err().strip().lines()).hasSize(1);
        assertThat(all.err()).contains("PERMISSION_DENIED");
        assertThat(Cli.run(admin, "apikey", "list", "--all").out()).contains("carol").contains(made.path("prefix").asText());
        Cli.Result adminsKey = Cli.run(admin, "apikey", "create", "admin's", "--json");
        long adminsId = CliIT.JSON.readTree(adminsKey.out()).path("id").asLong();
        Cli.Result notHers = Cli.run(carol, "apikey", "revoke", String.valueOf(adminsId));
        assertThat(notHers.exitCode()).as(notHers.toString()).isEqualTo(5);
        assertThat(notHers.err()).contains("NOT_FOUND");
        Cli.Result forCarol = Cli.run(admin, "apikey", "create", "from admin", "--for", "carol", "--json");
        assertThat(forCarol.exitCode()).as(forCarol.toString()).isZero();
        assertThat(Cli.run(carol, "apikey", "list").out()).contains("from admin");
        Cli.Result revokedByAdmin = Cli.run(admin, "apikey", "revoke", made.path("id").asText());
        assertThat(revokedByAdmin.exitCode()).as(revokedByAdmin.toString()).isZero();
        assertThat(Cli.run(noUser, "jobs", "--api-key-file", keyFile).exitCode()).isEqualTo(3);
    }

    @Test
    void badInputGetsOneLineAndAnExitCode() throws Exception {
        Cli.Result blank = Cli.run(carol, "apikey", "create", " ");
        assertThat(blank.exitCode()).as(blank.toString()).isEqualTo(5);
        assertThat(blank.err().strip().lines()).hasSize(1);
        assertThat(blank.err()).contains("label");
        Cli.Result missing = Cli.run(carol, "apikey", "revoke", "999999");
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(5);
        assertThat(missing.err()).contains("NOT_FOUND");
        Cli.Result notANumber = Cli.run(carol, "apikey", "revoke", "fxk_abc");
        assertThat(notANumber.exitCode()).as(notANumber.toString()).isEqualTo(2);
        Cli.Result noFile = Cli.run(carol, "jobs", "--api-key-file", dir.resolve("absent.key").toString());
        assertThat(noFile.exitCode()).as(noFile.toString()).isEqualTo(2);
        assertThat(noFile.err().strip().lines()).hasSize(1);
        Map<String, String> badKey = new HashMap<>(carol);
        badKey.put("FAXLAN_API_KEY", "not-a-key");
        Cli.Result wrong = Cli.run(badKey, "jobs");
        assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(3);
        assertThat(wrong.err().strip().lines()).hasSize(1);
        assertThat(blank.out() + missing.out() + wrong.err()).doesNotContain("Exception");
    }

    private String file(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content + "\n");
        return p.toString();
    }
}
