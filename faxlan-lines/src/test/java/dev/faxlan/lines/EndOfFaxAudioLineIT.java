package dev.faxlan.lines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.fax.FaxEvent;
import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.engine.fax.OutgoingPages;
import dev.faxlan.lines.sip.TestFaxPages;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The end of a fax in G.711 audio over the loopback line (real SIP and RTP, in real time, both ends
 * faxlan's audio terminal), as EndOfFaxLineTest checks it on T.38: the sink stores the fax at its last
 * page, off the RTP stream's thread, before the sender hears the page confirmed; a sink that cannot
 * store it leaves the fax unconfirmed, so the sender's call fails and may be tried again.
 */
class EndOfFaxAudioLineIT {

    @Test
    void theSinkStoresAtTheLastPageBeforeTheSenderHearsItConfirmed() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        List<String> storeThreads = new CopyOnWriteArrayList<>();
        InboundFaxSink sink = new InboundFaxSink() {
            @Override
            public void received(ReceivedFax fax) {
                log.add("received at end " + fax.result() + " " + fax.pages().size());
            }

            @Override
            public void lastPageReceived(ReceivedFax fax) {
                storeThreads.add(Thread.currentThread().getName());
                log.add("stored " + fax.pages().size());
            }
        };
        try (Lines lines = Lines.start(LinesConfig.parse(audio()), sink, "faxlan-test")) {
            CallResult r = send(lines, 2, log);
            assertThat(r.outcome()).as("%s", r).isEqualTo(CallOutcome.SUCCESS);
            assertThat(r.pages()).isEqualTo(2);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> log.contains("received at end OK 2"));
        }
        assertThat(log).as("what happened").containsExactly("confirmed page 1", "stored 2", "confirmed page 2", "received at end OK 2");
        assertThat(storeThreads).as("the store's thread").singleElement().asString().doesNotStartWith("rtp-");
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
        try (Lines lines = Lines.start(LinesConfig.parse(audio()), sink, "faxlan-test")) {
            CallResult r = send(lines, 1, log);
            assertThat(r.outcome()).as("%s", r).isNotEqualTo(CallOutcome.SUCCESS);
            assertThat(r.pages()).as("pages confirmed").isZero();
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> log.stream().anyMatch(s -> s.startsWith("received at end")));
        }
        assertThat(log).as("what happened").containsExactly("store failed", "received at end " + FaxResult.RECEIVED_NOT_STORED);
    }

    /** Sends {@code pages} pages to the loopback line's own number in audio, the sender's confirmed pages logged. */
    private static CallResult send(Lines lines, int pages, List<String> log) throws Exception {
        Line line = lines.lineFor("0000").orElseThrow();
        Consumer<FaxEvent> progress = e -> {
            if (e instanceof FaxEvent.Page p) log.add("confirmed page " + p.number());
        };
        return line.send("0000", OutgoingPages.of(TestFaxPages.pages(6, pages, 200)), Lines.receiveOptions(""), progress, MediaPolicy.G711, null)
                .get(600, TimeUnit.SECONDS);
    }

    private static Properties audio() {
        Properties p = new Properties();
        p.setProperty("line.loopback.policy", "g711");
        p.setProperty("line.loopback.speed", "1");
        return p;
    }
}
