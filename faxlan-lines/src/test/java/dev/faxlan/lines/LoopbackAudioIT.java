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
 * The loopback line with {@code policy=g711}: real SIP on 127.0.0.1 offering audio only, the fax in
 * G.711 over RTP between two real UDP sockets, paced in real time, both ends faxlan's audio terminal.
 */
class LoopbackAudioIT {
    @Test
    void aThreePageFaxGoesOverRtpAudioAndArrivesPixelExact() throws Exception {
        Properties p = new Properties();
        p.setProperty("line.loopback.policy", "g711");
        LinkedBlockingQueue<ReceivedFax> inbox = new LinkedBlockingQueue<>();
        try (Lines lines = Lines.start(LinesConfig.parse(p), inbox::add, "faxlan-test")) {
            Line line = lines.lineFor("0000").orElseThrow();
            assertThat(line.config().policy()).isEqualTo(MediaPolicy.G711);
            List<BilevelPage> pages = TestFaxPages.pages(11, 3, 300);
            CallResult r = line.send("0000", pages, Lines.receiveOptions("")).get(600, TimeUnit.SECONDS);
            assertThat(r.outcome()).as("%s", r).isEqualTo(CallOutcome.SUCCESS);
            assertThat(r.pages()).isEqualTo(3);
            ReceivedFax fax = inbox.poll(60, TimeUnit.SECONDS);
            assertThat(fax).isNotNull();
            assertThat(fax.result()).isEqualTo(FaxResult.OK);
            assertThat(fax.remoteIdent()).isEqualTo("0000");
            assertThat(fax.pages()).hasSize(3);
            for (int i = 0; i < 3; i++) assertThat(fax.pages().get(i).page().firstDifferentRow(pages.get(i))).as("page %d", i + 1).isEqualTo(-1);
        }
    }
}
