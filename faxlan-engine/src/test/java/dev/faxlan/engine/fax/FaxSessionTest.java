package dev.faxlan.engine.fax;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t30.Compression;
import dev.faxlan.engine.t30.Modem;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Whole calls between two faxlan sessions over a simulated T.38 path. */
class FaxSessionTest {

    static BilevelPage page(int yRes, long seed) {
        int height = yRes == 98 ? 200 : yRes == 196 ? 400 : 800;
        BilevelPage p = new BilevelPage(1728, height, 204, yRes);
        Random r = new Random(seed);
        for (int y = 0; y < height; y += 1 + r.nextInt(6)) {
            int x0 = r.nextInt(1600);
            int len = 1 + r.nextInt(120);
            for (int x = x0; x < Math.min(1728, x0 + len); x++) p.setPixel(x, y, true);
        }
        return p;
    }

    @ParameterizedTest(name = "{0} dpi, {1}, {2} pages, loss {3}")
    @CsvSource({"98,MH,1,0", "196,MR,3,0", "391,MH,2,0", "196,MH,10,0", "196,MR,2,0.05"})
    void sendsAndReceivesPixelExact(int yRes, Compression coding, int pageCount, double loss) throws Exception {
        List<BilevelPage> pages = new ArrayList<>();
        for (int i = 0; i < pageCount; i++) pages.add(page(yRes, i));
        List<FaxEvent> sent = new ArrayList<>();
        List<FaxEvent> received = new ArrayList<>();
        FaxSession tx = FaxSession.send(pages, FaxOptions.defaults("+1 555 0100").withCodings(EnumSet.of(coding)), sent::add, 0);
        FaxSession rx = FaxSession.receive(FaxOptions.defaults("+1 555 0199"), received::add, 0);
        FaxCallSimulation sim = new FaxCallSimulation(tx, rx, 20, loss, 3, 2, 42);
        long took = sim.run(10 * 60_000);
        assertThat(tx.result()).as("sender result after %d ms simulated", took).isEqualTo(FaxResult.OK);
        assertThat(rx.result()).isEqualTo(FaxResult.OK);
        assertThat(tx.pagesTransferred()).isEqualTo(pageCount);
        List<BilevelPage> got = received.stream().filter(e -> e instanceof FaxEvent.Page).map(e -> ((FaxEvent.Page) e).received().page()).toList();
        assertThat(got).hasSize(pageCount);
        for (int i = 0; i < pageCount; i++) {
            assertThat(got.get(i).firstDifferentRow(pages.get(i))).as("page %d", i + 1).isEqualTo(-1);
        }
        FaxEvent.Negotiated n = (FaxEvent.Negotiated) received.stream().filter(e -> e instanceof FaxEvent.Negotiated).findFirst().orElseThrow();
        assertThat(n.remoteIdent()).isEqualTo("+1 555 0100");
        assertThat(n.dcs().modem()).isEqualTo(Modem.V17_14400);
        assertThat(n.dcs().compression()).isEqualTo(coding);
    }

    @org.junit.jupiter.api.Test
    void senderGivesUpWithT1WhenNobodyAnswers() throws Exception {
        List<FaxEvent> events = new ArrayList<>();
        FaxSession tx = FaxSession.send(List.of(page(196, 1)), FaxOptions.defaults("1"), events::add, 0);
        long t = 0;
        while (!tx.done() && t < 100_000) {
            tx.poll(t);
            t = Math.max(t + 1, Math.min(tx.nextWakeup(), t + 1000));
        }
        assertThat(tx.result()).isEqualTo(FaxResult.T1_EXPIRED);
        assertThat(t).isBetween(FaxSession.T1_MS, FaxSession.T1_MS + 2000);
    }
}
