package dev.faxlan.server.cpi.operation;

import static dev.faxlan.server.cpi.operation.ServiceFixture.code;
import static dev.faxlan.server.cpi.operation.ServiceFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Message;
import dev.faxlan.protocol.Op;
import dev.faxlan.server.MutableClock;
import dev.faxlan.server.auth.LoginThrottle;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** API keys through CpiService: made, listed and revoked by their users, logging in as them, never kept or logged in clear. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiKeyTest {
    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    @TempDir
    static Path dataDir;
    private ServiceFixture server;
    private CpiService service;
    private byte[] admin;
    private byte[] alice;
    private byte[] bob;

    @BeforeAll
    void start() throws Exception {
        server = new ServiceFixture(dataDir, clock);
        service = server.service();
        service.bootstrapAdmin("admin-password-1");
        service.ensurePersonalMailboxes();
        admin = server.login("admin", "admin-password-1");
        for (String u : List.of("alice", "bob", "carol")) {
            ok(server.call(admin, Op.USER_ADD, Fields.builder().put("user", u).put("password", u + "-password-1").build()));
        }
        alice = server.login("alice", "alice-password-1");
        bob = server.login("bob", "bob-password-1");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void aKeyIsShownOnceAndListedByItsPrefix() throws Exception {
        Fields made = create(alice, "invoices script");
        String key = made.string("key");
        assertThat(key).matches("fxk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}").startsWith(made.string("prefix") + "_");
        assertThat(made.string("user")).isEqualTo("alice");
        assertThat(made.string("label")).isEqualTo("invoices script");
        assertThat(made.integer("created")).isEqualTo(clock.millis());

        Fields listed = only(list(alice, false), made.integer("id"));
        assertThat(listed.asMap()).doesNotContainKey("key").doesNotContainKey("last_used")
                .containsEntry("prefix", made.string("prefix")).containsEntry("label", "invoices script").containsEntry("user", "alice");

        clock.advanceMillis(5_000);
        login(key, "127.0.1.1");
        assertThat(only(list(alice, false), made.integer("id")).integer("last_used")).isEqualTo(clock.millis());

        Fields revoked = ok(server.call(alice, Op.APIKEY_REVOKE, Fields.builder().put("id", made.integer("id")).build()));
        assertThat(revoked.string("prefix")).isEqualTo(made.string("prefix"));
        assertThat(revoked.asMap()).doesNotContainKey("key");
        assertThat(ids(list(alice, false))).doesNotContain(made.integer("id"));
    }

    @Test
    void aKeyLogsInAsItsUserWithTheirRole() throws Exception {
        Fields asAlice = ok(service.handle(keyLogin(create(alice, "alice's").string("key")), "127.0.1.2"));
        assertThat(asAlice.string("user")).isEqualTo("alice");
        assertThat(asAlice.string("role")).isEqualTo("user");
        assertThat(code(server.call(asAlice.bytes("session"), Op.USER_LIST, Fields.EMPTY))).isEqualTo(ErrorCode.PERMISSION_DENIED);

        Fields asAdmin = ok(service.handle(keyLogin(create(admin, "admin's").string("key")), "127.0.1.2"));
        assertThat(asAdmin.string("user")).isEqualTo("admin");
        assertThat(asAdmin.string("role")).isEqualTo("admin");
        ok(server.call(asAdmin.bytes("session"), Op.USER_LIST, Fields.EMPTY));
        assertThat(asAdmin.integer("expires")).isEqualTo(clock.millis() + CpiService.SESSION_LIFETIME_MS);
    }

    @Test
    void revokingAKeyEndsItsSessionsAtOnceAndItLogsInNoMore() throws Exception {
        Fields made = create(alice, "to revoke");
        byte[] first = login(made.string("key"), "127.0.1.3");
        byte[] second = login(made.string("key"), "127.0.1.3");
        byte[] password = server.login("alice", "alice-password-1");
        ok(server.call(first, Op.JOB_LIST, Fields.EMPTY));

        ok(server.call(alice, Op.APIKEY_REVOKE, Fields.builder().put("id", made.integer("id")).build()));

        assertThat(code(server.call(first, Op.JOB_LIST, Fields.EMPTY))).isEqualTo(ErrorCode.SESSION_EXPIRED);
        assertThat(code(server.call(second, Op.JOB_LIST, Fields.EMPTY))).isEqualTo(ErrorCode.SESSION_EXPIRED);
        ok(server.call(password, Op.JOB_LIST, Fields.EMPTY)); // the password's session is not the key's
        assertThat(code(service.handle(keyLogin(made.string("key")), "127.0.1.3"))).isEqualTo(ErrorCode.AUTH_FAILED);
    }

    @Test
    void anotherUsersKeyIsNotFoundAndOnlyAnAdministratorSeesAll() throws Exception {
        Fields made = create(alice, "alice's private");
        long id = made.integer("id");
        assertThat(ids(list(bob, false))).doesNotContain(id);
        assertThat(code(server.call(bob, Op.APIKEY_LIST, Fields.builder().put("all", true).build()))).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(code(server.call(bob, Op.APIKEY_REVOKE, Fields.builder().put("id", id).build()))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(code(server.call(bob, Op.APIKEY_REVOKE, Fields.builder().put("id", 999_999L).build()))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(code(server.call(bob, Op.APIKEY_CREATE, Fields.builder().put("label", "for alice").put("user", "alice").build())))
                .isEqualTo(ErrorCode.PERMISSION_DENIED);
        login(made.string("key"), "127.0.1.4"); // bob's attempt left the key working

        assertThat(ids(list(admin, false))).doesNotContain(id);
        assertThat(ids(list(admin, true))).contains(id);
        Fields forAlice = ok(server.call(admin, Op.APIKEY_CREATE, Fields.builder().put("label", "made by admin").put("user", "alice").build()));
        assertThat(forAlice.string("user")).isEqualTo("alice");
        assertThat(ok(service.handle(keyLogin(forAlice.string("key")), "127.0.1.4")).string("role")).isEqualTo("user");
        assertThat(code(server.call(admin, Op.APIKEY_CREATE, Fields.builder().put("label", "x").put("user", "nobody").build()))).isEqualTo(ErrorCode.NOT_FOUND);
        ok(server.call(admin, Op.APIKEY_REVOKE, Fields.builder().put("id", id).build()));
        assertThat(code(service.handle(keyLogin(made.string("key")), "127.0.1.4"))).isEqualTo(ErrorCode.AUTH_FAILED);
    }

    @Test
    void aRemovedUsersKeysStopWorking() throws Exception {
        byte[] carol = server.login("carol", "carol-password-1");
        String key = create(carol, "carol's").string("key");
        byte[] session = login(key, "127.0.1.5");
        ok(server.call(admin, Op.USER_REMOVE, Fields.builder().put("user", "carol").build()));
        assertThat(code(server.call(session, Op.JOB_LIST, Fields.EMPTY))).isEqualTo(ErrorCode.SESSION_EXPIRED);
        assertThat(code(service.handle(keyLogin(key), "127.0.1.5"))).isEqualTo(ErrorCode.AUTH_FAILED);
        assertThat(list(admin, true)).noneMatch(k -> "carol".equals(k.asMap().get("user")));
    }

    @Test
    void wrongKeysAreThrottledPerAddressLikeWrongPasswords() throws Exception {
        String address = "127.0.1.6";
        String real = create(alice, "throttled").string("key");
        // A key of the right form with another secret, and text that is no key at all, both count.
        String wrong = real.substring(0, real.length() - 4) + (real.endsWith("AAAA") ? "BBBB" : "AAAA");
        for (int i = 0; i <= LoginThrottle.FREE_FAILURES; i++) {
            Message m = service.handle(keyLogin(i % 2 == 0 ? wrong : "not a key " + i), address);
            assertThat(code(m)).isEqualTo(ErrorCode.AUTH_FAILED);
            assertThat(((Message.Error) m).message()).contains("API key");
        }
        assertThat(code(service.handle(keyLogin(real), address))).isEqualTo(ErrorCode.AUTH_THROTTLED);
        assertThat(code(service.handle(server.loginRequest("alice", "alice-password-1"), address))).isEqualTo(ErrorCode.AUTH_THROTTLED);
        login(real, "127.0.1.7"); // another address is not refused
        clock.advanceMillis(LoginThrottle.MAX_DELAY_MS);
        login(real, address);
    }

    @Test
    void badRequestsAreRefusedNamingWhatIsWrong() throws Exception {
        Message both = service.handle(server.request(null, Op.LOGIN, null,
                Fields.builder().put("user", "alice").put("password", "alice-password-1").put("key", "fxk_x").build()), "127.0.1.8");
        assertThat(code(both)).isEqualTo(ErrorCode.BAD_REQUEST);
        Message neither = service.handle(server.request(null, Op.LOGIN, null, Fields.builder().put("password", "alice-password-1").build()), "127.0.1.8");
        assertThat(((Message.Error) neither).message()).contains("\"user\"");
        for (String label : List.of("", "   ", "x".repeat(65), "tab\there")) {
            Message m = server.call(alice, Op.APIKEY_CREATE, Fields.builder().put("label", label).build());
            assertThat(code(m)).as(label).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(((Message.Error) m).message()).contains("label");
        }
        ok(server.call(alice, Op.APIKEY_CREATE, Fields.builder().put("label", "y".repeat(64)).build()));
    }

    @Test
    void theSecretIsNeitherLoggedNorKeptNorReplayed() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger("dev.faxlan");
        Level before = root.getLevel();
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        root.addAppender(seen);
        root.setLevel(Level.ALL);
        String key;
        Fields replay;
        try {
            byte[] idem = server.key();
            Fields body = Fields.builder().put("label", "logged?").build();
            Fields made = ok(server.call(alice, Op.APIKEY_CREATE, idem, body));
            key = made.string("key");
            // A retry of the same request answers from the idempotency store, which never held the secret.
            replay = ok(server.call(alice, Op.APIKEY_CREATE, idem, body));
            login(key, "127.0.1.9");
            service.handle(keyLogin(key + "x"), "127.0.1.9");
            service.handle(keyLogin(key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A")), "127.0.1.9");
            ok(server.call(alice, Op.APIKEY_REVOKE, Fields.builder().put("id", made.integer("id")).build()));
            service.handle(keyLogin(key), "127.0.1.9");
        } finally {
            root.detachAppender(seen);
            root.setLevel(before);
        }
        String prefix = key.substring(0, "fxk_".length() + 16);
        String secret = key.substring(prefix.length() + 1); // the secret may itself hold a '_'
        assertThat(secret).hasSize(43);
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent e : seen.list) {
            lines.add(e.getFormattedMessage() + (e.getThrowableProxy() != null ? " " + e.getThrowableProxy().getMessage() : ""));
        }
        assertThat(lines).as("the log says which key failed, by its prefix").anyMatch(l -> l.contains(prefix) && l.contains("failed login"));
        assertThat(lines).noneMatch(l -> l.contains(secret.substring(0, 16)));
        assertThat(replay.asMap()).doesNotContainKey("key").containsEntry("prefix", prefix);

        List<byte[]> stored = server.db().tx(c -> {
            List<byte[]> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT response FROM idempotency"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getBytes(1));
            }
            return out;
        });
        assertThat(stored).isNotEmpty().noneMatch(b -> new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).contains(secret));
    }

    // ---------------------------------------------------------------- plumbing

    private Fields create(byte[] session, String label) {
        return ok(server.call(session, Op.APIKEY_CREATE, Fields.builder().put("label", label).build()));
    }

    private List<Fields> list(byte[] session, boolean all) throws CpiException {
        return ok(server.call(session, Op.APIKEY_LIST, all ? Fields.builder().put("all", true).build() : Fields.EMPTY)).maps("keys");
    }

    private static Fields only(List<Fields> keys, long id) {
        return keys.stream().filter(k -> k.asMap().get("id").equals(id)).findFirst().orElseThrow(() -> new AssertionError("no key " + id + " in " + keys));
    }

    private static List<Long> ids(List<Fields> keys) {
        return keys.stream().map(k -> (Long) k.asMap().get("id")).toList();
    }

    private Message.Request keyLogin(String key) {
        return server.request(null, Op.LOGIN, null, Fields.builder().put("key", key).build());
    }

    private byte[] login(String key, String address) throws CpiException {
        return ok(service.handle(keyLogin(key), address)).bytes("session");
    }
}
