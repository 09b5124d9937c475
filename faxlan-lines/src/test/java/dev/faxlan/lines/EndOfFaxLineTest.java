package dev.faxlan.lines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.fax.EndOfFax;
import dev.faxlan.engine.fax.FaxEvent;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.lines.sip.TestFaxPages;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The end of a fax over the loopback line (real SIP and UDPTL, at ten times real time): the sink stores the fax
 * at its last page, before the sender hears the confirmation, and hears of the call's end after that; a
 * sink that cannot store it leaves the fax unconfirmed, so the sender's call fails and may be tried again.
 */
class EndOfFaxLineTest {

    @Test
    void theSinkStoresAtTheLastPageBeforeTheSenderHearsItConfirmedAndHearsOfTheEndAfter() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        InboundFaxSink sink = new InboundFaxSink() {
            @Override
            public void received(ReceivedFax fax) {
                log.add("received at end " + fax.result() + " " + fax.pages().size());
            }

            @Override
            public void lastPageReceived(ReceivedFax fax) {
                log.add("stored " + fax.pages().size());
            }
        };
        List<BilevelPage> pages = TestFaxPages.pages(3, 2, 200);
        try (Lines lines = Lines.start(LinesConfig.parse(fast()), sink, "faxlan-test")) {
            CallResult r = lines.lineFor("0000").orElseThrow().send("0000", pages, Lines.receiveOptions(""), new Progress(log)).get(120, TimeUnit.SECONDS);
            assertThat(r.outcome()).as("%s", r).isEqualTo(CallOutcome.SUCCESS);
            assertThat(r.pages()).isEqualTo(2);
            // Handed over again at the call's end, when the sink tells others of the fax it stored.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> log.size() >= 3);
        }
        assertThat(log).as("what happened").containsExactly("stored 2", "confirmed 2", "received at end OK 2");
    }

    @Test
    void aFaxTheSinkCannotStoreIsNotConfirmed() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        InboundFaxSink sink = new InboundFaxSink() {
            @Override
            public void received(ReceivedFax fax) {
                log.add("received at end " + fax.result());
            }

            @Override
            public void lastPageReceived(ReceivedFax fax) throws Exception {
                log.add("store failed");
                throw new java.io.IOException("no space left on device");
            }
        };
        try (Lines lines = Lines.start(LinesConfig.parse(fast()), sink, "faxlan-test")) {
            CallResult r = lines.lineFor("0000").orElseThrow().send("0000", TestFaxPages.pages(4, 1, 200), Lines.receiveOptions(""), new Progress(log))
                    .get(120, TimeUnit.SECONDS);
            assertThat(r.outcome()).as("%s", r).isNotEqualTo(CallOutcome.SUCCESS);
            assertThat(r.pages()).as("pages confirmed").isZero();
        }
        assertThat(log).as("what happened").startsWith("store failed").doesNotContain("confirmed 1");
    }

    @Test
    void aCallsCallIdBeginsWithItsTagAndTheReceivedFaxCarriesIt() throws Exception {
        List<String> stored = new CopyOnWriteArrayList<>();
        List<String> ended = new CopyOnWriteArrayList<>();
        InboundFaxSink sink = new InboundFaxSink() {
            @Override
            public void received(ReceivedFax fax) {
                ended.add(fax.callId());
            }

            @Override
            public void lastPageReceived(ReceivedFax fax) {
                stored.add(fax.callId());
            }
        };
        try (Lines lines = Lines.start(LinesConfig.parse(fast()), sink, "faxlan-test")) {
            Line line = lines.lineFor("0000").orElseThrow();
            CallResult r = line.send("0000", dev.faxlan.engine.fax.OutgoingPages.of(TestFaxPages.pages(5, 1, 200)), Lines.receiveOptions(""),
                    e -> {}, MediaPolicy.T38, "fxattempt42").get(120, TimeUnit.SECONDS);
            assertThat(r.outcome()).as("%s", r).isEqualTo(CallOutcome.SUCCESS);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> ended.size() == 1);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> line.send("0000", dev.faxlan.engine.fax.OutgoingPages.of(TestFaxPages.pages(5, 1, 200)),
                    Lines.receiveOptions(""), e -> {}, MediaPolicy.T38, "fx%")).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(stored).singleElement().asString().startsWith("fxattempt42-").contains("@");
        assertThat(ended).as("the same call at its end").isEqualTo(stored);
    }

    private static Properties fast() {
        Properties p = new Properties();
        p.setProperty("line.loopback.speed", "10");
        return p;
    }

    /** The sender's progress, told of the final confirmation. */
    private record Progress(List<String> log) implements Consumer<FaxEvent>, EndOfFax {
        @Override
        public void accept(FaxEvent e) {}

        @Override
        public void lastPageConfirmed(int pages) {
            log.add("confirmed " + pages);
        }
    }
}
