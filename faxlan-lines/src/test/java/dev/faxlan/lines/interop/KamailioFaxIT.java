package dev.faxlan.lines.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.lines.CallOutcome;
import dev.faxlan.lines.CallResult;
import dev.faxlan.lines.Line;
import dev.faxlan.lines.Lines;
import dev.faxlan.lines.ReceivedFax;
import dev.faxlan.lines.sip.RegistrationException;
import dev.faxlan.lines.sip.TestFaxPages;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two faxlan line sets, as two servers would run them, register with digest authentication to a real
 * Kamailio and fax each other through it; a wrong password is refused and reported as such.
 */
class KamailioFaxIT {
    private Kamailio kamailio;
    private Lines a;
    private Lines b;
    private final LinkedBlockingQueue<ReceivedFax> inboxA = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<ReceivedFax> inboxB = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        kamailio = Kamailio.withRealm("faxlan.test").addUser("2000", "alpha-secret").addUser("2001", "bravo-secret").start();
    }

    @AfterEach
    void stop() throws Exception {
        if (a != null) a.close();
        if (b != null) b.close();
        kamailio.stop();
    }

    private Properties trunk(String user, String password, String number) {
        Properties p = new Properties();
        p.setProperty("sip.bind", "127.0.0.1");
        p.setProperty("line.loopback.enabled", "false");
        p.setProperty("line.trunk.registrar", kamailio.host() + ":" + kamailio.port());
        p.setProperty("line.trunk.user", user);
        p.setProperty("line.trunk.password", password);
        p.setProperty("line.trunk.number", number);
        p.setProperty("line.trunk.register-expiry", "60");
        return p;
    }

    @Test
    void twoServersRegisterAndFaxEachOtherThroughKamailio() throws Exception {
        a = LoopbackPorts.startLines(trunk("2000", "alpha-secret", "+15550200"), inboxA::add, "faxlan-a");
        b = LoopbackPorts.startLines(trunk("2001", "bravo-secret", "+15550201"), inboxB::add, "faxlan-b");
        Line lineA = a.line("trunk").orElseThrow();
        Line lineB = b.line("trunk").orElseThrow();
        lineA.endpoint().registered().get(20, TimeUnit.SECONDS);
        lineB.endpoint().registered().get(20, TimeUnit.SECONDS);
        assertThat(lineA.registrationState()).isEqualTo("registered");
        assertThat(kamailio.contacts("2000")).as(kamailio.logTail(40)).hasSize(1);
        assertThat(kamailio.contacts("2001")).hasSize(1);

        List<BilevelPage> toB = TestFaxPages.pages(11, 1, 200);
        CallResult ab = lineA.send("2001", toB, Lines.receiveOptions("")).get(120, TimeUnit.SECONDS);
        assertThat(ab.outcome()).as("%s%n%s", ab, kamailio.logTail(40)).isEqualTo(CallOutcome.SUCCESS);
        assertThat(ab.remoteIdent()).isEqualTo("+15550201");
        ReceivedFax atB = inboxB.poll(30, TimeUnit.SECONDS);
        assertThat(atB).isNotNull();
        assertThat(atB.result()).isEqualTo(FaxResult.OK);
        assertThat(atB.callerNumber()).isEqualTo("2000");
        assertThat(atB.calledNumber()).isEqualTo("2001");
        assertThat(atB.remoteIdent()).isEqualTo("+15550200");
        assertThat(atB.pages().get(0).page().firstDifferentRow(toB.get(0))).isEqualTo(-1);

        List<BilevelPage> toA = TestFaxPages.pages(12, 1, 200);
        CallResult ba = lineB.send("2000", toA, Lines.receiveOptions("")).get(120, TimeUnit.SECONDS);
        assertThat(ba.outcome()).as("%s", ba).isEqualTo(CallOutcome.SUCCESS);
        ReceivedFax atA = inboxA.poll(30, TimeUnit.SECONDS);
        assertThat(atA).isNotNull();
        assertThat(atA.callerNumber()).isEqualTo("2001");
        assertThat(atA.pages().get(0).page().firstDifferentRow(toA.get(0))).isEqualTo(-1);
    }

    @Test
    void aRegistrarChallengingForAnotherRealmThanTheConfiguredOneGetsNoAnswer() throws Exception {
        Properties p = trunk("2000", "alpha-secret", "+15550200");
        p.setProperty("line.trunk.realm", "not-faxlan.test");
        a = LoopbackPorts.startLines(p, inboxA::add, "faxlan-a");
        Line line = a.line("trunk").orElseThrow();
        assertThatThrownBy(() -> line.endpoint().registered().get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(RegistrationException.class)
                .hasMessageContaining("realm \"faxlan.test\"").hasMessageContaining("not-faxlan.test")
                .matches(e -> !((RegistrationException) e).credentialsRefused(), "not a wrong password: nothing was sent");
        assertThat(kamailio.isRegistered("2000")).isFalse();
        assertThat(kamailio.log().split("request REGISTER", -1)).as("one REGISTER, the unanswered first one\n%s", kamailio.logTail(20)).hasSize(2);
    }

    @Test
    void aWrongPasswordIsRefusedAndReportedAsSuch() throws Exception {
        a = LoopbackPorts.startLines(trunk("2000", "not-the-password", "+15550200"), inboxA::add, "faxlan-a");
        Line line = a.line("trunk").orElseThrow();
        assertThatThrownBy(() -> line.endpoint().registered().get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(RegistrationException.class)
                .hasMessageContaining("wrong user name or password")
                .matches(e -> ((RegistrationException) e).credentialsRefused(), "credentials refused");
        assertThat(line.registrationState()).contains("wrong user name or password");
        assertThat(kamailio.isRegistered("2000")).isFalse();
    }
}
