package dev.faxlan.lines.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.testkit.PortRetry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * tshark captures and decodes SIP exchanges between SIPp instances on non-standard ports. The
 * capture filters on ports chosen before SIPp binds them: a port taken meanwhile starts the whole
 * exchange again on fresh ones.
 */
class TsharkCaptureIT {

    private static final Duration RUN_LIMIT = Duration.ofSeconds(10);

    /** One captured exchange between SIPp as server and SIPp as client. */
    private record Exchange(int server, int client, List<TsharkCapture.SipRecord> sip) {
    }

    @Test
    void registerExchangeDecodesAsOneDialogue() throws Exception {
        Exchange x = PortRetry.onAddressInUse("sipp registrar and client", attempt -> {
            int[] ports = PortRetry.freeUdp(LoopbackPorts.loopback(), 2);
            try (TsharkCapture capture = TsharkCapture.start(ports)) {
                Sipp.Running registrar = Sipp.scenario("uas-register-challenge.xml").localPort(ports[0])
                        .set("realm", "sipp.test").set("user", "2000").set("password", "secret")
                        .timeout(RUN_LIMIT).listen();
                Sipp.Result r;
                try {
                    r = Sipp.scenario("uac-register.xml").target(LoopbackPorts.HOST, ports[0]).localPort(ports[1])
                            .service("2000").auth("2000", "secret").timeout(RUN_LIMIT).run();
                } catch (PortRetry.PortTaken e) {
                    registrar.kill();
                    throw e;
                }
                assertThat(r.exitCode()).as(r.describe()).isZero();
                registrar.await();
                return new Exchange(ports[0], ports[1], capture.sip());
            }
        });
        int server = x.server();
        int client = x.client();
        List<TsharkCapture.SipRecord> sip = x.sip();

        assertThat(sip).extracting(TsharkCapture.SipRecord::label).containsExactly("REGISTER", "401", "REGISTER", "200");
        assertThat(sip).extracting(TsharkCapture.SipRecord::callId).doesNotContain("").containsOnly(sip.get(0).callId());
        assertThat(sip).extracting(TsharkCapture.SipRecord::dstPort).containsExactly(server, client, server, client);
        assertThat(sip).extracting(TsharkCapture.SipRecord::cseq)
                .containsExactly("1 REGISTER", "1 REGISTER", "2 REGISTER", "2 REGISTER");
    }

    @Test
    void t38SdpIsDecoded() throws Exception {
        List<TsharkCapture.SipRecord> sip = PortRetry.onAddressInUse("sipp callee and caller", attempt -> {
            int[] ports = PortRetry.freeUdp(LoopbackPorts.loopback(), 2);
            try (TsharkCapture capture = TsharkCapture.start(ports)) {
                Sipp.Running answering = Sipp.scenario("uas-answer-t38.xml").localPort(ports[0]).timeout(RUN_LIMIT)
                        .listen();
                Sipp.Result r;
                try {
                    r = Sipp.scenario("uac-invite-t38.xml").target(LoopbackPorts.HOST, ports[0]).localPort(ports[1])
                            .set("caller", "fax").service("2001").callLength(Duration.ofMillis(100)).timeout(RUN_LIMIT).run();
                } catch (PortRetry.PortTaken e) {
                    answering.kill();
                    throw e;
                }
                assertThat(r.exitCode()).as(r.describe()).isZero();
                answering.await();
                return capture.sip();
            }
        });

        assertThat(sip).extracting(TsharkCapture.SipRecord::label)
                .containsExactly("INVITE", "100", "200", "ACK", "BYE", "200");
        for (TsharkCapture.SipRecord withSdp : List.of(sip.get(0), sip.get(2))) {
            assertThat(withSdp.media()).as(withSdp.toString()).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .matches("image \\d+ udptl t38");
            assertThat(withSdp.mediaAttributes()).as(withSdp.toString()).contains("T38FaxVersion:0",
                    "T38MaxBitRate:14400", "T38FaxRateManagement:transferredTCF", "T38FaxUdpEC:t38UDPRedundancy");
        }
        assertThat(sip.get(4).media()).isEmpty();
    }
}
