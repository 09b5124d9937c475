package dev.faxlan.deb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.testkit.ExternalTool;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, acceptance: the .deb installs with {@code dpkg -i} on a clean Debian root (an mmdebstrap
 * chroot with the Java runtime from apt); with no systemd there, the unit's {@code ExecStart} runs as
 * the {@code faxlan} user, and the installed {@code faxlan} command sends a fax through the installed
 * server's loopback line ({@code faxlan demo} would start a server of its own, so it proves less).
 */
class DebInstallIT {
    private static final Pattern EXEC_START = Pattern.compile("(?m)^ExecStart=(.+)$");
    private static final Pattern LISTENING = Pattern.compile("\"event\":\"listening\".*\"cpi\":\"udp /?127\\.0\\.0\\.1:(\\d+)\".*\"metrics\":\"(http://[^\"]+)\"");

    @TempDir
    Path dir;

    @Test
    void installsRunsAsTheFaxlanUserSendsAFaxAndKeepsTheDataOnPurge() throws Exception {
        ExternalTool.require("chroot", "GNU coreutils");
        if (!"0".equals(CleanRoot.run(List.of("id", "-u")).strip())) throw ExternalTool.unavailable("installing into a chroot needs root");
        Path target = Path.of("target").toAbsolutePath();
        Path deb;
        try (Stream<Path> s = Files.list(target)) {
            deb = s.filter(p -> p.getFileName().toString().matches("faxlan_.*_amd64\\.deb")).findFirst()
                    .orElseThrow(() -> new AssertionError("no faxlan_*_amd64.deb in " + target + ": run 'package' first"));
        }
        long t0 = System.nanoTime();
        Path tarball = CleanRoot.tarball(target);
        long t1 = System.nanoTime();
        Path root = CleanRoot.unpack(tarball, dir.resolve("root"));
        long t2 = System.nanoTime();
        try (CleanRoot.Mounted itself = CleanRoot.Mounted.itself(root); CleanRoot.Mounted proc = CleanRoot.Mounted.proc(root)) {
            Files.copy(deb, root.resolve("tmp/faxlan.deb"));
            CleanRoot.run(List.of("chroot", root.toString(), "dpkg", "-i", "/tmp/faxlan.deb"));
            long t3 = System.nanoTime();

            // The user, the layout, owners and modes.
            String passwd = inRoot(root, "getent", "passwd", "faxlan");
            assertThat(passwd).contains(":/var/lib/faxlan:/usr/sbin/nologin");
            assertThat(stat(root, "/var/lib/faxlan")).isEqualTo("faxlan faxlan 700");
            assertThat(stat(root, "/var/log/faxlan")).isEqualTo("faxlan adm 750");
            assertThat(stat(root, "/etc/faxlan")).isEqualTo("root faxlan 750");
            assertThat(stat(root, "/etc/faxlan/faxlan.properties")).isEqualTo("root faxlan 640");
            assertThat(stat(root, "/etc/default/faxlan")).isEqualTo("root root 600");
            assertThat(stat(root, "/usr/bin/faxlan")).isEqualTo("root root 755");
            assertThat(Files.exists(root.resolve("usr/share/faxlan/faxlan.jar"))).isTrue();
            assertThat(inRoot(root, "dpkg-query", "-W", "-f", "${Conffiles}", "faxlan")).contains("/etc/faxlan/faxlan.properties");
            String unit = Files.readString(root.resolve("lib/systemd/system/faxlan.service"));
            assertThat(unit).contains("User=faxlan").contains("NoNewPrivileges=yes").contains("ProtectSystem=strict").contains("CapabilityBoundingSet=\n")
                    .doesNotContain("\nMemoryDenyWriteExecute");

            // No fixed ports on a shared machine: the system picks them, the server prints them.
            Path properties = root.resolve("etc/faxlan/faxlan.properties");
            Files.writeString(properties, Files.readString(properties).replace("port=4644", "port=0\nbind=127.0.0.1")
                    .replace("metrics.listen=127.0.0.1:9464", "metrics.listen=127.0.0.1:0"));
            String password = Files.readString(root.resolve("etc/default/faxlan")).lines().filter(l -> l.startsWith("FAXLAN_ADMIN_PASSWORD="))
                    .findFirst().orElseThrow().substring("FAXLAN_ADMIN_PASSWORD=".length());
            Matcher exec = EXEC_START.matcher(unit);
            assertThat(exec.find()).isTrue();
            String[] ids = passwd.strip().split(":");
            Path log = root.resolve("var/log/faxlan/faxlan.log");
            // As systemd would: the faxlan user, the unit's environment file, its umask, output appended to the log.
            ProcessBuilder pb = new ProcessBuilder("chroot", "--userspec=" + ids[2] + ":" + ids[3], root.toString(), "/bin/sh", "-c",
                    "umask 077; exec " + exec.group(1)).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectErrorStream(true).redirectInput(new File("/dev/null"));
            pb.environment().clear();
            pb.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
            pb.environment().put("FAXLAN_ADMIN_PASSWORD", password);
            Process server = pb.start();
            try {
                String[] found = new String[2];
                Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    if (!server.isAlive()) throw new AssertionError("the server exited with " + server.exitValue() + ":\n" + Files.readString(log));
                    Matcher m = LISTENING.matcher(Files.readString(log));
                    if (!m.find()) return false;
                    found[0] = m.group(1);
                    found[1] = m.group(2);
                    return true;
                });
                long t4 = System.nanoTime();
                // chroot and the shell exec the JVM, so the process started is the server.
                assertThat(Files.readString(Path.of("/proc", Long.toString(server.pid()), "status")).lines().filter(l -> l.startsWith("Uid:"))
                        .findFirst().orElseThrow().split("\\s+")[1]).as("the server's user id").isEqualTo(ids[2]);

                Files.writeString(root.resolve("tmp/letter.txt"), "Installed from the package.\n");
                List<String> submit = new ArrayList<>(List.of("chroot", root.toString(), "/usr/bin/faxlan", "submit", "--to", "0000", "--wait",
                        "/tmp/letter.txt"));
                ProcessBuilder client = new ProcessBuilder(submit).redirectErrorStream(true).redirectInput(new File("/dev/null"));
                client.environment().clear();
                client.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
                client.environment().put("FAXLAN_SERVER", "127.0.0.1:" + found[0]);
                client.environment().put("FAXLAN_USER", "admin");
                client.environment().put("FAXLAN_PASSWORD", password);
                client.environment().put("XDG_CONFIG_HOME", "/tmp/client");
                Process c = client.start();
                String output = new String(c.getInputStream().readAllBytes());
                assertThat(c.waitFor(240, TimeUnit.SECONDS)).isTrue();
                assertThat(c.exitValue()).as(output).isZero();
                assertThat(output).contains("done (1 page(s) sent to 0000");
                long t5 = System.nanoTime();

                String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(found[1])).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).contains("faxlan_pages_sent_total 1.0");
                assertThat(Files.list(root.resolve("var/lib/faxlan"))).as("the data directory is the server's").isNotEmpty();
                assertThat(stat(root, "/var/lib/faxlan/keys")).startsWith("faxlan faxlan ");

                server.destroy(); // SIGTERM, as systemctl stop
                assertThat(server.waitFor(120, TimeUnit.SECONDS)).isTrue();
                assertThat(Files.readString(log)).contains("stopping");
                System.out.printf("DebInstallIT: %s (%d kB); clean root ready in %d s, unpacked in %d s; dpkg -i %d s; server listening after %d s;"
                        + " fax sent by the installed command in %d s%n", deb.getFileName(), Files.size(deb) >> 10, (t1 - t0) / 1_000_000_000,
                        (t2 - t1) / 1_000_000_000, (t3 - t2) / 1_000_000_000, (t4 - t3) / 1_000_000_000, (t5 - t4) / 1_000_000_000);
            } finally {
                if (server.isAlive()) server.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
            }

            // Remove keeps everything but the programs; purge removes configuration and logs, keeps the data.
            CleanRoot.run(List.of("chroot", root.toString(), "dpkg", "-r", "faxlan"));
            assertThat(Files.exists(root.resolve("usr/bin/faxlan"))).isFalse();
            assertThat(Files.exists(root.resolve("etc/faxlan/faxlan.properties"))).isTrue();
            CleanRoot.run(List.of("chroot", root.toString(), "dpkg", "-P", "faxlan"));
            assertThat(Files.exists(root.resolve("etc/faxlan"))).isFalse();
            assertThat(Files.exists(root.resolve("var/log/faxlan"))).isFalse();
            assertThat(Files.isDirectory(root.resolve("var/lib/faxlan/keys"))).as("data kept on purge").isTrue();
        } finally {
            CleanRoot.run(List.of("rm", "-rf", "--one-file-system", root.toString()));
        }
    }

    private static String inRoot(Path root, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("chroot", root.toString()));
        cmd.addAll(List.of(command));
        return CleanRoot.run(cmd);
    }

    private static String stat(Path root, String path) throws IOException, InterruptedException {
        return inRoot(root, "stat", "-c", "%U %G %a", path).strip();
    }
}
