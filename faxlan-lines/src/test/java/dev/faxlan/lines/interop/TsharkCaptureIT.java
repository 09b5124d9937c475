package dev.faxlan.lines.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** tshark captures and decodes SIP exchanges between SIPp instances on non-standard ports. */
class TsharkCaptureIT {

    private static final Duration RUN_LIMIT = Duration.ofSeconds(10);

    @Test
    void registerExchangeDecodesAsOneDialogue() throws Exception {
        int server = LoopbackPorts.freeUdp();
        int client = LoopbackPorts.freeUdp();
        List<TsharkCapture.SipRecord> sip;
        try (TsharkCapture capture = TsharkCapture.start(server, client)) {
            Sipp.Running registrar = Sipp.scenario("uas-register-challenge.xml").localPort(server)
                    .set("realm", "sipp.test").set("user", "2000").set("password", "secret")
                    .timeout(RUN_LIMIT).start().awaitListening();
            Sipp.Result r = Sipp.scenario("uac-register.xml").target(LoopbackPorts.HOST, server).localPort(client)
                    .service("2000").auth("2000", "secret").timeout(RUN_LIMIT).run();
            assertThat(r.exitCode()).as(r.describe()).isZero();
            registrar.await();
            sip = capture.sip();
        }

        assertThat(sip).extracting(TsharkCapture.SipRecord::label).containsExactly("REGISTER", "401", "REGISTER", "200");
        assertThat(sip).extracting(TsharkCapture.SipRecord::callId).doesNotContain("").containsOnly(sip.get(0).callId());
        assertThat(sip).extracting(TsharkCapture.SipRecord::dstPort).containsExactly(server, client, server, client);
        assertThat(sip).extracting(TsharkCapture.SipRecord::cseq)
                .containsExactly("1 REGISTER", "1 REGISTER", "2 REGISTER", "2 REGISTER");
    }

    @Test
    void t38SdpIsDecoded() throws Exception {
        int callee = LoopbackPorts.freeUdp();
        int caller = LoopbackPorts.freeUdp();
        List<TsharkCapture.SipRecord> sip;
        try (TsharkCapture capture = TsharkCapture.start(callee, caller)) {
            Sipp.Running answering = Sipp.scenario("uas-answer-t38.xml").localPort(callee).timeout(RUN_LIMIT)
                    .start().awaitListening();
            Sipp.Result r = Sipp.scenario("uac-invite-t38.xml").target(LoopbackPorts.HOST, callee).localPort(caller)
                    .set("caller", "fax").service("2001").callLength(Duration.ofMillis(100)).timeout(RUN_LIMIT).run();
            assertThat(r.exitCode()).as(r.describe()).isZero();
            answering.await();
            sip = capture.sip();
        }

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
