package dev.faxlan.engine.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.audio.AudioCall;
import dev.faxlan.engine.audio.AudioTerminal;
import dev.faxlan.engine.audio.ImageModems;
import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.engine.fax.OutgoingPages;
import dev.faxlan.engine.interop.AudioPeer.Law;
import dev.faxlan.engine.interop.AudioPeer.Options;
import dev.faxlan.engine.interop.FaxFiles.Resolution;
import dev.faxlan.engine.interop.SpandspPeer.Result;
import dev.faxlan.engine.tiff.TiffEncoding;
import dev.faxlan.modem.g711.G711;
import dev.faxlan.testkit.SpandspBuild;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * faxlan's audio front end against spandsp's audio fax terminal (audiopeer), G.711 both ways, with
 * no image modem on our side, so that phase B is what is tested: tones, V.21 and HDLC both ways, the
 * turn-arounds, DIS/DCS as the front end offers them, and the training check's answer when our side
 * cannot receive the modem spandsp chose. Full calls are {@link AudioMatrixIT}'s.
 */
@Execution(ExecutionMode.CONCURRENT)
class AudioFrontEndSpandspIT {
    static final Path RUNS = Path.of("target", "audio-fe-runs");

    @BeforeAll
    static void compilePeer() throws Exception {
        SpandspBuild.binary("audiopeer");
        Files.createDirectories(RUNS);
    }

    static G711 g711(Law law) {
        return law == Law.ULAW ? G711.ULAW : G711.ALAW;
    }

    /**
     * spandsp calls and sends; we answer with CED and DIS. spandsp reads our DIS and CSI, sends TSI and
     * DCS and a TCF; with no image modem of ours (DIS then names only V.27ter 2400, T.30's fallback code) the check fails, we answer FTT each time,
     * and spandsp gives up. Every V.21 frame crossed intact both ways.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Law.class)
    void spandspCallsAndHearsOurDisAndFtt(Law law) throws Exception {
        String name = "phase-b-spandsp-sends-" + law.arg();
        Path in = FaxFiles.write(RUNS.resolve(name + "-in.tif"), FaxFiles.letterPages(1, 1, Resolution.FINE), TiffEncoding.G4);
        FaxlanAudioEnd ours = new FaxlanAudioEnd();
        AudioTerminal terminal = AudioTerminal.receive(FaxOptions.defaults("faxlan-rx").withEcm(true), ours.events::add, ours,
                NONE);
        Result r;
        try (AudioPeer.Running peer = AudioPeer.start(Options.send(in.toAbsolutePath()).withLaw(law).withIdent("spandsp-tx"), name)) {
            ours.run(new AudioCall(terminal, g711(law)), peer);
            r = peer.await();
        }
        System.out.printf(Locale.ROOT, "    %-32s %s | ours: %s after %.1f s, sent %s, heard %s%n", name, r.summary(), terminal.result(),
                ours.callMs() / 1000.0, ours.framesSent, ours.framesReceived);

        assertThat(r.ok()).isFalse();
        assertThat(r.remoteIdent().strip()).as("our CSI as spandsp read it").isEqualTo("faxlan-rx");
        assertThat(ours.framesSent).first().isEqualTo("CSI+DIS");
        assertThat(ours.framesReceived).contains("TSI+DCS");
        assertThat(ours.framesSent).contains("FTT");
        assertThat(ours.malformed).isEmpty();
        assertThat(terminal.result()).isEqualTo(FaxResult.REMOTE_DISCONNECTED);
    }

    /**
     * We call and send; spandsp answers with CED and DIS. With no image modem of ours in common we hang
     * up with DCN, which spandsp hears.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Law.class)
    void weCallAndHearSpandspsDis(Law law) throws Exception {
        String name = "phase-b-faxlan-sends-" + law.arg();
        Path out = RUNS.resolve(name + "-out.tif");
        Files.deleteIfExists(out);
        FaxlanAudioEnd ours = new FaxlanAudioEnd();
        AudioTerminal terminal = AudioTerminal.send(OutgoingPages.of(FaxFiles.letterPages(2, 1, Resolution.FINE)),
                FaxOptions.defaults("faxlan-tx"), ours.events::add, ours, NONE);
        Result r;
        try (AudioPeer.Running peer = AudioPeer.start(Options.receive(out.toAbsolutePath()).withLaw(law).withIdent("spandsp-rx"), name)) {
            ours.run(new AudioCall(terminal, g711(law)), peer);
            r = peer.await();
        }
        System.out.printf(Locale.ROOT, "    %-32s %s | ours: %s after %.1f s, sent %s, heard %s%n", name, r.summary(), terminal.result(),
                ours.callMs() / 1000.0, ours.framesSent, ours.framesReceived);

        assertThat(ours.framesReceived).first().asString().contains("DIS");
        assertThat(terminal.result()).isEqualTo(FaxResult.INCOMPATIBLE);
        assertThat(ours.framesSent).containsExactly("DCN");
        assertThat(ours.malformed).isEmpty();
        assertThat(r.ok()).isFalse();
        assertThat(r.pagesRx()).isZero();
    }

    /** No image modem at all: what phase B does on a line where DIS and DCS find nothing in common. */
    static final ImageModems NONE = new ImageModems() {
        @Override
        public java.util.Set<dev.faxlan.engine.t30.Modem.Family> families() {
            return java.util.EnumSet.noneOf(dev.faxlan.engine.t30.Modem.Family.class);
        }

        @Override
        public dev.faxlan.modem.ModemTransmitter transmitter(dev.faxlan.engine.t30.Modem m, boolean longTraining, dev.faxlan.modem.BitSource s) {
            throw new IllegalArgumentException("no image modems");
        }

        @Override
        public dev.faxlan.modem.ModemReceiver receiver(dev.faxlan.engine.t30.Modem m, dev.faxlan.modem.BitSink s) {
            throw new IllegalArgumentException("no image modems");
        }
    };
}
