package dev.faxlan.engine.fax;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.image.BilevelPage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Pages coded and decoded by a worker that answers late: the call waits for the answer, sending nothing meanwhile. */
class PageWorkTest {

    @ParameterizedTest(name = "ecm {0}")
    @ValueSource(booleans = {false, true})
    void aSenderWaitsInPhaseCForItsPageAndAReceiverAnswersOnceItsPageIsDecoded(boolean ecm) throws Exception {
        List<BilevelPage> pages = List.of(FaxSessionTest.page(196, 3), FaxSessionTest.page(196, 4));
        List<FaxEvent> received = new ArrayList<>();
        T38Terminal tx = T38Terminal.send(pages, FaxOptions.defaults("+1 555 0100").withEcm(ecm), e -> {}, 0);
        List<String> answered = new ArrayList<>();
        FaxSessionObserver rxFrames = new FaxSessionObserver() {
            @Override
            public void frames(Direction direction, T30State state, List<dev.faxlan.engine.t30.T30Frame> frames, long now) {
                if (direction == Direction.SENT) frames.forEach(f -> answered.add(f.fcf().name()));
            }
        };
        T38Terminal rx = T38Terminal.receive(FaxOptions.defaults("+1 555 0199").withEcm(ecm), received::add, rxFrames, 0);
        FaxCallSimulation sim = new FaxCallSimulation(tx, rx, 20, 0, 3, 2, 1);
        sim.wire = new ArrayList<>();
        // Coding takes longer than DCS and the training check: the sender reaches phase C before its page.
        FaxCallSimulation.DelayedWork coding = sim.delayWork(tx, 8_000);
        // Decoding takes longer than the post-page command takes to come (without ECM it is held till then).
        sim.delayWork(rx, 1_500);

        long t = 0;
        while (!(tx.state() == T30State.I || tx.state() == T30State.IV) && t < 60_000) sim.run(t += 10);
        assertThat(tx.state()).as("the sender has begun phase C").isIn(T30State.I, T30State.IV);
        assertThat(coding.pending).as("its page still being coded").hasSize(1);
        assertThat(tx.nextWakeup()).as("nothing queued to send, no timer running").isEqualTo(Long.MAX_VALUE);
        long codedAt = coding.next();
        long sentBefore = senderIfps(sim);
        sim.run(codedAt - 1);
        assertThat(senderIfps(sim)).as("IFPs sent while the page was coded").isEqualTo(sentBefore);

        sim.run(10 * 60_000);
        assertThat(tx.result()).isEqualTo(FaxResult.OK);
        assertThat(rx.result()).isEqualTo(FaxResult.OK);
        String firstAfter = sim.wire.stream().filter(l -> l.contains(" A ") && Long.parseLong(l.substring(0, l.indexOf(' '))) >= codedAt)
                .findFirst().orElseThrow();
        assertThat(Long.parseLong(firstAfter.substring(0, firstAfter.indexOf(' ')))).as("the page's training starts 75 ms after the page is coded")
                .isEqualTo(codedAt + T38FrontEnd.SILENCE_MS);
        assertThat(answered).as("the receiver's answers: each page confirmed once it was decoded").containsSubsequence("MCF", "MCF")
                .doesNotContain("RTN", "PPR", "CRP");
        List<BilevelPage> got = received.stream().filter(e -> e instanceof FaxEvent.Page).map(e -> ((FaxEvent.Page) e).received().page()).toList();
        assertThat(got).hasSize(2);
        for (int i = 0; i < 2; i++) assertThat(got.get(i).firstDifferentRow(pages.get(i))).as("page %d", i + 1).isEqualTo(-1);
    }

    /**
     * An ECM receiver whose page takes 5 s to decode is not ready for the next block: it answers the
     * page's PPS with RNR, and the sender's RR polls with RNR, until the page is decoded; then MCF.
     */
    @org.junit.jupiter.api.Test
    void anEcmReceiverStillDecodingAnswersRnrUntilThePageIsDecoded() throws Exception {
        List<BilevelPage> pages = List.of(FaxSessionTest.page(196, 5), FaxSessionTest.page(196, 6));
        List<FaxEvent> received = new ArrayList<>();
        List<String> rxSent = new ArrayList<>();
        List<String> txSent = new ArrayList<>();
        T38Terminal tx = T38Terminal.send(OutgoingPages.of(pages), FaxOptions.defaults("+1 555 0100").withEcm(true), e -> {}, sentBy(txSent), 0);
        T38Terminal rx = T38Terminal.receive(FaxOptions.defaults("+1 555 0199").withEcm(true), received::add, sentBy(rxSent), 0);
        FaxCallSimulation sim = new FaxCallSimulation(tx, rx, 20, 0, 3, 2, 1);
        sim.delayWork(rx, 5_000);
        sim.run(10 * 60_000);
        assertThat(tx.result()).isEqualTo(FaxResult.OK);
        assertThat(rx.result()).isEqualTo(FaxResult.OK);
        assertThat(rxSent).as("the receiver's answers").containsSubsequence("RNR", "RNR", "MCF", "RNR", "RNR", "MCF").doesNotContain("PPR", "CRP");
        assertThat(txSent).as("the sender polls").containsSubsequence("PPS", "RR", "PPS", "RR");
        List<BilevelPage> got = received.stream().filter(e -> e instanceof FaxEvent.Page).map(e -> ((FaxEvent.Page) e).received().page()).toList();
        assertThat(got).hasSize(2);
        for (int i = 0; i < 2; i++) assertThat(got.get(i).firstDifferentRow(pages.get(i))).as("page %d", i + 1).isEqualTo(-1);
    }

    private static FaxSessionObserver sentBy(List<String> sent) {
        return new FaxSessionObserver() {
            @Override
            public void frames(Direction direction, T30State state, List<dev.faxlan.engine.t30.T30Frame> frames, long now) {
                if (direction == Direction.SENT) frames.forEach(f -> sent.add(f.fcf().name()));
            }
        };
    }

    private static long senderIfps(FaxCallSimulation sim) {
        return sim.wire.stream().filter(l -> l.contains(" A ")).count();
    }

    /**
     * CFR for the first training check comes while the repeated one is still going out, and the page
     * is not coded yet: once the training check has left, no T4 is left running in phase C (it would
     * expire at every poll, with nothing to do, and keep the lane busy).
     */
    @org.junit.jupiter.api.Test
    void aCfrDuringARepeatedTrainingCheckLeavesNoTimerWhileThePageIsCoded() {
        T38FrontEnd ours = new T38FrontEnd();
        List<String> sent = new ArrayList<>();
        FaxSessionObserver observer = new FaxSessionObserver() {
            @Override
            public void frames(Direction direction, T30State state, List<dev.faxlan.engine.t30.T30Frame> frames, long now) {
                if (direction == Direction.SENT) frames.forEach(f -> sent.add(f.fcf().name()));
            }
        };
        FaxSession session = FaxSession.send(List.of(FaxSessionTest.page(196, 1)), FaxOptions.defaults("1").withEcm(true), e -> {}, ours, observer, 0);
        FaxCallSimulation.DelayedWork neverAnswered = new FaxCallSimulation.DelayedWork(Long.MAX_VALUE / 2);
        session.pageWork(neverAnswered);
        T38FrontEnd peer = new T38FrontEnd(new Quiet());
        dev.faxlan.engine.t30.Dis dis = new dev.faxlan.engine.t30.Dis(true, java.util.EnumSet.allOf(dev.faxlan.engine.t30.Modem.Family.class), true, true,
                true, true, true, 1, 1, 0, false, true, true, false);
        peer.sendHdlc(List.of(new dev.faxlan.engine.t30.T30Frame(dev.faxlan.engine.t30.Fcf.DIS, false, true, dis.encode()).encode()), 0);
        long t = 0;
        // DCS and the training check go out, T4 expires without an answer, and they go out again.
        while (sent.stream().filter("DCS"::equals).count() < 2 && t < 60_000) t = step(session, ours, peer, t);
        assertThat(sent).as("DCS sent twice").containsSubsequence("DCS", "DCS");
        assertThat(ours.txBusy()).as("the repeated training check is going out").isTrue();
        peer.sendHdlc(List.of(new dev.faxlan.engine.t30.T30Frame(dev.faxlan.engine.t30.Fcf.CFR, false, true, new byte[0]).encode()), t);
        while ((peer.txBusy() || ours.txBusy()) && t < 60_000) t = step(session, ours, peer, t);
        assertThat(session.state()).as("phase C begun, the page still being coded").isEqualTo(T30State.IV);
        assertThat(session.nextTimer()).as("timer running while the page is coded").isEqualTo(Long.MAX_VALUE);
    }

    /** 10 ms of both front ends: what the peer sends reaches the session at once. */
    private static long step(FaxSession session, T38FrontEnd ours, T38FrontEnd peer, long t) {
        for (dev.faxlan.engine.t38.Ifp ifp : peer.poll(t)) ours.receive(ifp, t);
        ours.poll(t);
        session.runTimers(t);
        ours.poll(t);
        return t + 10;
    }

    private static final class Quiet implements FaxFrontEnd.Receiver {
        public void txIdle(long now) {}

        public void hdlcFrame(byte[] frame, boolean good, long now) {}

        public void hdlcEnd(long now) {}

        public void imageData(byte[] chunk, long now) {}

        public void imageEnd(long now) {}
    }
}
