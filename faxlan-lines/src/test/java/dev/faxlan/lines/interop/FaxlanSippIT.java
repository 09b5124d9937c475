package dev.faxlan.lines.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.engine.fax.CallScheduler;
import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.lines.CallOutcome;
import dev.faxlan.lines.CallResult;
import dev.faxlan.lines.ReceivedFax;
import dev.faxlan.lines.sip.RegistrationException;
import dev.faxlan.lines.sip.SipAccount;
import dev.faxlan.lines.sip.SipEndpoint;
import dev.faxlan.lines.sip.TestFaxPages;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** faxlan's user agent against SIPp, a second SIP implementation: inbound T.38 INVITE, REGISTER digest, a callee that never answers. */
class FaxlanSippIT {
    private static final Duration LIMIT = Duration.ofSeconds(20);
    private final CallScheduler scheduler = new CallScheduler("test-calls", () -> System.nanoTime() / 1_000_000, 1.0);
    private final LinkedBlockingQueue<ReceivedFax> inbox = new LinkedBlockingQueue<>();
    private SipEndpoint endpoint;

    @AfterEach
    void stop() {
        if (endpoint != null) endpoint.close();
        scheduler.close();
    }

    private SipEndpoint start(InetSocketAddress registrar, String password, boolean register) throws Exception {
        return SipEndpoint.start(new SipEndpoint.Settings("faxlan", LoopbackPorts.HOST, 0, "udp", registrar, Duration.ofSeconds(4), "faxlan-test",
                SipEndpoint.Trust.networks(LoopbackPorts.HOST)),
                new SipAccount("2000", "2000", password, "sipp.test", register, 60),
                (from, to) -> to.equals("0000") ? new SipEndpoint.Decision.Accept(FaxOptions.defaults("+15550100"))
                        : new SipEndpoint.Decision.Reject(404, "unknown"),
                inbox::add, scheduler);
    }

    @Test
    void anInboundInviteOfferingT38IsAnsweredWithT38() throws Exception {
        endpoint = start(null, "", false);
        Sipp.Result r = Sipp.scenario("uac-invite-t38.xml").target(LoopbackPorts.HOST, endpoint.port()).set("caller", "5551234").service("0000")
                .callLength(Duration.ofMillis(1500)).timeout(LIMIT).run();
        assertThat(r.succeeded()).as(r.describe()).isTrue();
        Sipp.Message ok = r.messages().stream().filter(m -> !m.sent() && m.status() == 200 && m.body().contains("m=image")).findFirst().orElseThrow();
        assertThat(ok.body()).contains("udptl t38").contains("a=T38FaxVersion:0").contains("a=T38FaxRateManagement:transferredTCF")
                .contains("a=T38FaxUdpEC:t38UDPRedundancy");
        assertThat(ok.header("Contact")).isPresent();
        // SIPp hung up (BYE) before any fax: the call is reported as received with no pages.
        ReceivedFax fax = inbox.poll(30, TimeUnit.SECONDS);
        assertThat(fax).isNotNull();
        assertThat(fax.callerNumber()).isEqualTo("5551234");
        assertThat(fax.calledNumber()).isEqualTo("0000");
        assertThat(fax.pages()).isEmpty();
        assertThat(fax.result()).isEqualTo(FaxResult.REMOTE_DISCONNECTED);
    }

    @Test
    void anAudioCallIsSwitchedToT38AndASessionRefreshLeavesTheFaxAlone() throws Exception {
        endpoint = start(null, "", false);
        Sipp.Result r = Sipp.scenario("uac-audio-to-t38.xml").target(LoopbackPorts.HOST, endpoint.port()).set("caller", "5551234").service("0000")
                .callLength(Duration.ofMillis(1500)).timeout(LIMIT).run();
        assertThat(r.succeeded()).as(r.describe()).isTrue();
        Sipp.Message reinvite = r.messages().stream().filter(m -> !m.sent() && m.firstLine().startsWith("INVITE")).findFirst().orElseThrow();
        assertThat(reinvite.body()).contains("a=T38FaxVersion:2").contains("a=T38FaxRateManagement:transferredTCF");
        List<Sipp.Message> answers = r.messages().stream().filter(m -> !m.sent() && m.status() == 200 && m.body().contains("m=image")).toList();
        assertThat(answers).as("the refresh is answered with the T.38 SDP in force").isNotEmpty();
        ReceivedFax fax = inbox.poll(30, TimeUnit.SECONDS);
        assertThat(fax).isNotNull();
        assertThat(fax.result()).isEqualTo(FaxResult.REMOTE_DISCONNECTED);
    }

    @Test
    void anInboundInviteToAnUnknownNumberIsRefused() throws Exception {
        endpoint = start(null, "", false);
        Sipp.Result r = Sipp.scenario("uac-invite-t38.xml").target(LoopbackPorts.HOST, endpoint.port()).set("caller", "5551234").service("9999")
                .timeout(Duration.ofSeconds(5)).run();
        assertThat(r.succeeded()).isFalse();
        assertThat(r.receivedStatuses()).contains(404);
    }

    @Test
    void registersWithDigestAuthenticationAtSipp() throws Exception {
        Sipp.Running registrar = Sipp.scenario("uas-register-challenge.xml").set("realm", "sipp.test").set("user", "2000").set("password", "s3cret")
                .timeout(LIMIT).listen();
        endpoint = start(new InetSocketAddress(LoopbackPorts.HOST, registrar.localPort()), "s3cret", true);
        endpoint.registered().get(20, TimeUnit.SECONDS);
        assertThat(endpoint.registrationState()).isEqualTo("registered");
        Sipp.Result r = registrar.await();
        assertThat(r.succeeded()).as(r.describe()).isTrue();
        assertThat(r.sentStatuses()).containsExactly(401, 200);
    }

    @Test
    void aRegistrationIsRefreshedBeforeTheGrantedLifetimeEnds() throws Exception {
        Sipp.Running registrar = Sipp.scenario("uas-register-refresh.xml").set("realm", "sipp.test").set("user", "2000").set("password", "s3cret")
                .timeout(Duration.ofSeconds(30)).listen();
        endpoint = start(new InetSocketAddress(LoopbackPorts.HOST, registrar.localPort()), "s3cret", true);
        endpoint.registered().get(20, TimeUnit.SECONDS);
        Sipp.Result r = registrar.await();
        assertThat(r.succeeded()).as(r.describe()).isTrue();
        assertThat(r.sentStatuses()).containsExactly(401, 200, 401, 200);
        assertThat(r.messages().stream().filter(m -> !m.sent()).map(m -> m.header("Call-ID").orElse("")).distinct()).as("one Call-ID").hasSize(1);
        assertThat(endpoint.registrationState()).isEqualTo("registered");
    }

    @Test
    void aWrongPasswordIsReportedAsRefusedCredentials() throws Exception {
        Sipp.Running registrar = Sipp.scenario("uas-register-challenge.xml").set("realm", "sipp.test").set("user", "2000").set("password", "s3cret")
                .timeout(LIMIT).listen();
        endpoint = start(new InetSocketAddress(LoopbackPorts.HOST, registrar.localPort()), "wrong", true);
        assertThatThrownBy(() -> endpoint.registered().get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(RegistrationException.class).matches(e -> ((RegistrationException) e).credentialsRefused(), "credentials refused");
        registrar.await();
    }

    @Test
    void aCalleeThatRingsAndNeverAnswersIsCancelledAsNoAnswer() throws Exception {
        Sipp.Running callee = Sipp.scenario("uas-ring-no-answer.xml").timeout(LIMIT).listen();
        endpoint = start(null, "", false);
        CallResult r = endpoint.send("5550199", LoopbackPorts.HOST + ":" + callee.localPort(), TestFaxPages.pages(1, 1, 100), FaxOptions.defaults("+15550100"))
                .get(60, TimeUnit.SECONDS);
        assertThat(r.outcome()).as("%s", r).isEqualTo(CallOutcome.NO_ANSWER);
        Sipp.Result s = callee.await();
        assertThat(s.succeeded()).as(s.describe()).isTrue();
        // A retransmitted INVITE (no 180 seen within 500 ms on a busy machine) is legal: one of each, in order.
        assertThat(s.received().stream().map(l -> l.split(" ")[0]).distinct()).containsExactly("INVITE", "CANCEL", "ACK");
    }

    @Test
    void policyT38ThenG711AnswersA488WithAnAudioCallOnTheSameAttempt() throws Exception {
        Sipp.Running callee = Sipp.scenario("uas-refuse-t38-answer-audio.xml").calls(2).timeout(Duration.ofSeconds(150)).listen();
        endpoint = start(null, "", false);
        // SIPp carries no fax: the audio call ends when T.30 hears no answer, after page 0, which is this media's own failure.
        CallResult r = endpoint.send("5550199", LoopbackPorts.HOST + ":" + callee.localPort(), dev.faxlan.engine.fax.OutgoingPages.of(TestFaxPages.pages(1, 1, 100)),
                FaxOptions.defaults("+15550100"), e -> {}, dev.faxlan.lines.MediaPolicy.T38_THEN_G711).get(180, TimeUnit.SECONDS);
        assertThat(r.media()).as("%s", r).isEqualTo(dev.faxlan.lines.Media.G711);
        assertThat(r.mediaWhy()).startsWith("G.711 after T.38 was refused (488 ");
        assertThat(r.outcome()).as("%s", r).isNotEqualTo(CallOutcome.T38_NOT_SUPPORTED);
        Sipp.Result s = callee.await();
        assertThat(s.succeeded()).as(s.describe()).isTrue();
        List<Sipp.Message> invites = s.messages().stream().filter(m -> !m.sent() && m.firstLine().startsWith("INVITE ")).toList();
        assertThat(invites.get(0).body()).as(s.describe()).containsPattern("m=image \\d+ udptl t38").doesNotContain("m=audio");
        assertThat(invites.get(invites.size() - 1).body()).as(s.describe()).containsPattern("m=audio \\d+ RTP/AVP").doesNotContain("m=image");
        assertThat(s.sentStatuses()).as(s.describe()).contains(488, 200);
    }
}
