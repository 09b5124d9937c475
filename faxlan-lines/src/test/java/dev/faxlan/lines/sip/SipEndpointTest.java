package dev.faxlan.lines.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.fax.CallScheduler;
import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.lines.CallOutcome;
import dev.faxlan.lines.CallResult;
import dev.faxlan.lines.ReceivedFax;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two user agents on 127.0.0.1 calling each other directly: real SIP, real UDPTL, the real engine. */
class SipEndpointTest {
    private final CallScheduler scheduler = new CallScheduler("test-calls", () -> System.nanoTime() / 1_000_000, 1.0);
    private final LinkedBlockingQueue<ReceivedFax> inbox = new LinkedBlockingQueue<>();
    private SipEndpoint caller;
    private SipEndpoint callee;

    private SipEndpoint endpoint(String name, SipEndpoint.InboundPolicy policy) throws Exception {
        return SipEndpoint.start(new SipEndpoint.Settings(name, "127.0.0.1", 0, "udp", null, Duration.ofSeconds(5), "faxlan-test"),
                new SipAccount(name, name, "", "127.0.0.1", false, 300), policy, inbox::add, scheduler);
    }

    @AfterEach
    void stop() {
        if (caller != null) caller.close();
        if (callee != null) callee.close();
        scheduler.close();
    }

    @Test
    void aFaxGoesFromOneUserAgentToTheOther() throws Exception {
        callee = endpoint("callee", (from, to) -> new SipEndpoint.Decision.Accept(FaxOptions.defaults("+15550200")));
        caller = endpoint("caller", (from, to) -> new SipEndpoint.Decision.Reject(603, "test"));
        List<BilevelPage> pages = TestFaxPages.pages(1, 2, 240);
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
}
