package dev.faxlan.server.cpi.operation;

import static dev.faxlan.server.cpi.operation.ServiceFixture.code;
import static dev.faxlan.server.cpi.operation.ServiceFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.server.service.Caller;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Message;
import dev.faxlan.protocol.Op;
import dev.faxlan.server.MutableClock;
import dev.faxlan.server.auth.LoginThrottle;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Attacks on accounts through CpiService (issue #11): lock-out by a stranger, password change with a stolen session. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountSecurityTest {
    private static final String A = "127.0.0.1";
    private static final String B = "127.0.0.2";
    private final MutableClock clock = new MutableClock();
    @TempDir
    static Path dataDir;
    private ServiceFixture server;
    private CpiService service;
    private byte[] admin;

    @BeforeAll
    void start() throws Exception {
        server = new ServiceFixture(dataDir, clock);
        service = server.service();
        service.bootstrapAdmin("admin-password-1");
        admin = server.login("admin", "admin-password-1", A);
        for (String u : new String[] {"dave", "erin"}) {
            ok(call(admin, Op.USER_ADD, Fields.builder().put("user", u).put("password", u + "-password-1").build(), A));
        }
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void failuresFromOneAddressDoNotLockTheAdministratorOutAtAnother() throws Exception {
        int failures = 0;
        while (failures < 9) {
            Message m = service.handle(server.loginRequest("admin", "guess-" + failures), A);
            if (code(m) == ErrorCode.AUTH_THROTTLED) {
                clock.advanceMillis(LoginThrottle.MAX_DELAY_MS);
                continue;
            }
            assertThat(code(m)).isEqualTo(ErrorCode.AUTH_FAILED);
            failures++;
        }
        // The right password from another address gets in at once...
        assertThat(service.handle(server.loginRequest("admin", "admin-password-1"), B)).isInstanceOf(Message.Ok.class);
        // ...while the guessing address stays throttled, even with the right password.
        Message fromA = service.handle(server.loginRequest("admin", "admin-password-1"), A);
        assertThat(code(fromA)).isEqualTo(ErrorCode.AUTH_THROTTLED);
        assertThat(((Message.Error) fromA).message()).contains("admin").contains("try again in");
    }

    @Test
    void changingOnesOwnPasswordNeedsTheCurrentOne() throws Exception {
        String address = "127.0.0.3";
        byte[] stolen = server.login("dave", "dave-password-1", address);
        // A stolen session alone cannot take the account over for good.
        Message noCurrent = call(stolen, Op.USER_PASSWD, Fields.builder().put("password", "attacker-pw-1").build(), address);
        assertThat(code(noCurrent)).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(((Message.Error) noCurrent).message()).contains("current");
        Message wrong = call(stolen, Op.USER_PASSWD, Fields.builder().put("password", "attacker-pw-1").put("current", "not-it-1").build(), address);
        assertThat(code(wrong)).isEqualTo(ErrorCode.AUTH_FAILED);
        assertThat(service.handle(server.loginRequest("dave", "dave-password-1"), address)).isInstanceOf(Message.Ok.class);

        // Wrong current passwords count as failed logins: guessing through user.passwd is throttled too.
        for (int i = 0; i <= LoginThrottle.FREE_FAILURES; i++) {
            call(stolen, Op.USER_PASSWD, Fields.builder().put("password", "attacker-pw-1").put("current", "guess-" + i).build(), address);
        }
        Message throttled = call(stolen, Op.USER_PASSWD, Fields.builder().put("password", "attacker-pw-1").put("current", "dave-password-1").build(), address);
        assertThat(code(throttled)).isEqualTo(ErrorCode.AUTH_THROTTLED);
        assertThat(code(service.handle(server.loginRequest("dave", "dave-password-1"), address))).isEqualTo(ErrorCode.AUTH_THROTTLED);
        clock.advanceMillis(LoginThrottle.MAX_DELAY_MS);

        byte[] own = server.login("dave", "dave-password-1", A);
        ok(call(own, Op.USER_PASSWD, Fields.builder().put("password", "dave-password-2").put("current", "dave-password-1").build(), A));
        assertThat(service.handle(server.loginRequest("dave", "dave-password-2"), A)).isInstanceOf(Message.Ok.class);
    }

    @Test
    void anAdministratorChangesSomeoneElsesPasswordWithoutTheirs() throws Exception {
        ok(call(admin, Op.USER_PASSWD, Fields.builder().put("user", "erin").put("password", "erin-password-2").build(), "127.0.0.4"));
        assertThat(service.handle(server.loginRequest("erin", "erin-password-2"), "127.0.0.4")).isInstanceOf(Message.Ok.class);
    }

    @Test
    void passwordsAreCountedInCharactersNotInJavaChars() throws Exception {
        String face = "\uD83D\uDE00"; // one character, two UTF-16 units
        Message seven = call(admin, Op.USER_ADD, Fields.builder().put("user", "frank").put("password", face.repeat(7)).build(), A);
        assertThat(code(seven)).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(((Message.Error) seven).message()).contains("7 characters").contains("8 to 1024");
        // 1024 characters (2048 UTF-16 units) is within the limit: accepted, and the same password logs in.
        ok(call(admin, Op.USER_ADD, Fields.builder().put("user", "frank").put("password", face.repeat(1024)).build(), A));
        assertThat(service.handle(server.loginRequest("frank", face.repeat(1024)), "127.0.0.5")).isInstanceOf(Message.Ok.class);
        Message tooLong = call(admin, Op.USER_PASSWD, Fields.builder().put("user", "frank").put("password", "x".repeat(1025)).build(), A);
        assertThat(((Message.Error) tooLong).message()).contains("1025 characters");
    }

    @Test
    void theFirstAdministratorsPresetPasswordFollowsTheSameRule(@TempDir Path fresh) throws Exception {
        ServiceFixture other = new ServiceFixture(fresh, clock);
        try {
            assertThatThrownBy(() -> other.service().bootstrapAdmin("secret7")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("7 characters").hasMessageContaining("8 to 1024").hasMessageNotContaining("secret7");
            assertThat(other.service().bootstrapAdmin("secret-8")).isEmpty();
        } finally {
            other.close();
        }
    }

    private Message call(byte[] session, Op op, Fields body, String address) {
        return service.handle(server.request(session, op, body), address);
    }
}
