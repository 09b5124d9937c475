package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.sdk.ApiKey;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API keys through the SDK against a real server on loopback, over QUIC: the calls {@code faxlan web} makes on a user's behalf. */
class ApiKeySdkIT {
    static final String ADMIN_PW = "sdk-admin-pw-1";
    @TempDir
    static Path dir;
    static FaxlanServer server;

    @BeforeAll
    static void start() throws Exception {
        server = FaxlanServer.start(ServerConfig.defaults().withDataDir(dir.resolve("data"))
                .withBind(new InetSocketAddress("127.0.0.1", 0)).withName("apikey-it").withAdminPassword(ADMIN_PW));
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
        return FaxlanClient.builder().server(server.address()).user(user).password(pw.toCharArray()).timeout(Duration.ofSeconds(60)).build();
    }

    static FaxlanClient keyed(String key) {
        return FaxlanClient.builder().server(server.address()).apiKey(key.toCharArray()).timeout(Duration.ofSeconds(60)).build();
    }

    @Test
    void aKeyActsAsItsUserAcrossSessionExpiryUntilItIsRevoked() {
        ApiKey made;
        try (FaxlanClient alice = client("alice", "alice-password-1")) {
            made = alice.createApiKey("billing export");
            assertThat(alice.apiKeys(false)).anySatisfy(k -> {
                assertThat(k.id()).isEqualTo(made.id());
                assertThat(k.key()).isNull();
                assertThat(k.lastUsed()).isNull();
            });
        }
        assertThat(made.key()).startsWith(made.prefix() + "_");
        assertThat(made.user()).isEqualTo("alice");
        assertThat(made.toString()).contains(made.prefix()).doesNotContain(made.key());

        try (FaxlanClient program = keyed(made.key()); FaxlanClient admin = client("admin", ADMIN_PW)) {
            assertThat(program.login()).isEqualTo("user");
            assertThat(program.user()).isEqualTo("alice");
            program.jobs(true);
            ApiKey afterFirst = only(admin, made.id());
            assertThat(afterFirst.lastUsed()).isNotNull();

            // A password change ends every session of alice's, the key's too: the client logs in again with the key.
            admin.passwd("alice", "alice-password-2".toCharArray());
            program.jobs(true);
            assertThat(only(admin, made.id()).lastUsed()).isAfter(afterFirst.lastUsed());

            ApiKey revoked = admin.revokeApiKey(made.id());
            assertThat(revoked.prefix()).isEqualTo(made.prefix());
            assertThat(revoked.key()).isNull();
            // The session the key opened ends at once; logging in again with the key fails.
            assertThatThrownBy(() -> program.jobs(true)).isInstanceOf(FaxlanException.AuthenticationFailed.class).hasMessageContaining("API key");
            assertThat(admin.apiKeys(true)).noneMatch(k -> k.id() == made.id());
        }
    }

    @Test
    void anotherUsersKeysAreNeitherListedNorRevocable() {
        try (FaxlanClient bob = client("bob", "bob-password-1"); FaxlanClient admin = client("admin", ADMIN_PW)) {
            ApiKey bobs = bob.createApiKey("bob's script");
            ApiKey forBob = admin.createApiKey("made for bob", "bob");
            assertThat(forBob.user()).isEqualTo("bob");
            assertThat(bob.apiKeys(false)).extracting(ApiKey::id).contains(bobs.id(), forBob.id());
            assertThat(admin.apiKeys(false)).extracting(ApiKey::id).doesNotContain(bobs.id());
            assertThat(admin.apiKeys(true)).extracting(ApiKey::id).contains(bobs.id(), forBob.id());

            try (FaxlanClient other = keyed(forBob.key())) {
                assertThat(other.user()).isEqualTo("bob");
                assertThatThrownBy(() -> other.apiKeys(true)).isInstanceOfSatisfying(FaxlanException.Refused.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED));
                ApiKey adminsOwn = admin.createApiKey("admin's own");
                assertThatThrownBy(() -> other.revokeApiKey(adminsOwn.id())).isInstanceOfSatisfying(FaxlanException.Refused.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
                assertThat(admin.apiKeys(false)).extracting(ApiKey::id).contains(adminsOwn.id());
            }
        }
    }

    @Test
    void aWrongKeyIsAnAuthenticationFailure() {
        try (FaxlanClient wrong = keyed("fxk_0000000000000000_" + "A".repeat(43))) {
            assertThatThrownBy(wrong::login).isInstanceOf(FaxlanException.AuthenticationFailed.class);
        }
    }

    private static ApiKey only(FaxlanClient admin, long id) {
        return admin.apiKeys(true).stream().filter(k -> k.id() == id).findFirst().orElseThrow();
    }
}
