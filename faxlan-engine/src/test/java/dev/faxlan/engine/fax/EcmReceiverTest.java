package dev.faxlan.engine.fax;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t30.Dcs;
import dev.faxlan.engine.t30.Fcf;
import dev.faxlan.engine.t30.Modem;
import dev.faxlan.engine.t30.T30Frame;
import dev.faxlan.engine.t4.CodecOptions;
import dev.faxlan.engine.t4.Compression;
import dev.faxlan.engine.t4.Resolution;
import dev.faxlan.engine.t4.T4Encoder;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ECM receiver fed exact frame sequences through a scripted front end. The sequences are those a
 * late receiver meets: its answer to a PPS comes after the sender's T4 has expired, so the sender
 * repeats the PPS, gets two answers, and may act on the stale one (retransmitting frames of a block
 * already confirmed). Frames of one block must never end up in another.
 */
class EcmReceiverTest {
    private final List<FaxEvent> events = new ArrayList<>();
    private final List<List<T30Frame>> sent = new ArrayList<>();
    private Scripted line;
    private FaxSession session;
    private long now;

    @BeforeEach
    void answeredAndTrained() throws Exception {
        line = new Scripted();
        FaxOptions options = FaxOptions.defaults("+1 555 0199").withCodings(EnumSet.of(Compression.MH)).withEcm(true);
        session = FaxSession.receive(options, events::add, line, FaxSessionObserver.NONE, 0);
        Dcs dcs = new Dcs(Modem.V17_14400, Resolution.FINE, Compression.MH, true, false, 0, 2, 0, false, false);
        command(T30Frame.of(Fcf.DCS, true, dcs.encode()));
        line.receiver.imageData(new byte[Modem.V17_14400.bitRate() * 3 / 16], now); // 1.5 s of zeros
        line.receiver.imageEnd(now);
        assertThat(lastSent()).containsExactly(Fcf.CFR);
        assertThat(session.state()).isEqualTo(T30State.F_DOC_ECM);
    }

    /**
     * spandsp's PPS after a retransmission counts the frames of that burst (1 here), not of the block:
     * the block is still the one its first PPS counted (found against spandsp's audio terminal, where a
     * page came out as its first frame only).
     */
    @Test
    void aPpsAfterARetransmissionCountingOnlyItsFramesStillCompletesTheWholeBlock() throws Exception {
        List<byte[]> page1 = frames(page(3));
        int n = page1.size();
        assertThat(n).isGreaterThan(2);

        burst(page1, all(n).without(1));
        pps(Fcf.EOP, 0, n);
        assertThat(lastSent()).containsExactly(Fcf.PPR);
        burst(page1, List.of(1));
        pps(Fcf.EOP, 0, 1);

        assertThat(lastSent()).containsExactly(Fcf.MCF);
        assertThat(pages()).hasSize(1);
        assertThat(pages().get(0).firstDifferentRow(page(3))).isEqualTo(-1);
    }

    @Test
    void framesRetransmittedForAConfirmedBlockDoNotFillTheNextPage() throws Exception {
        List<byte[]> page1 = frames(page(1));
        List<byte[]> page2 = frames(page(2));
        assertThat(page1).hasSizeGreaterThan(2);
        assertThat(page2).hasSizeGreaterThan(2);
        assertThat(page2.get(1)).as("the pages differ in frame 1").isNotEqualTo(page1.get(1));
        int n = page1.size();
        int n2 = page2.size();

        // Page 1 arrives without frame 1; our PPR goes out late, so the sender has repeated its PPS.
        burst(page1, all(n).without(1));
        pps(Fcf.MPS, 0, n);
        assertThat(lastSent()).containsExactly(Fcf.PPR);
        pps(Fcf.MPS, 0, n);
        assertThat(lastSent()).containsExactly(Fcf.PPR);
        // The first PPR brings frame 1 back and page 1 is confirmed.
        burst(page1, List.of(1));
        pps(Fcf.MPS, 0, n);
        assertThat(lastSent()).containsExactly(Fcf.MCF);
        // The sender took the second, stale PPR as the answer to that PPS: frame 1 again, then its
        // PPS is lost; the stale MCF that follows moves it on to page 2.
        burst(page1, List.of(1));
        // Page 2 arrives without frame 1.
        burst(page2, all(n2).without(1));
        pps(Fcf.EOP, 1, n2);

        assertThat(lastSent()).as("frame 1 of page 2 is missing: only page 1's frame 1 came").containsExactly(Fcf.PPR);
        burst(page2, List.of(1));
        pps(Fcf.EOP, 1, n2);
        assertThat(lastSent()).containsExactly(Fcf.MCF);
        assertThat(pages()).hasSize(2);
        assertThat(pages().get(0).firstDifferentRow(page(1))).isEqualTo(-1);
        assertThat(pages().get(1).firstDifferentRow(page(2))).as("page 2").isEqualTo(-1);
    }

    @Test
    void aRepeatedPpsAfterStaleFramesIsConfirmedAgainNotTakenForANewBlock() throws Exception {
        List<byte[]> page1 = frames(page(1));
        List<byte[]> page2 = frames(page(2));
        int n = page1.size();
        int n2 = page2.size();

        burst(page1, all(n).without(2));
        pps(Fcf.MPS, 0, n);
        assertThat(lastSent()).containsExactly(Fcf.PPR);
        pps(Fcf.MPS, 0, n);
        assertThat(lastSent()).containsExactly(Fcf.PPR);
        burst(page1, List.of(2));
        pps(Fcf.MPS, 0, n);
        assertThat(lastSent()).containsExactly(Fcf.MCF);
        // The stale PPR's retransmission of the confirmed block, and its PPS: page 1 block 0 again.
        burst(page1, List.of(2));
        pps(Fcf.MPS, 0, n);

        assertThat(lastSent()).as("the PPS of a block already confirmed is answered MCF again").containsExactly(Fcf.MCF);
        burst(page2, all(n2));
        pps(Fcf.EOP, 1, n2);
        assertThat(lastSent()).containsExactly(Fcf.MCF);
        assertThat(pages()).as("page 1 is not taken a second time").hasSize(2);
        assertThat(pages().get(1).firstDifferentRow(page(2))).isEqualTo(-1);
    }

    @Test
    void aPpsRepeatedWhileOurAnswerIsStillGoingOutIsNotAnsweredAgain() throws Exception {
        List<byte[]> page1 = frames(page(1));
        int n = page1.size();
        burst(page1, all(n));
        // Our MCF is late and still being sent when the sender's T4 expires and its PPS comes again.
        line.busy = true;
        pps(Fcf.MPS, 0, n);
        pps(Fcf.MPS, 0, n);
        assertThat(sent.stream().filter(b -> b.get(0).fcf() == Fcf.MCF).count())
                .as("answers to a PPS repeated while the first answer is on the line").isEqualTo(1);
        // Repeated after our answer has left, the peer did not hear it: it is answered again.
        line.busy = false;
        pps(Fcf.MPS, 0, n);
        assertThat(sent.stream().filter(b -> b.get(0).fcf() == Fcf.MCF).count()).isEqualTo(2);
        assertThat(pages()).hasSize(1);
    }

    // ------------------------------------------------------------------ the far end

    private static final class Frames extends ArrayList<Integer> {
        Frames without(int i) {
            remove(Integer.valueOf(i));
            return this;
        }
    }

    private static Frames all(int n) {
        Frames f = new Frames();
        for (int i = 0; i < n; i++) f.add(i);
        return f;
    }

    /** A page that codes to several ECM frames; {@code seed} makes each page different. */
    private static BilevelPage page(long seed) {
        return FaxSessionTest.page(196, seed);
    }

    private static List<byte[]> frames(BilevelPage page) {
        byte[] coded = T4Encoder.encode(page, CodecOptions.mh());
        List<byte[]> frames = new ArrayList<>();
        for (int off = 0; off < coded.length; off += EcmSender.ECM_FRAME) {
            byte[] f = new byte[EcmSender.ECM_FRAME];
            System.arraycopy(coded, off, f, 0, Math.min(EcmSender.ECM_FRAME, coded.length - off));
            frames.add(f);
        }
        return frames;
    }

    /** One phase C burst: the listed FCD frames of {@code page}, then RCP three times. */
    private void burst(List<byte[]> page, List<Integer> numbers) {
        now += 1000;
        for (int i : numbers) {
            byte[] fif = new byte[1 + EcmSender.ECM_FRAME];
            fif[0] = (byte) T30Frame.reverseBits(i);
            System.arraycopy(page.get(i), 0, fif, 1, EcmSender.ECM_FRAME);
            line.receiver.hdlcFrame(new T30Frame(Fcf.FCD, false, false, fif).encode(), true, now);
        }
        for (int i = 0; i < 3; i++) line.receiver.hdlcFrame(new T30Frame(Fcf.RCP, false, false, new byte[0]).encode(), true, now);
        line.receiver.hdlcEnd(now);
    }

    /** PPS-{@code post} for block 0 of page {@code page} (0-based) with {@code count} frames. */
    private void pps(Fcf post, int page, int count) {
        byte[] fif = {(byte) (post.code() | 0x80), (byte) T30Frame.reverseBits(page), 0, (byte) T30Frame.reverseBits(count - 1)};
        command(T30Frame.of(Fcf.PPS, true, fif));
    }

    private void command(T30Frame frame) {
        now += 1000;
        line.receiver.hdlcFrame(frame.encode(), true, now);
        line.receiver.hdlcEnd(now);
        line.receiver.txIdle(now); // what we answered has left
    }

    private List<Fcf> lastSent() {
        return sent.isEmpty() ? List.of() : sent.get(sent.size() - 1).stream().map(T30Frame::fcf).toList();
    }

    private List<BilevelPage> pages() {
        return events.stream().filter(e -> e instanceof FaxEvent.Page).map(e -> ((FaxEvent.Page) e).received().page()).toList();
    }

    /** A front end that sends nothing anywhere: it records our frames and lets the test play the far end. */
    private final class Scripted implements FaxFrontEnd {
        Receiver receiver;
        boolean busy;

        @Override
        public void attach(Receiver r) {
            receiver = r;
        }

        @Override
        public void sendTone(Tone tone, long t) {}

        @Override
        public void sendHdlc(List<byte[]> frames, long t) {
            List<T30Frame> decoded = new ArrayList<>();
            for (byte[] f : frames) {
                try {
                    decoded.add(T30Frame.decode(f));
                } catch (Exception e) {
                    throw new AssertionError("the receiver sent a malformed frame", e);
                }
            }
            sent.add(decoded);
        }

        @Override
        public void sendTcf(Modem modem, long t) {}

        @Override
        public void sendImage(Modem modem, boolean longTraining, byte[] data, long t) {}

        @Override
        public void sendImageFrames(Modem modem, boolean longTraining, List<byte[]> frames, long t) {}

        @Override
        public boolean txBusy() {
            return busy;
        }

        @Override
        public void clearTx() {}
    }
}
