package dev.faxlan.lines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.lines.sip.TestFaxPages;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Policy {@code t38-then-g711} against a far end that takes audio only: the loopback line with
 * {@code policy=g711} answers a T.38 offer with 488, and the same attempt calls again offering G.711
 * and delivers over RTP audio. Real SIP and RTP on 127.0.0.1.
 */
class MediaFallbackIT {
    @Test
    void aT38OfferRefusedWith488IsFollowedByAnAudioCallThatDelivers() throws Exception {
        Properties p = new Properties();
        p.setProperty("line.loopback.policy", "g711");
        LinkedBlockingQueue<ReceivedFax> inbox = new LinkedBlockingQueue<>();
        try (Lines lines = Lines.start(LinesConfig.parse(p), inbox::add, "faxlan-test")) {
            Line line = lines.lineFor("0000").orElseThrow();
            List<BilevelPage> pages = TestFaxPages.pages(5, 1, 200);
            CallResult r = line.send("0000", dev.faxlan.engine.fax.OutgoingPages.of(pages), Lines.receiveOptions(""), e -> {},
                    MediaPolicy.T38_THEN_G711).get(600, TimeUnit.SECONDS);
            assertThat(r.outcome()).as("%s", r).isEqualTo(CallOutcome.SUCCESS);
            assertThat(r.pages()).isEqualTo(1);
            assertThat(r.media()).isEqualTo(Media.G711);
            assertThat(r.mediaWhy()).startsWith("G.711 after T.38 was refused (488 ").endsWith(") (policy t38-then-g711)");
            ReceivedFax fax = inbox.poll(60, TimeUnit.SECONDS);
            assertThat(fax).isNotNull();
            assertThat(fax.result()).isEqualTo(FaxResult.OK);
            assertThat(fax.pages()).hasSize(1);
            assertThat(fax.pages().get(0).page().firstDifferentRow(pages.get(0))).isEqualTo(-1);
            // The refused T.38 call never reached the inbox: one fax arrived, not two.
            assertThat(inbox.poll(2, TimeUnit.SECONDS)).isNull();
        }
    }

    @Test
    void underPolicyT38TheRefusalEndsTheAttempt() throws Exception {
        Properties p = new Properties();
        p.setProperty("line.loopback.policy", "g711");
        try (Lines lines = Lines.start(LinesConfig.parse(p), f -> {}, "faxlan-test")) {
            Line line = lines.lineFor("0000").orElseThrow();
            CallResult r = line.send("0000", dev.faxlan.engine.fax.OutgoingPages.of(TestFaxPages.pages(5, 1, 200)), Lines.receiveOptions(""),
                    e -> {}, MediaPolicy.T38).get(120, TimeUnit.SECONDS);
            assertThat(r.outcome()).as("%s", r).isEqualTo(CallOutcome.T38_NOT_SUPPORTED);
            assertThat(r.sipStatus()).isEqualTo(488);
            assertThat(r.media()).isEqualTo(Media.T38);
        }
    }
}
