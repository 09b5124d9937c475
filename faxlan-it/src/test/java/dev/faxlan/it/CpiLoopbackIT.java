package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.sdk.Alert;
import dev.faxlan.sdk.AlertSubscription;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.sdk.Job;
import dev.faxlan.sdk.SubmitRequest;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CPI server and SDK over real UDP sockets on loopback. */
class CpiLoopbackIT {
    static final String ADMIN_PW = "admin-secret-1";
    @TempDir
    static Path dir;
    static FaxlanServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestTrunk.start(ServerConfig.defaults().withDataDir(dir.resolve("data"))
                .withBind(new InetSocketAddress("127.0.0.1", 0)).withName("it-server").withAdminPassword(ADMIN_PW));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static FaxlanClient client(String user, String pw) {
        return FaxlanClient.builder().server(server.address()).user(user).password(pw == null ? null : pw.toCharArray())
                .timeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void infoNeedsNoLoginAndTellsTheFingerprint() {
        try (FaxlanClient c = client(null, null)) {
            var info = c.info();
            assertThat(info.name()).isEqualTo("it-server");
            assertThat(info.fingerprint()).isEqualTo(server.fingerprint());
            assertThat(c.pin()).isEqualTo(server.fingerprint());
        }
    }

    @Test
    void wrongPasswordIsAuthenticationFailure() {
        try (FaxlanClient c = client("admin", "wrong-password")) {
            assertThatThrownBy(c::login).isInstanceOf(FaxlanException.AuthenticationFailed.class)
                    .satisfies(e -> assertThat(((FaxlanException) e).exitCode()).isEqualTo(3));
        }
    }

    @Test
    void submitListCancelAndAlert() throws Exception {
        try (FaxlanClient admin = client("admin", ADMIN_PW)) {
            admin.addUser("alice", "alice-pass-1".toCharArray(), "user");
        }
        Path doc = dir.resolve("letter.txt");
        Files.writeString(doc, "Dear Sir,\nplease find our offer.\n");
        try (FaxlanClient alice = client("alice", "alice-pass-1")) {
            List<Alert> alerts = new CopyOnWriteArrayList<>();
            AlertSubscription sub = alice.subscribe("it", null, alerts::add);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sub.lastDelivered() >= 0);
            List<Job> jobs = alice.submit(new SubmitRequest(List.of("+1 555 0100", "+1 555 0101"), List.of(doc), "offer", null, "fine",
                    java.time.Instant.parse(TestTrunk.LATER)));
            assertThat(jobs).hasSize(2);
            assertThat(jobs).extracting(Job::state).containsOnly("queued");
            assertThat(jobs).extracting(Job::to).containsExactly("+15550100", "+15550101");
            assertThat(alice.jobs(false)).extracting(Job::id).contains(jobs.get(0).id(), jobs.get(1).id());
            Job cancelled = alice.cancel(jobs.get(0).id());
            assertThat(cancelled.state()).isEqualTo("cancelled");
            assertThat(alice.job(jobs.get(0).id()).state()).isEqualTo("cancelled");
            assertThatThrownBy(() -> alice.cancel(jobs.get(0).id())).isInstanceOf(FaxlanException.Refused.class)
                    .satisfies(e -> assertThat(((FaxlanException.Refused) e).code()).isEqualTo(ErrorCode.CONFLICT));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> alerts.size() >= 3);
            assertThat(alerts).extracting(a -> a.body().get("state")).containsExactly("queued", "queued", "cancelled");
            assertThat(alerts).extracting(Alert::seq).isSorted();
            String sha = FaxlanClient.sha256(doc);
            assertThat(Files.readString(dir.resolve("data/spool/docs").resolve(sha))).isEqualTo(Files.readString(doc));
        }
    }
}
