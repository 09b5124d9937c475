package dev.faxlan.lines.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faxlan.engine.fax.CallScheduler;
import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.lines.CallOutcome;
import dev.faxlan.lines.CallResult;
import dev.faxlan.lines.sip.CallTuning;
import dev.faxlan.lines.sip.SipAccount;
import dev.faxlan.lines.sip.SipEndpoint;
import dev.faxlan.lines.sip.TestFaxPages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A whole fax call between two faxlan user agents, captured with tshark and decoded by Wireshark's
 * SIP and SDP dissectors: one dialog INVITE / 200 / ACK / BYE / 200, both SDPs T.38 only.
 */
class FaxCallCaptureIT {

    @Test
    void aFaxCallIsOneWellFormedDialogWithT38Sdp() throws Exception {
        // Both user agents bind port 0 and report the port they got; the capture then filters on those.
        try (CallScheduler scheduler = new CallScheduler("test-calls", () -> System.nanoTime() / 1_000_000, 1.0)) {
            SipEndpoint callee = SipEndpoint.start(new SipEndpoint.Settings("callee", LoopbackPorts.HOST, 0, "udp", null, Duration.ofSeconds(10), "faxlan-test",
                    SipEndpoint.Trust.networks(LoopbackPorts.HOST)),
                    new SipAccount("2001", "2001", "", LoopbackPorts.HOST, false, 60), (from, to) -> new SipEndpoint.Decision.Accept(FaxOptions.defaults("+15550201")),
                    fax -> {}, scheduler);
            SipEndpoint caller = SipEndpoint.start(new SipEndpoint.Settings("caller", LoopbackPorts.HOST, 0, "udp", null, Duration.ofSeconds(10), "faxlan-test",
                    SipEndpoint.Trust.networks(LoopbackPorts.HOST)),
                    new SipAccount("2000", "2000", "", LoopbackPorts.HOST, false, 60), (from, to) -> new SipEndpoint.Decision.Reject(603, "test"),
                    fax -> {}, scheduler);
            int callerPort = caller.port();
            int calleePort = callee.port();
            try (TsharkCapture capture = TsharkCapture.start(callerPort, calleePort)) {
                CallResult r = caller.send("2001", LoopbackPorts.HOST + ":" + calleePort, TestFaxPages.pages(3, 1, 100), FaxOptions.defaults("+15550200"))
                        .get(120, TimeUnit.SECONDS);
                assertThat(r.outcome()).as("%s", r).isEqualTo(CallOutcome.SUCCESS);
                // The caller's BYE goes out just after the call result; the callee answers it before it lets the call go.
                await().atMost(Duration.ofSeconds(30)).until(() -> callee.activeCalls() == 0);
                check(capture, callerPort, calleePort);
            } finally {
                caller.close();
                callee.close();
            }
        }
    }

    /**
     * Issue 19: a line tuned for its trunk (one copy of each indicator, no redundancy, the far end's
     * datagram read as an IFP limit, 1200 octets announced) announces its size in the INVITE, the
     * default line answers 400, and the fax goes through both ways of reading.
     */
    @Test
    void aTunedLineAnnouncesItsDatagramAndFaxesWithADefaultOne() throws Exception {
        try (CallScheduler scheduler = new CallScheduler("test-calls", () -> System.nanoTime() / 1_000_000, 1.0)) {
            SipEndpoint callee = SipEndpoint.start(new SipEndpoint.Settings("callee", LoopbackPorts.HOST, 0, "udp", null, Duration.ofSeconds(10), "faxlan-test",
                    SipEndpoint.Trust.networks(LoopbackPorts.HOST)),
                    new SipAccount("2001", "2001", "", LoopbackPorts.HOST, false, 60), (from, to) -> new SipEndpoint.Decision.Accept(FaxOptions.defaults("+15550201")),
                    fax -> {}, scheduler);
            CallTuning tuned = new CallTuning(1, 0, 1200, 0, CallTuning.DatagramMeaning.IFP, Duration.ZERO);
            SipEndpoint caller = SipEndpoint.start(new SipEndpoint.Settings("caller", LoopbackPorts.HOST, 0, "udp", null, Duration.ofSeconds(10), "faxlan-test",
                    SipEndpoint.Trust.networks(LoopbackPorts.HOST), null, tuned),
                    new SipAccount("2000", "2000", "", LoopbackPorts.HOST, false, 60), (from, to) -> new SipEndpoint.Decision.Reject(603, "test"),
                    fax -> {}, scheduler);
            int callerPort = caller.port();
            int calleePort = callee.port();
            try (TsharkCapture capture = TsharkCapture.start(callerPort, calleePort)) {
                CallResult r = caller.send("2001", LoopbackPorts.HOST + ":" + calleePort, TestFaxPages.pages(2, 2, 100), FaxOptions.defaults("+15550200"))
                        .get(120, TimeUnit.SECONDS);
                assertThat(r.outcome()).as("%s", r).isEqualTo(CallOutcome.SUCCESS);
                assertThat(r.pages()).isEqualTo(2);
                await().atMost(Duration.ofSeconds(30)).until(() -> callee.activeCalls() == 0);
                TsharkCapture.SipRecord invite = capture.sip().stream().filter(s -> "INVITE".equals(s.method())).findFirst().orElseThrow();
                assertThat(invite.mediaAttributes()).contains("T38FaxMaxDatagram:1200");
                TsharkCapture.SipRecord answer = capture.sip().stream().filter(s -> s.status() == 200 && s.cseq().contains("INVITE")).findFirst()
                        .orElseThrow();
                assertThat(answer.mediaAttributes()).contains("T38FaxMaxDatagram:400");
            } finally {
                caller.close();
                callee.close();
            }
        }
    }

    private static void check(TsharkCapture capture, int callerPort, int calleePort) throws Exception {
        // UDP retransmissions (a 200 repeated until its ACK arrives, and that ACK repeated) are legal: keep first copies.
        // How many copies of the 200 to the INVITE went out, and how many after the first ACK had arrived
        // (docs/lines.md "The 200 OK sent again"): printed for the record, as the stack's timing decides them.
        List<TsharkCapture.SipRecord> all = capture.sip();
        int firstAck = all.stream().filter(s -> "ACK".equals(s.method())).mapToInt(TsharkCapture.SipRecord::frame).min().orElse(Integer.MAX_VALUE);
        long oks = all.stream().filter(s -> s.status() == 200 && s.cseq().contains("INVITE")).count();
        long oksAfterAck = all.stream().filter(s -> s.status() == 200 && s.cseq().contains("INVITE") && s.frame() > firstAck).count();
        long invites = all.stream().filter(s -> "INVITE".equals(s.method())).count();
        System.out.printf("    capture: %d INVITE, %d 200 to the INVITE, %d of them after the first ACK%n", invites, oks, oksAfterAck);
        List<TsharkCapture.SipRecord> sip = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (TsharkCapture.SipRecord r : capture.sip()) if (seen.add(r.label() + " " + r.cseq())) sip.add(r);
        assertThat(sip).extracting(TsharkCapture.SipRecord::label).as("%s", sip)
                .filteredOn(l -> !l.equals("100"))
                .containsExactly("INVITE", "200", "ACK", "BYE", "200");
        assertThat(sip).extracting(TsharkCapture.SipRecord::callId).containsOnly(sip.get(0).callId());
        TsharkCapture.SipRecord invite = sip.get(0);
        assertThat(invite.srcPort()).isEqualTo(callerPort);
        assertThat(invite.dstPort()).isEqualTo(calleePort);
        assertThat(invite.media()).singleElement().asString().matches("image [0-9]+ udptl t38");
        assertThat(invite.mediaAttributes()).contains("T38FaxVersion:2", "T38MaxBitRate:14400", "T38FaxRateManagement:transferredTCF",
                "T38FaxMaxBuffer:2000", "T38FaxMaxDatagram:400", "T38FaxUdpEC:t38UDPRedundancy");
        TsharkCapture.SipRecord answer = sip.stream().filter(s -> s.status() == 200 && s.cseq().contains("INVITE")).findFirst().orElseThrow();
        assertThat(answer.srcPort()).isEqualTo(calleePort);
        assertThat(answer.media()).singleElement().asString().matches("image [0-9]+ udptl t38");
        assertThat(answer.mediaAttributes()).contains("T38FaxVersion:2", "T38FaxRateManagement:transferredTCF");
        TsharkCapture.SipRecord bye = sip.stream().filter(s -> "BYE".equals(s.method())).findFirst().orElseThrow();
        assertThat(bye.srcPort()).as("the sender hangs up").isEqualTo(callerPort);
    }
}
