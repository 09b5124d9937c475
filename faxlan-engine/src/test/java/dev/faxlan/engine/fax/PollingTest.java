package dev.faxlan.engine.fax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t30.Dis;
import dev.faxlan.engine.t30.Fcf;
import dev.faxlan.engine.t30.Identity;
import dev.faxlan.engine.t30.T30Frame;
import dev.faxlan.engine.t4.Compression;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** T.30 polling between two faxlan sessions over a simulated T.38 path: one holds a document, the other calls to fetch it. */
class PollingTest {

    /** What one session sent, burst by burst. */
    static final class Sent implements FaxSessionObserver {
        final List<List<T30Frame>> bursts = new ArrayList<>();

        @Override
        public void frames(Direction direction, T30State state, List<T30Frame> frames, long now) {
            if (direction == Direction.SENT) bursts.add(List.copyOf(frames));
        }

        List<T30Frame> burstWith(Fcf fcf) {
            return bursts.stream().filter(b -> b.stream().anyMatch(f -> f.fcf() == fcf)).findFirst().orElseThrow();
        }

        T30Frame first(Fcf fcf) {
            return burstWith(fcf).stream().filter(f -> f.fcf() == fcf).findFirst().orElseThrow();
        }
    }

    record Call(T38Terminal poller, T38Terminal holder, List<FaxEvent> polled, List<FaxEvent> held, Sent pollerSent, Sent holderSent) {}

    private static Call call(PolledDocument doc, PollRequest request, boolean ecm, double loss) throws Exception {
        List<FaxEvent> polled = new ArrayList<>();
        List<FaxEvent> held = new ArrayList<>();
        Sent pollerSent = new Sent();
        Sent holderSent = new Sent();
        FaxOptions pollerOptions = FaxOptions.defaults("+1 555 0199").withCodings(EnumSet.allOf(Compression.class)).withEcm(ecm);
        FaxOptions holderOptions = FaxOptions.defaults("+1 555 0100").withCodings(EnumSet.allOf(Compression.class)).withEcm(ecm);
        T38Terminal poller = T38Terminal.poll(request, pollerOptions, polled::add, pollerSent, 0);
        T38Terminal holder = T38Terminal.receive(holderOptions, doc, held::add, holderSent, 0);
        FaxCallSimulation sim = new FaxCallSimulation(poller, holder, 20, loss, 3, 2, 7);
        sim.run(10 * 60_000);
        return new Call(poller, holder, polled, held, pollerSent, holderSent);
    }

    private static List<BilevelPage> pages(int n) {
        List<BilevelPage> pages = new ArrayList<>();
        for (int i = 0; i < n; i++) pages.add(FaxSessionTest.page(196, 100 + i));
        return pages;
    }

    @ParameterizedTest(name = "{0} pages, ecm {1}, loss {2}")
    @CsvSource({"1,false,0", "3,false,0", "2,true,0", "3,true,0.05"})
    void thePollerReceivesTheHeldDocumentPixelExact(int count, boolean ecm, double loss) throws Exception {
        List<BilevelPage> pages = pages(count);
        Call c = call(new PolledDocument(OutgoingPages.of(pages), null, null), PollRequest.any(), ecm, loss);

        assertThat(c.poller().result()).isEqualTo(FaxResult.OK);
        assertThat(c.holder().result()).isEqualTo(FaxResult.OK);
        List<BilevelPage> got = c.polled().stream().filter(e -> e instanceof FaxEvent.Page).map(e -> ((FaxEvent.Page) e).received().page()).toList();
        assertThat(got).hasSize(count);
        for (int i = 0; i < count; i++) assertThat(got.get(i).firstDifferentRow(pages.get(i))).as("page %d", i + 1).isEqualTo(-1);
        FaxEvent.Negotiated n = (FaxEvent.Negotiated) c.polled().stream().filter(e -> e instanceof FaxEvent.Negotiated).findFirst().orElseThrow();
        assertThat(n.remoteIdent()).as("the holder's TSI").isEqualTo("+1 555 0100");
        assertThat(n.dcs().ecm()).isEqualTo(ecm);
        // The holder ends the call: its DCN after the last MCF.
        assertThat(c.holderSent().bursts.get(c.holderSent().bursts.size() - 1)).extracting(T30Frame::fcf).containsExactly(Fcf.DCN);
    }

    @Test
    void theHoldersDisOffersTheDocumentAndThePollerAsksWithCigPwdSepDtc() throws Exception {
        Call c = call(new PolledDocument(OutgoingPages.of(pages(1)), "1234", "77"), new PollRequest("1234", "77"), false, 0);

        assertThat(c.poller().result()).isEqualTo(FaxResult.OK);
        Dis dis = Dis.parse(c.holderSent().first(Fcf.DIS).fif());
        assertThat(dis.readyToTransmit()).as("DIS bit 9: a document is held").isTrue();
        assertThat(dis.selectivePolling()).as("DIS bit 47").isTrue();
        assertThat(dis.password()).as("DIS bit 50").isTrue();

        List<T30Frame> ask = c.pollerSent().burstWith(Fcf.DTC);
        assertThat(ask).extracting(T30Frame::fcf).containsExactly(Fcf.CIG, Fcf.PWD, Fcf.SEP, Fcf.DTC);
        assertThat(Identity.decode(ask.get(0).fif())).isEqualTo("+1 555 0199");
        assertThat(Identity.decode(ask.get(1).fif())).isEqualTo("1234");
        assertThat(Identity.decode(ask.get(2).fif())).isEqualTo("77");
        assertThat(ask.get(3).encode()[2] & 0xff).as("DTC's FCF").isEqualTo(0x81);
        Dis dtc = Dis.parse(ask.get(3).fif());
        assertThat(dtc.readyToTransmit()).as("DTC bit 9: the poller holds nothing").isFalse();
        assertThat(dtc.readyToReceive()).isTrue();
        assertThat(dtc.password()).as("DTC bit 50: PWD sent").isTrue();
        assertThat(dtc.selectivePolling()).as("DTC bit 47: SEP sent").isTrue();

        // X bit: the poller received DIS, so its responses carry it; the holder heard DTC, not DIS, so its commands do not.
        assertThat(c.pollerSent().first(Fcf.CFR).encode()[2] & 0xff).isEqualTo(0xA1);
        assertThat(c.holderSent().first(Fcf.DCS).encode()[2] & 0xff).isEqualTo(0x41);
        FaxEvent.Negotiated n = (FaxEvent.Negotiated) c.polled().stream().filter(e -> e instanceof FaxEvent.Negotiated).findFirst().orElseThrow();
        assertThat(n.remoteIdent()).isEqualTo("+1 555 0100");
    }

    @ParameterizedTest(name = "held pwd={0} sep={1}, asked pwd={2} sep={3}: {4}")
    @CsvSource(nullValues = "-", value = {
            "secret,-,wrong,-,POLL_PASSWORD_REFUSED",
            "secret,-,-,-,POLL_PASSWORD_REFUSED",
            "-,doc1,-,doc2,POLL_ADDRESS_REFUSED",
            "-,doc1,-,-,POLL_ADDRESS_REFUSED",
            "secret,doc1,secret,doc1,OK",
            "-,-,anything,doc9,OK"})
    void passwordAndSelectivePollingAddressAreChecked(String heldPwd, String heldSep, String pwd, String sep, FaxResult holderResult)
            throws Exception {
        Call c = call(new PolledDocument(OutgoingPages.of(pages(1)), heldPwd, heldSep), new PollRequest(pwd, sep), false, 0);

        assertThat(c.holder().result()).isEqualTo(holderResult);
        if (holderResult == FaxResult.OK) {
            assertThat(c.poller().result()).isEqualTo(FaxResult.OK);
            assertThat(c.poller().pagesTransferred()).isEqualTo(1);
        } else {
            // The holder answers the DTC with DCN and sends nothing.
            assertThat(c.holderSent().bursts.get(c.holderSent().bursts.size() - 1)).extracting(T30Frame::fcf).containsExactly(Fcf.DCN);
            assertThat(c.holderSent().bursts).noneMatch(b -> b.stream().anyMatch(f -> f.fcf() == Fcf.DCS));
            assertThat(c.poller().result()).isEqualTo(FaxResult.REMOTE_DISCONNECTED);
            assertThat(c.polled()).noneMatch(e -> e instanceof FaxEvent.Page);
        }
    }

    @Test
    void pollingAnAnswererThatHoldsNothingEndsWithNothingToPoll() throws Exception {
        List<FaxEvent> polled = new ArrayList<>();
        Sent pollerSent = new Sent();
        T38Terminal poller = T38Terminal.poll(PollRequest.any(), FaxOptions.defaults("1"), polled::add, pollerSent, 0);
        T38Terminal plain = T38Terminal.receive(FaxOptions.defaults("2"), e -> {}, 0);
        new FaxCallSimulation(poller, plain, 20, 0, 3, 2, 1).run(10 * 60_000);

        assertThat(poller.result()).isEqualTo(FaxResult.NOTHING_TO_POLL);
        assertThat(pollerSent.bursts).noneMatch(b -> b.stream().anyMatch(f -> f.fcf() == Fcf.DTC));
        assertThat(pollerSent.bursts.get(pollerSent.bursts.size() - 1)).extracting(T30Frame::fcf).containsExactly(Fcf.DCN);
        assertThat(plain.result()).isEqualTo(FaxResult.REMOTE_DISCONNECTED);
    }

    @Test
    void anAnswererHoldingADocumentStillReceivesAFaxSentToIt() throws Exception {
        List<BilevelPage> pages = pages(2);
        List<FaxEvent> received = new ArrayList<>();
        T38Terminal sender = T38Terminal.send(pages, FaxOptions.defaults("1"), e -> {}, 0);
        T38Terminal holder = T38Terminal.receive(FaxOptions.defaults("2"), new PolledDocument(OutgoingPages.of(pages(1)), null, null),
                received::add, FaxSessionObserver.NONE, 0);
        new FaxCallSimulation(sender, holder, 20, 0, 3, 2, 1).run(10 * 60_000);

        assertThat(sender.result()).isEqualTo(FaxResult.OK);
        assertThat(holder.result()).isEqualTo(FaxResult.OK);
        assertThat(received.stream().filter(e -> e instanceof FaxEvent.Page)).hasSize(2);
    }

    /** A front end that keeps what the session sends and lets the test play frames to it. */
    static final class Wire implements FaxFrontEnd {
        Receiver session;
        final List<byte[]> sent = new ArrayList<>();

        @Override
        public void attach(Receiver receiver) {
            session = receiver;
        }

        @Override
        public void sendTone(Tone tone, long now) {}

        @Override
        public void sendHdlc(List<byte[]> frames, long now) {
            sent.addAll(frames);
        }

        @Override
        public void sendTcf(dev.faxlan.engine.t30.Modem modem, long now) {}

        @Override
        public void sendImage(dev.faxlan.engine.t30.Modem modem, boolean longTraining, byte[] data, long now) {}

        @Override
        public void sendImageFrames(dev.faxlan.engine.t30.Modem modem, boolean longTraining, List<byte[]> frames, long now) {}

        @Override
        public boolean txBusy() {
            return false;
        }

        @Override
        public void clearTx() {}

        void play(byte[] frame, long now) {
            session.hdlcFrame(frame, true, now);
            session.hdlcEnd(now);
        }
    }

    @Test
    void anAnswerersOwnDisEchoedBackIsNotTakenForACallersDis() {
        Wire wire = new Wire();
        FaxSession s = FaxSession.receive(FaxOptions.defaults("2"), null, e -> {}, wire, FaxSessionObserver.NONE, 0);
        byte[] ownDis = wire.sent.stream().filter(f -> (f[2] & 0xff) == Fcf.DIS.code()).findFirst().orElseThrow();
        wire.play(ownDis, 4_000);
        assertThat(s.done()).as("an echo of our DIS").isFalse();
        assertThat(wire.sent).noneMatch(f -> (f[2] & 0x7f) == (Fcf.DCN.code() & 0x7f));

        // A caller's DIS (another terminal's capabilities) asks for a document this answerer does not hold.
        wire.play(new T30Frame(Fcf.DIS, false, true, new byte[] {0, 0x50, 0}).encode(), 5_000);
        assertThat(s.result()).isEqualTo(FaxResult.NOTHING_TO_POLL);
    }

    @Test
    void aDocumentHeldForPollingNeedsPages() {
        assertThatThrownBy(() -> new PolledDocument(null, null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void disCarriesThePollingBits() throws Exception {
        Dis d = Dis.faxlanReceiver(false).withPolling(true, true);
        byte[] fif = d.encode();
        assertThat(fif[1] & 0x80).as("bit 9 is the first bit of the second octet").isEqualTo(0x80);
        Dis back = Dis.parse(fif);
        assertThat(back.readyToTransmit()).isTrue();
        assertThat(back.selectivePolling()).isTrue();
        assertThat(Dis.parse(Dis.faxlanReceiver(false).encode()).readyToTransmit()).isFalse();
    }
}
