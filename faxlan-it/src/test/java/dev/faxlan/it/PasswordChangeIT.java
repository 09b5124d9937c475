package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code faxlan user passwd} for one's own account needs the current password; an administrator changing another's does not. */
class PasswordChangeIT {
    @TempDir
    Path dir;

    @Test
    void ownPasswordNeedsTheCurrentOne() throws Exception {
        try (FaxlanServer server = FaxlanServer.start(ServerConfig.defaults().withDataDir(dir.resolve("data"))
                .withBind(new InetSocketAddress("127.0.0.1", 0)).withName("passwd-it").withAdminPassword("admin-password-1"))) {
            Map<String, String> env = new HashMap<>();
            env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
            env.put("FAXLAN_SERVER", "127.0.0.1:" + server.port());
            env.put("FAXLAN_USER", "admin");
            env.put("FAXLAN_PASSWORD", "admin-password-1");
            assertThat(Cli.run(env, "user", "add", "mia", "--new-password-file", file("mia", "mia-password-1")).exitCode()).isZero();

            Map<String, String> mia = new HashMap<>(env);
            mia.put("FAXLAN_USER", "mia");
            mia.put("FAXLAN_PASSWORD", "mia-password-1");
            // No terminal and no --current-password-file: a usage error, nothing changed.
            Cli.Result noCurrent = Cli.run(mia, "user", "passwd", "--new-password-file", file("new", "mia-password-2"));
            assertThat(noCurrent.exitCode()).as(noCurrent.toString()).isEqualTo(2);
            assertThat(noCurrent.err()).contains("--current-password-file");
            Cli.Result wrong = Cli.run(mia, "user", "passwd", "--current-password-file", file("wrong", "not-my-password"),
                    "--new-password-file", file("new", "mia-password-2"));
            assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(3);
            assertThat(wrong.err().strip().lines()).hasSize(1);
            Cli.Result changed = Cli.run(mia, "user", "passwd", "--current-password-file", file("current", "mia-password-1"),
                    "--new-password-file", file("new", "mia-password-2"));
            assertThat(changed.exitCode()).as(changed.toString()).isZero();
            mia.put("FAXLAN_PASSWORD", "mia-password-2");
            assertThat(Cli.run(mia, "jobs").exitCode()).isZero();

            // The administrator sets another user's password without knowing it.
            Cli.Result reset = Cli.run(env, "user", "passwd", "mia", "--new-password-file", file("reset", "mia-password-3"));
            assertThat(reset.exitCode()).as(reset.toString()).isZero();
            mia.put("FAXLAN_PASSWORD", "mia-password-3");
            assertThat(Cli.run(mia, "jobs").exitCode()).isZero();
        }
    }

    @Test
    void aShortAdministratorPasswordStopsTheServerCommandWithOneLine() throws Exception {
        Cli.Result r = Cli.run(Map.of("FAXLAN_ADMIN_PASSWORD", "secret7"), 60, "server", "--data", dir.resolve("data").toString(),
                "--bind", "127.0.0.1", "--port", "0");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("FAXLAN_ADMIN_PASSWORD has 7 characters").contains("8 to 1024").doesNotContain("secret7");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    private String file(String name, String content) throws Exception {
        Path p = dir.resolve(name + ".pw");
        Files.writeString(p, content + "\n");
        return p.toString();
    }
}
