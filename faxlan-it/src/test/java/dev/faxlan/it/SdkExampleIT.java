package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK example in docs/ compiles and runs against a real server, as its comment says. */
class SdkExampleIT {
    @TempDir
    Path dir;

    @Test
    void submitAndWaitExampleRuns() throws Exception {
        Path example = Path.of("..", "docs", "examples", "SubmitAndWait.java").toAbsolutePath().normalize();
        assertThat(example).exists();
        try (FaxlanServer server = FaxlanServer.start(ServerConfig.defaults().withDataDir(dir.resolve("data"))
                .withBind(new InetSocketAddress("127.0.0.1", 0)).withName("example").withAdminPassword("example-admin-1"))) {
            Path doc = dir.resolve("page.txt");
            Files.writeString(doc, "hello\n");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Cli.Result r = Cli.exec(List.of(java, "-cp", System.getProperty("java.class.path"), example.toString(),
                    "127.0.0.1:" + server.port(), "admin", "0000", doc.toString()),
                    Map.of("FAXLAN_PASSWORD", "example-admin-1", "XDG_CONFIG_HOME", dir.resolve("cfg").toString()), 120);
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).containsPattern("submitted job \\d+ \\(queued\\)").containsPattern("alert #\\d+: job \\d+ is queued")
                    .containsPattern("alert #\\d+: job \\d+ is dialing").containsPattern("alert #\\d+: job \\d+ is done");
        }
    }
}
