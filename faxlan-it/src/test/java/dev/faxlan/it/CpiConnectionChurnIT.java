package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients opened, used and closed one after another from one address, as a shell loop of
 * {@code faxlan submit} or a gateway does: a closed connection must stop counting against the
 * server's per-address limit (64 by default) at once, not only when the server's idle timeout ends it.
 */
class CpiConnectionChurnIT {
    static final String ADMIN_PW = "admin-secret-1";
    @TempDir
    static Path dir;
    static FaxlanServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestTrunk.start(ServerConfig.defaults().withDataDir(dir.resolve("data"))
                .withBind(new InetSocketAddress("127.0.0.1", 0)).withName("churn").withAdminPassword(ADMIN_PW));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void twoHundredClientsOneAfterAnotherAreAllServed() {
        for (int i = 1; i <= 200; i++) {
            try (FaxlanClient c = FaxlanClient.builder().server(server.address()).user("admin").password(ADMIN_PW.toCharArray())
                    .timeout(Duration.ofSeconds(10)).build()) {
                assertThat(c.info().name()).as("client %d", i).isEqualTo("churn");
            }
        }
    }
}
