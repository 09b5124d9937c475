package dev.faxlan.lines.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.testkit.PortRetry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Kamailio harness against SIPp and hand-written requests: registrar, digest auth, proxy. */
class KamailioHarnessIT {

    private static final String REALM = "faxlan.test";
    private static final Duration RUN_LIMIT = Duration.ofSeconds(10);

    private Kamailio kamailio;

    @BeforeEach
    void start() throws Exception {
        kamailio = Kamailio.withRealm(REALM).addUser("2000", "secret").addUser("2001", "other").start();
    }

    @AfterEach
    void stop() throws Exception {
        kamailio.stop();
    }

    private Sipp.Result register(String user, String password, int localPort) throws Exception {
        Sipp.Options o = Sipp.scenario("uac-register.xml").target(kamailio.host(), kamailio.port())
                .service(user).auth(user, password).timeout(RUN_LIMIT);
        if (localPort != 0) {
            o.localPort(localPort);
        }
        return o.run();
    }

    @Test
    void registersWithTheRightPassword() throws Exception {
        Sipp.Result r = register("2000", "secret", 0);

        assertThat(r.exitCode()).as(r.describe() + kamailio.logTail(30)).isZero();
        assertThat(r.receivedStatuses()).containsExactly(401, 200);
        assertThat(r.messages().get(1).header("WWW-Authenticate")).hasValueSatisfying(
                h -> assertThat(h).startsWith("Digest").contains("realm=\"" + REALM + "\""));
        assertThat(kamailio.contacts("2000"))
                .containsExactly("sip:2000@127.0.0.1:" + r.localPort() + ";transport=UDP");
        assertThat(kamailio.contacts("2001")).isEmpty();
    }

    @Test
    void wrongPasswordIsRefused() throws Exception {
        Sipp.Result r = register("2000", "not-the-password", 0);

        assertThat(r.exitCode()).as(r.describe()).isNotZero();
        assertThat(r.receivedStatuses()).as(r.describe()).startsWith(401, 403);
        assertThat(kamailio.contacts("2000")).isEmpty();
    }

    @Test
    void unknownUserCannotRegister() throws Exception {
        SipProbe.Response r = SipProbe.send(kamailio.host(), kamailio.port(), "REGISTER",
                "sip:" + kamailio.host() + ":" + kamailio.port(), "7777", "7777", "", RUN_LIMIT)
                .orElseThrow(() -> new AssertionError("no answer\n" + kamailio.logTail(30)));

        assertThat(r.status()).as(r.text()).isEqualTo(403);
    }

    @Test
    void inviteForAnUnregisteredUserIsNotFound() throws Exception {
        SipProbe.Response r = SipProbe.invite(kamailio.host(), kamailio.port(), "trunk", "2001", RUN_LIMIT)
                .orElseThrow(() -> new AssertionError("no answer\n" + kamailio.logTail(30)));

        assertThat(r.status()).as(r.text()).isEqualTo(404);
    }

    @Test
    void inviteFromALocalUserIsChallenged() throws Exception {
        SipProbe.Response r = SipProbe.invite(kamailio.host(), kamailio.port(), "2000", "2001", RUN_LIMIT)
                .orElseThrow(() -> new AssertionError("no answer\n" + kamailio.logTail(30)));

        assertThat(r.status()).as(r.text()).isEqualTo(407);
        assertThat(r.text()).contains("Proxy-Authenticate: Digest realm=\"" + REALM + "\"");
    }

    @Test
    void t38CallIsProxiedToTheRegisteredUserAndHangsUpThroughTheProxy() throws Exception {
        // 2001 registers from a port, then a SIPp answering calls takes over that port. Another
        // program can take the port in between: then both again on a fresh one, the stale contact removed.
        Sipp.Running callee = PortRetry.onAddressInUse("registered callee", attempt -> {
            if (attempt > 1) {
                kamailio.forget("2001");
            }
            int port = LoopbackPorts.freeUdp();
            Sipp.Result registration = register("2001", "other", port);
            assertThat(registration.exitCode()).as(registration.describe()).isZero();
            return Sipp.scenario("uas-answer-t38.xml").localPort(port).timeout(RUN_LIMIT).listen();
        });
        int calleePort = callee.localPort();

        Sipp.Result caller = Sipp.scenario("uac-invite-t38.xml").target(kamailio.host(), kamailio.port())
                .set("caller", "2000").service("2001").auth("2000", "secret")
                .callLength(Duration.ofMillis(200)).timeout(RUN_LIMIT).run();
        Sipp.Result answered = callee.await();

        String why = caller.describe() + "\n" + answered.describe() + "\n" + kamailio.logTail(40);
        assertThat(caller.exitCode()).as(why).isZero();
        assertThat(answered.exitCode()).as(why).isZero();
        assertThat(caller.receivedStatuses()).as(why).contains(407).endsWith(200, 200);
        List<String> atCallee = answered.received();
        assertThat(atCallee).as(why).hasSize(3);
        assertThat(atCallee.get(0)).startsWith("INVITE sip:2001@127.0.0.1:" + calleePort);
        assertThat(atCallee.get(1)).startsWith("ACK ");
        assertThat(atCallee.get(2)).startsWith("BYE ");
        // The BYE came through kamailio: it added its Via on top of the caller's.
        Sipp.Message bye = answered.messages().stream().filter(m -> m.firstLine().startsWith("BYE ")).findFirst()
                .orElseThrow();
        assertThat(bye.header("Via")).hasValueSatisfying(v -> assertThat(v).contains(":" + kamailio.port()));
    }
}
