package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.sdk.Alert;
import dev.faxlan.sdk.AlertSubscription;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Through the SDK: a subscription held with a password that was reset ends, and says why. */
class SubscriptionSessionIT {
    static final String ADMIN_PW = "session-admin-pw-1";
    @TempDir
    Path dir;

    @Test
    void aResetPasswordEndsTheSubscriptionOfTheOldOne() throws Exception {
        try (FaxlanServer server = FaxlanServer.start(ServerConfig.defaults().withDataDir(dir.resolve("data"))
                .withBind(new InetSocketAddress("127.0.0.1", 0)).withName("session-it").withAdminPassword(ADMIN_PW));
                FaxlanClient admin = client(server, "admin", ADMIN_PW)) {
            admin.addUser("alice", "alice-password-1".toCharArray(), "user");
            // Whoever holds alice's old password (or her session) is subscribed to her alerts.
            try (FaxlanClient thief = client(server, "alice", "alice-password-1")) {
                List<Alert> alerts = new CopyOnWriteArrayList<>();
                AlertSubscription sub = thief.subscribe("desk", null, alerts::add);
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sub.lastDelivered() >= 0);

                admin.passwd("alice", "alice-password-2".toCharArray());

                // The server ends the subscription with the session; the old password no longer logs in again.
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> sub.failure() != null);
                assertThat(sub.failure()).isInstanceOf(FaxlanException.AuthenticationFailed.class);
            }
        }
    }

    private static FaxlanClient client(FaxlanServer server, String user, String pw) {
        return FaxlanClient.builder().server(server.address()).user(user).password(pw.toCharArray()).timeout(Duration.ofSeconds(20)).build();
    }
}
