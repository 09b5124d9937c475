package dev.faxlan.engine.fax;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t4.Compression;
import dev.faxlan.engine.t30.Fcf;
import dev.faxlan.engine.t30.T30Frame;
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

    @ParameterizedTest(name = "{0} dpi, {1}, {2} pages, loss {3}, ecm {4}")
    @CsvSource({"98,MH,1,0,false", "196,MR,3,0,false", "391,MH,2,0,false", "196,MH,10,0,false", "196,MR,2,0.05,false",
            "98,MMR,1,0,true", "196,MMR,3,0,true", "391,MR,2,0,true", "196,MH,2,0,true", "196,MMR,10,0,true",
            "196,MMR,3,0.05,true", "196,MR,2,0.10,true"})
    void sendsAndReceivesPixelExact(int yRes, Compression coding, int pageCount, double loss, boolean ecm) throws Exception {
        List<BilevelPage> pages = new ArrayList<>();
        for (int i = 0; i < pageCount; i++) pages.add(page(yRes, i));
        List<FaxEvent> sent = new ArrayList<>();
        List<FaxEvent> received = new ArrayList<>();
        FaxOptions txOptions = FaxOptions.defaults("+1 555 0100").withCodings(EnumSet.of(coding)).withEcm(ecm);
        FaxOptions rxOptions = FaxOptions.defaults("+1 555 0199").withCodings(EnumSet.allOf(Compression.class)).withEcm(ecm);
        T38Terminal tx = T38Terminal.send(pages, txOptions, sent::add, 0);
        T38Terminal rx = T38Terminal.receive(rxOptions, received::add, 0);
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
        assertThat(n.dcs().ecm()).isEqualTo(ecm);
    }

    @org.junit.jupiter.api.Test
    void senderGivesUpWithT1WhenNobodyAnswers() throws Exception {
        List<FaxEvent> events = new ArrayList<>();
        T38Terminal tx = T38Terminal.send(List.of(page(196, 1)), FaxOptions.defaults("1"), events::add, 0);
        long t = 0;
        while (!tx.done() && t < 100_000) {
            tx.poll(t);
            t = Math.max(t + 1, Math.min(tx.nextWakeup(), t + 1000));
        }
        assertThat(tx.result()).isEqualTo(FaxResult.T1_EXPIRED);
        assertThat(t).isBetween(FaxSession.T1_MS, FaxSession.T1_MS + 2000);
    }

    /** Without UDPTL redundancy, lost image frames must come back through PPR (partial page retransmission). */
    @org.junit.jupiter.api.Test
    void ecmRepairsLostFramesWithPartialPageRequests() throws Exception {
        List<BilevelPage> pages = List.of(page(196, 7), page(196, 8));
        List<FaxEvent> received = new ArrayList<>();
        FaxOptions opts = FaxOptions.defaults("1").withCodings(EnumSet.allOf(Compression.class)).withEcm(true);
        T38Terminal tx = T38Terminal.send(pages, opts, e -> {}, 0);
        T38Terminal rx = T38Terminal.receive(opts, received::add, 0);
        FaxCallSimulation sim = new FaxCallSimulation(tx, rx, 20, 0.03, 0, 2, 5);
        sim.run(10 * 60_000);
        assertThat(sim.dropped).isPositive();
        assertThat(tx.result()).isEqualTo(FaxResult.OK);
        assertThat(rx.result()).isEqualTo(FaxResult.OK);
        assertThat(tx.pprRounds()).as("PPR rounds").isPositive();
        List<BilevelPage> got = received.stream().filter(e -> e instanceof FaxEvent.Page).map(e -> ((FaxEvent.Page) e).received().page()).toList();
        assertThat(got).hasSize(2);
        assertThat(got.get(0).firstDifferentRow(pages.get(0))).isEqualTo(-1);
        assertThat(got.get(1).firstDifferentRow(pages.get(1))).isEqualTo(-1);
    }

    /** B4 and A3 pages (2048 and 2432 pels) go through, with subaddress and sender identification. */
    @ParameterizedTest(name = "{0} pels, ecm {1}")
    @CsvSource({"2048,false", "2432,false", "2048,true", "2432,true"})
    void widePagesWithSubaddressAndSenderId(int width, boolean ecm) throws Exception {
        BilevelPage wide = new BilevelPage(width, 300, 204, 196);
        for (int y = 0; y < 300; y += 3) for (int x = y; x < width; x += 97) wide.setPixel(x, y, true);
        List<FaxEvent> received = new ArrayList<>();
        FaxOptions txOpts = FaxOptions.defaults("+1 555 0100").withCodings(EnumSet.allOf(Compression.class)).withEcm(ecm)
                .withSubaddress("42").withSenderId("secret-7");
        T38Terminal tx = T38Terminal.send(List.of(wide), txOpts, e -> {}, 0);
        T38Terminal rx = T38Terminal.receive(FaxOptions.defaults("2").withCodings(EnumSet.allOf(Compression.class)).withEcm(ecm), received::add, 0);
        new FaxCallSimulation(tx, rx, 20, 0, 3, 2, 1).run(10 * 60_000);
        assertThat(tx.result()).isEqualTo(FaxResult.OK);
        FaxEvent.Negotiated n = (FaxEvent.Negotiated) received.stream().filter(e -> e instanceof FaxEvent.Negotiated).findFirst().orElseThrow();
        assertThat(n.dcs().widthPels()).isEqualTo(width);
        assertThat(n.subaddress()).isEqualTo("42");
        assertThat(n.senderId()).isEqualTo("secret-7");
        BilevelPage got = received.stream().filter(e -> e instanceof FaxEvent.Page).map(e -> ((FaxEvent.Page) e).received().page()).findFirst().orElseThrow();
        assertThat(got.width()).isEqualTo(width);
        assertThat(got.firstDifferentRow(wide)).isEqualTo(-1);
    }

    /** Pages made when the session asks for them, with a record of the asks and the pages confirmed by then. */
    static final class CountingPages implements OutgoingPages {
        final int count;
        final int failAt;
        final List<String> asks = new ArrayList<>();
        T38Terminal session;

        CountingPages(int count, int failAt) {
            this.count = count;
            this.failAt = failAt;
        }

        public int count() {
            return count;
        }

        public int width() {
            return 1728;
        }

        public int yRes() {
            return 196;
        }

        public BilevelPage page(int index) throws java.io.IOException {
            asks.add(index + " after " + session.pagesTransferred());
            if (index == failAt) throw new java.io.IOException("disk error");
            return FaxSessionTest.page(196, index);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "ecm {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void pagesAreReadOneAtATimeWhenTheyAreCoded(boolean ecm) throws Exception {
        CountingPages pages = new CountingPages(4, -1);
        List<FaxEvent> received = new ArrayList<>();
        T38Terminal tx = T38Terminal.send(pages, FaxOptions.defaults("+1 555 0100").withEcm(ecm), e -> {}, 0);
        pages.session = tx;
        T38Terminal rx = T38Terminal.receive(FaxOptions.defaults("+1 555 0199").withEcm(ecm), received::add, 0);
        new FaxCallSimulation(tx, rx, 20, 0, 3, 2, 7).run(10 * 60_000);
        assertThat(tx.result()).isEqualTo(FaxResult.OK);
        assertThat(pages.asks).as("each page is read after the one before was confirmed").containsExactly("0 after 0", "1 after 1", "2 after 2",
                "3 after 3");
        List<BilevelPage> got = received.stream().filter(e -> e instanceof FaxEvent.Page).map(e -> ((FaxEvent.Page) e).received().page()).toList();
        for (int i = 0; i < 4; i++) assertThat(got.get(i).firstDifferentRow(page(196, i))).as("page %d", i + 1).isEqualTo(-1);
    }

    @org.junit.jupiter.api.Test
    void aPageThatCannotBeReadEndsTheCallAfterThePagesBefore() throws Exception {
        CountingPages pages = new CountingPages(3, 1);
        T38Terminal tx = T38Terminal.send(pages, FaxOptions.defaults("+1 555 0100").withEcm(true), e -> {}, 0);
        pages.session = tx;
        T38Terminal rx = T38Terminal.receive(FaxOptions.defaults("+1 555 0199").withEcm(true), e -> {}, 0);
        new FaxCallSimulation(tx, rx, 20, 0, 3, 2, 7).run(10 * 60_000);
        assertThat(tx.result()).isEqualTo(FaxResult.PAGE_NOT_READ);
        assertThat(tx.pagesTransferred()).isEqualTo(1);
    }

    /**
     * Documents of different resolution and width in one call: EOM after each document but the last,
     * a new DCS for each, and every page arrives pixel-exact at its own resolution and width.
     */
    @ParameterizedTest(name = "ecm {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void documentsOfDifferentResolutionGoInOneCallWithEom(boolean ecm) throws Exception {
        BilevelPage wide = new BilevelPage(2048, 200, 204, 98);
        for (int y = 0; y < 200; y += 3) for (int x = y; x < 2048; x += 89) wide.setPixel(x, y, true);
        List<List<BilevelPage>> documents = List.of(List.of(page(98, 1), page(98, 2)), List.of(page(196, 3)), List.of(wide), List.of(page(98, 4)));
        List<BilevelPage> pages = documents.stream().flatMap(List::stream).toList();
        List<FaxEvent> received = new ArrayList<>();
        List<T30Frame> sentBySender = new ArrayList<>();
        FaxOptions opts = FaxOptions.defaults("+1 555 0100").withCodings(EnumSet.allOf(Compression.class)).withEcm(ecm);
        T38Terminal tx = T38Terminal.send(OutgoingPages.documents(documents), opts, e -> {}, new FaxSessionObserver() {
            @Override
            public void frames(Direction direction, T30State state, List<T30Frame> frames, long now) {
                if (direction == Direction.SENT) sentBySender.addAll(frames);
            }
        }, 0);
        T38Terminal rx = T38Terminal.receive(FaxOptions.defaults("+1 555 0199").withCodings(EnumSet.allOf(Compression.class)).withEcm(ecm),
                received::add, 0);
        new FaxCallSimulation(tx, rx, 20, 0, 3, 2, 11).run(10 * 60_000);
        assertThat(tx.result()).isEqualTo(FaxResult.OK);
        assertThat(rx.result()).isEqualTo(FaxResult.OK);
        assertThat(tx.pagesTransferred()).isEqualTo(5);
        List<BilevelPage> got = received.stream().filter(e -> e instanceof FaxEvent.Page).map(e -> ((FaxEvent.Page) e).received().page()).toList();
        assertThat(got).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(got.get(i).yRes()).as("page %d resolution", i + 1).isEqualTo(pages.get(i).yRes());
            assertThat(got.get(i).width()).as("page %d width", i + 1).isEqualTo(pages.get(i).width());
            assertThat(got.get(i).firstDifferentRow(pages.get(i))).as("page %d", i + 1).isEqualTo(-1);
        }
        List<dev.faxlan.engine.t30.Fcf> commands = sentBySender.stream().map(T30Frame::fcf)
                .filter(f -> f == Fcf.DCS || f == Fcf.MPS || f == Fcf.EOM
                        || f == Fcf.EOP || f == Fcf.PPS)
                .toList();
        assertThat(commands.stream().filter(f -> f == Fcf.DCS).count()).as("one DCS per document").isEqualTo(4);
        if (!ecm) {
            assertThat(commands).containsSubsequence(Fcf.MPS, Fcf.EOM, Fcf.EOM,
                    Fcf.EOM, Fcf.EOP);
        }
    }
}
