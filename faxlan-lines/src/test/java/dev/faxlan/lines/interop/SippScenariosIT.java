package dev.faxlan.lines.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The SIPp scenarios against each other: registrar and registering client, T.38 caller and callee. */
class SippScenariosIT {

    private static final Duration RUN_LIMIT = Duration.ofSeconds(10);

    static Sipp.Running registrar(String password) throws Exception {
        return Sipp.scenario("uas-register-challenge.xml")
                .set("realm", "sipp.test").set("user", "2000").set("password", password)
                .timeout(RUN_LIMIT).listen();
    }

    static Sipp.Options registration(int registrarPort, String password) {
        return Sipp.scenario("uac-register.xml").target(LoopbackPorts.HOST, registrarPort)
                .service("2000").auth("2000", password).timeout(RUN_LIMIT);
    }

    @Test
    void rightPasswordIsAccepted() throws Exception {
        Sipp.Running server = registrar("secret");
        Sipp.Result client = registration(server.localPort(), "secret").run();
        Sipp.Result registrar = server.await();

        String why = client.describe() + "\n" + registrar.describe();
        assertThat(client.exitCode()).as(why).isZero();
        assertThat(registrar.exitCode()).as(why).isZero();
        assertThat(client.receivedStatuses()).as(why).containsExactly(401, 200);
        assertThat(registrar.sentStatuses()).as(why).containsExactly(401, 200);
        assertThat(client.messages().get(2).header("Authorization")).hasValueSatisfying(
                h -> assertThat(h).startsWith("Digest").contains("username=\"2000\"", "realm=\"sipp.test\""));
        assertThat(client.messages().get(3).header("Contact")).hasValueSatisfying(
                h -> assertThat(h).contains("sip:2000@127.0.0.1:" + client.localPort(), "expires=3600"));
    }

    @Test
    void wrongPasswordIsForbidden() throws Exception {
        Sipp.Running server = registrar("secret");
        Sipp.Result client = registration(server.localPort(), "guessed").run();
        Sipp.Result registrar = server.await();

        String why = client.describe() + "\n" + registrar.describe();
        assertThat(client.exitCode()).as(why).isNotZero();
        assertThat(client.receivedStatuses()).as(why).startsWith(401, 403);
        assertThat(registrar.sentStatuses()).as(why).containsExactly(401, 403);
    }

    @Test
    void t38CallerAndCalleeAgreeOnT38() throws Exception {
        Sipp.Running callee = Sipp.scenario("uas-answer-t38.xml").timeout(RUN_LIMIT).listen();
        Sipp.Result caller = Sipp.scenario("uac-invite-t38.xml").target(LoopbackPorts.HOST, callee.localPort())
                .set("caller", "fax").service("2001").callLength(Duration.ofMillis(200)).timeout(RUN_LIMIT).run();
        Sipp.Result answered = callee.await();

        String why = caller.describe() + "\n" + answered.describe();
        assertThat(caller.exitCode()).as(why).isZero();
        assertThat(answered.exitCode()).as(why).isZero();
        assertThat(caller.sent()).as(why).hasSize(3);
        assertThat(caller.sent().get(0)).startsWith("INVITE ");
        assertThat(caller.sent().get(1)).startsWith("ACK ");
        assertThat(caller.sent().get(2)).startsWith("BYE ");
        for (Sipp.Message m : caller.messages()) {
            if (m.firstLine().startsWith("INVITE ") || m.firstLine().startsWith("SIP/2.0 200") && !m.body().isEmpty()) {
                assertThat(m.body()).as(m.text())
                        .containsPattern("m=image \\d+ udptl t38")
                        .doesNotContain("m=audio")
                        .contains("a=T38FaxVersion:0", "a=T38MaxBitRate:14400",
                                "a=T38FaxRateManagement:transferredTCF", "a=T38FaxMaxBuffer:2000",
                                "a=T38FaxMaxDatagram:400", "a=T38FaxUdpEC:t38UDPRedundancy");
            }
        }
    }
}
