package dev.faxlan.engine.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.fax.FaxEvent;
import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.engine.fax.FaxSessionObserver;
import dev.faxlan.engine.fax.OutgoingPages;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t30.Modem;
import dev.faxlan.engine.t4.Compression;
import dev.faxlan.engine.testsupport.TestPages;
import dev.faxlan.modem.g711.G711;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two audio terminals joined sample for sample through G.711, on a stand-in image modem
 * ({@link BasebandImageModems}) so that the front end's own work is what is tested: tones, V.21 and
 * HDLC, turn-arounds, TCF judged from its zeros, non-ECM pages and ECM blocks on the image carrier,
 * the image receiver beside V.21 while phase C is awaited, and the families offered in DIS.
 */
class AudioTerminalTest {
    /** Call time after which a test gives up: far beyond any of these calls. */
    static final long LIMIT_MS = 600_000;

    record Ends(AudioTerminal sender, AudioTerminal receiver, List<FaxEvent> sent, List<FaxEvent> received) {
        List<BilevelPage> pagesReceived() {
            List<BilevelPage> pages = new ArrayList<>();
            for (FaxEvent e : received) if (e instanceof FaxEvent.Page p && p.received() != null) pages.add(p.received().page());
            return pages;
        }

        Modem negotiated(List<FaxEvent> events) {
            return events.stream().filter(e -> e instanceof FaxEvent.Negotiated).map(e -> ((FaxEvent.Negotiated) e).dcs().modem())
                    .reduce((a, b) -> b).orElse(null);
        }
    }

    static Ends call(List<BilevelPage> pages, FaxOptions sendOptions, FaxOptions receiveOptions, ImageModems senderModems,
            ImageModems receiverModems, G711 law) {
        List<FaxEvent> sent = new ArrayList<>();
        List<FaxEvent> received = new ArrayList<>();
        AudioTerminal tx = AudioTerminal.send(OutgoingPages.of(pages), sendOptions, sent::add, FaxSessionObserver.NONE, senderModems);
        AudioTerminal rx = AudioTerminal.receive(receiveOptions, received::add, FaxSessionObserver.NONE, receiverModems);
        run(new AudioCall(tx, law), new AudioCall(rx, law));
        return new Ends(tx, rx, sent, received);
    }

    /** Exchanges 20 ms frames until both calls are done (and a second more, as a line stays up a moment). */
    static void run(AudioCall a, AudioCall b) {
        byte[] toA = silence(a);
        byte[] toB = silence(b);
        long ms = 0;
        while (!(a.done() && b.done()) && ms < LIMIT_MS) {
            byte[] fromA = a.frame(toA);
            byte[] fromB = b.frame(toB);
            toA = fromB;
            toB = fromA;
            ms += 20;
        }
    }

    private static byte[] silence(AudioCall c) {
        byte[] s = new byte[AudioTerminal.BLOCK];
        java.util.Arrays.fill(s, G711.ALAW.encode(0));
        return c == null ? s : s;
    }

    static List<BilevelPage> pages(long seed, int count) {
        List<BilevelPage> pages = new ArrayList<>();
        for (int i = 0; i < count; i++) pages.add(TestPages.random(seed + i, 1728, 300, TestPages.Style.RUNS));
        return pages;
    }

    @ParameterizedTest(name = "ECM {0}, {1}, {2}")
    @CsvSource({"false, MH, ULAW", "false, MR, ALAW", "true, MMR, ALAW", "true, MH, ULAW"})
    void aFaxCrossesTheLine(boolean ecm, Compression coding, G711 law) {
        List<BilevelPage> pages = pages(7, 2);
        FaxOptions send = FaxOptions.defaults("SENDER").withEcm(ecm).withCodings(EnumSet.of(coding));
        FaxOptions receive = FaxOptions.defaults("RECEIVER").withEcm(ecm).withCodings(EnumSet.allOf(Compression.class));
        BasebandImageModems senderModems = BasebandImageModems.all();

        Ends e = call(pages, send, receive, senderModems, BasebandImageModems.all(), law);

        assertThat(e.sender().result()).isEqualTo(FaxResult.OK);
        assertThat(e.receiver().result()).isEqualTo(FaxResult.OK);
        assertThat(e.pagesReceived()).containsExactlyElementsOf(pages);
        assertThat(e.negotiated(e.received())).isEqualTo(Modem.V17_14400);
        // One long-trained TCF, then each page (non-ECM) or block (ECM) on its own short-trained carrier.
        assertThat(senderModems.longTrainings).isEqualTo(1);
        assertThat(senderModems.transmitters).isEqualTo(1 + pages.size());
    }

    @Test
    void disOffersOnlyTheFamiliesBuiltAndDisCanName() {
        // V.17 without V.29 cannot be said in DIS: the offer is V.27ter alone, and the caller picks its fastest rate.
        BasebandImageModems some = new BasebandImageModems(EnumSet.of(Modem.Family.V27TER, Modem.Family.V17));
        assertThat(new AudioFrontEnd(some).modemFamilies()).containsExactly(Modem.Family.V27TER);

        Ends e = call(pages(3, 1), FaxOptions.defaults("S"), FaxOptions.defaults("R"), BasebandImageModems.all(), some, G711.ALAW);

        assertThat(e.receiver().result()).isEqualTo(FaxResult.OK);
        assertThat(e.negotiated(e.received())).isEqualTo(Modem.V27_4800);
    }

    @Test
    void aCallerWithoutACommonModemHangsUpAfterDis() {
        BasebandImageModems none = new BasebandImageModems(EnumSet.noneOf(Modem.Family.class));

        Ends e = call(pages(4, 1), FaxOptions.defaults("S"), FaxOptions.defaults("R"), none, BasebandImageModems.all(), G711.ULAW);

        assertThat(e.sender().result()).isEqualTo(FaxResult.INCOMPATIBLE);
        assertThat(e.receiver().result()).isEqualTo(FaxResult.REMOTE_DISCONNECTED);
    }

    @Test
    void aTcfThatDoesNotTrainIsAnsweredWithFttAndTheCallerFallsBack() {
        // The receiver's modems fail every training: the caller walks down its fallback list to the end.
        ImageModems deaf = new ImageModems() {
            final BasebandImageModems inner = BasebandImageModems.all();

            @Override
            public java.util.Set<Modem.Family> families() {
                return inner.families();
            }

            @Override
            public dev.faxlan.modem.ModemTransmitter transmitter(Modem modem, boolean longTraining, dev.faxlan.modem.BitSource source) {
                return inner.transmitter(modem, longTraining, source);
            }

            @Override
            public dev.faxlan.modem.ModemReceiver receiver(Modem modem, dev.faxlan.modem.BitSink sink) {
                return new dev.faxlan.modem.ModemReceiver() {
                    boolean told;
                    int quiet;

                    @Override
                    public void receive(short[] samples, int off, int len) {
                        // Every signal fails its training once, as a receiver that hears the wrong modem.
                        for (int i = off; i < off + len; i++) {
                            if (Math.abs(samples[i]) < 100) {
                                if (++quiet > 400) told = false;
                                continue;
                            }
                            quiet = 0;
                            if (!told) {
                                told = true;
                                sink.trainingFailed(0);
                            }
                        }
                    }
                };
            }
        };

        Ends e = call(pages(5, 1), FaxOptions.defaults("S"), FaxOptions.defaults("R"), BasebandImageModems.all(), deaf, G711.ALAW);

        assertThat(e.sender().result()).isEqualTo(FaxResult.TRAINING_FAILED);
        assertThat(e.pagesReceived()).isEmpty();
    }
}
