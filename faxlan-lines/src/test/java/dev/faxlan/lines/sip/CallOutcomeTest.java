package dev.faxlan.lines.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faxlan.engine.fax.CallScheduler;
import dev.faxlan.engine.fax.FaxEvent;
import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.lines.CallOutcome;
import dev.faxlan.lines.CallResult;
import dev.faxlan.lines.ReceivedFax;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two user agents on 127.0.0.1 calling each other directly (real SIP, real UDPTL, the real engine): a
 * whole fax, and each way a call can fail ending in its own outcome, with no hang. The tests run side
 * by side: each has its own user agents on ports the system picks, and mostly waits on real-time calls.
 */
class CallOutcomeTest {
    private final CallScheduler scheduler = new CallScheduler("test-calls", () -> System.nanoTime() / 1_000_000, 1.0);
    private final LinkedBlockingQueue<ReceivedFax> inbox = new LinkedBlockingQueue<>();
    private SipEndpoint caller;
    private SipEndpoint callee;

    private SipEndpoint endpoint(String name, SipEndpoint.InboundPolicy policy) throws Exception {
        return SipEndpoint.start(new SipEndpoint.Settings(name, "127.0.0.1", 0, "udp", null, Duration.ofSeconds(5), "faxlan-test",
                SipEndpoint.Trust.networks("127.0.0.1")),
                new SipAccount(name, name, "", "127.0.0.1", false, 300), policy, inbox::add, scheduler);
    }

    @AfterEach
    void stop() {
        if (caller != null) caller.close();
        if (callee != null) callee.close();
        scheduler.close();
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aFaxGoesFromOneUserAgentToTheOther() throws Exception {
        callee = endpoint("callee", (from, to) -> new SipEndpoint.Decision.Accept(FaxOptions.defaults("+15550200")));
        caller = endpoint("caller", (from, to) -> new SipEndpoint.Decision.Reject(603, "test"));
        java.util.List<dev.faxlan.engine.image.BilevelPage> pages = TestFaxPages.pages(1, 2, 240);
        CallResult r = caller.send("5550200", "127.0.0.1:" + callee.port(), pages, FaxOptions.defaults("+15550100")).get(120, TimeUnit.SECONDS);
        assertThat(r.outcome()).as("%s", r).isEqualTo(CallOutcome.SUCCESS);
        assertThat(r.pages()).isEqualTo(2);
        assertThat(r.remoteIdent()).isEqualTo("+15550200");
        ReceivedFax fax = inbox.poll(30, TimeUnit.SECONDS);
        assertThat(fax).isNotNull();
        assertThat(fax.result()).isEqualTo(FaxResult.OK);
        assertThat(fax.calledNumber()).isEqualTo("5550200");
        assertThat(fax.callerNumber()).isEqualTo("caller");
        assertThat(fax.remoteIdent()).isEqualTo("+15550100");
        assertThat(fax.pages()).hasSize(2);
        assertThat(fax.pages().get(0).page().firstDifferentRow(pages.get(0))).isEqualTo(-1);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @Execution(ExecutionMode.CONCURRENT)
    @CsvSource({"486, BUSY", "600, BUSY", "603, REJECTED", "404, REJECTED", "488, T38_NOT_SUPPORTED", "480, NO_ANSWER", "503, NETWORK_ERROR"})
    void finalResponsesMapToOutcomes(int status, CallOutcome expected) throws Exception {
        callee = endpoint("callee", (from, to) -> new SipEndpoint.Decision.Reject(status, "test"));
        caller = endpoint("caller", (from, to) -> new SipEndpoint.Decision.Reject(603, "test"));
        CallResult r = caller.send("5550200", "127.0.0.1:" + callee.port(), TestFaxPages.pages(1, 1, 100), FaxOptions.defaults("+15550100"))
                .get(60, TimeUnit.SECONDS);
        assertThat(r.outcome()).as("%s", r).isEqualTo(expected);
        assertThat(r.sipStatus()).isEqualTo(status);
        assertThat(r.faxResult()).isNull();
        assertThat(caller.activeCalls()).isZero();
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void theCalleeHangingUpDuringTheFaxIsAT30FailureWithTheHangUpAsReason() throws Exception {
        callee = endpoint("callee", (from, to) -> new SipEndpoint.Decision.Accept(FaxOptions.defaults("+15550200")));
        caller = endpoint("caller", (from, to) -> new SipEndpoint.Decision.Reject(603, "test"));
        AtomicBoolean negotiated = new AtomicBoolean();
        var pending = caller.send("5550200", "127.0.0.1:" + callee.port(), TestFaxPages.pages(2, 3, 1200), FaxOptions.defaults("+15550100"),
                e -> {
                    if (e instanceof FaxEvent.Negotiated) negotiated.set(true);
                });
        await().atMost(Duration.ofSeconds(30)).until(() -> callee.activeCalls() == 1);
        // Phase B (about 8 s: CED, DIS, DCS, 1.5 s of TCF) is over when the caller has negotiated; three dense pages follow.
        await().atMost(Duration.ofSeconds(60)).untilTrue(negotiated);
        callee.hangUpAll();
        CallResult r = pending.get(60, TimeUnit.SECONDS);
        assertThat(r.outcome()).as("%s", r).isEqualTo(CallOutcome.T30_FAILURE);
        assertThat(r.faxResult()).isEqualTo(FaxResult.REMOTE_DISCONNECTED);
        assertThat(r.pages()).isLessThan(3);
        ReceivedFax fax = inbox.poll(30, TimeUnit.SECONDS);
        assertThat(fax).isNotNull();
        assertThat(fax.result()).isEqualTo(FaxResult.CANCELLED);
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void cancellingTheCallersFutureHangsUpAndTheCalleeSeesTheHangUp() throws Exception {
        callee = endpoint("callee", (from, to) -> new SipEndpoint.Decision.Accept(FaxOptions.defaults("+15550200")));
        caller = endpoint("caller", (from, to) -> new SipEndpoint.Decision.Reject(603, "test"));
        var pending = caller.send("5550200", "127.0.0.1:" + callee.port(), TestFaxPages.pages(2, 3, 1200), FaxOptions.defaults("+15550100"));
        await().atMost(Duration.ofSeconds(30)).until(() -> callee.activeCalls() == 1);
        pending.cancel(true);
        ReceivedFax fax = inbox.poll(30, TimeUnit.SECONDS);
        assertThat(fax).as("the callee hears the BYE").isNotNull();
        assertThat(fax.result()).isEqualTo(FaxResult.REMOTE_DISCONNECTED);
        await().atMost(Duration.ofSeconds(10)).until(() -> caller.activeCalls() == 0 && callee.activeCalls() == 0);
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aCallToAPortWhereNothingAnswersEndsAsANetworkErrorOrNoAnswer() throws Exception {
        caller = endpoint("caller", (from, to) -> new SipEndpoint.Decision.Reject(603, "test"));
        try (java.net.DatagramSocket silent = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            CallResult r = caller.send("5550200", "127.0.0.1:" + silent.getLocalPort(), TestFaxPages.pages(1, 1, 100), FaxOptions.defaults("+15550100"))
                    .get(60, TimeUnit.SECONDS);
            // The ring timeout (5 s here) ends it before the INVITE transaction's own 32 s timeout.
            assertThat(r.outcome()).as("%s", r).isEqualTo(CallOutcome.NO_ANSWER);
            assertThat(r.sipStatus()).isZero();
        }
    }
}
