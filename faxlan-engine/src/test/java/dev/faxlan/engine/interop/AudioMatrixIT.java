package dev.faxlan.engine.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.audio.AudioCall;
import dev.faxlan.engine.audio.AudioTerminal;
import dev.faxlan.engine.audio.ImageModems;
import dev.faxlan.engine.fax.FaxEvent;
import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.engine.fax.OutgoingPages;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.interop.AudioPeer.Law;
import dev.faxlan.engine.interop.AudioPeer.Options;
import dev.faxlan.engine.interop.FaxFiles.Resolution;
import dev.faxlan.engine.interop.SpandspPeer.Result;
import dev.faxlan.engine.t30.Modem;
import dev.faxlan.engine.t4.Compression;
import dev.faxlan.engine.tiff.TiffEncoding;
import dev.faxlan.modem.g711.G711;
import dev.faxlan.testkit.SpandspBuild;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The faxlan &lt;-&gt; spandsp audio matrix (issue 18): faxlan's audio terminal against spandsp's
 * (audiopeer), G.711 both ways, every cell OK on both ends with equal pixels. Both directions x each
 * image modem faxlan has built (V.27ter 4800, V.29 9600, V.17 14400; V.17 7200 and 12000 on one page)
 * x ECM off (MH) and on (MH, MMR) x 1 and 10 pages. Cells run side by side, as the T.38 matrix does;
 * each prints its call time and wall time, never asserted.
 */
@Execution(ExecutionMode.CONCURRENT)
class AudioMatrixIT {
    static final Path RUNS = Path.of("target", "audio-matrix");
    /** Call time (not wall time) a cell may take: ten fine MH pages at 4800 bit/s take about 20 minutes. */
    static final Duration CALL_LIMIT = Duration.ofMinutes(40);

    @BeforeAll
    static void compilePeer() throws Exception {
        SpandspBuild.binary("audiopeer");
        Files.createDirectories(RUNS);
    }

    enum Direction { FAXLAN_SENDS, SPANDSP_SENDS }

    static String spandspName(Modem.Family f) {
        return switch (f) {
            case V27TER -> "v27ter";
            case V29 -> "v29";
            case V17 -> "v17";
        };
    }

    static Stream<Arguments> cells() {
        List<Arguments> cells = new ArrayList<>();
        for (Direction d : Direction.values()) {
            for (Modem m : List.of(Modem.V27_4800, Modem.V29_9600, Modem.V17_14400, Modem.V17_12000, Modem.V17_7200)) {
                if (!ImageModems.faxlan().families().contains(m.family())) continue;
                // spandsp, sending, always starts at its fastest rate: the slower V.17 rates are ours to choose.
                boolean slowV17 = m == Modem.V17_12000 || m == Modem.V17_7200;
                if (slowV17 && d == Direction.SPANDSP_SENDS) continue;
                for (int pages : slowV17 ? new int[] {1} : new int[] {1, 10}) {
                    cells.add(Arguments.of(d, m, false, Compression.MH, pages));
                    cells.add(Arguments.of(d, m, true, Compression.MH, pages));
                    cells.add(Arguments.of(d, m, true, Compression.MMR, pages));
                }
            }
        }
        // -Daudio.matrix.only=NAME-PART runs only the cells whose name contains it (for looking into one).
        String only = System.getProperty("audio.matrix.only", "");
        return cells.stream().filter(a -> name(a.get()).contains(only));
    }

    static Law law(Modem modem, int pageCount) {
        return (modem.ordinal() + pageCount) % 2 == 0 ? Law.ALAW : Law.ULAW;
    }

    static String name(Object[] cell) {
        Modem modem = (Modem) cell[1];
        int pageCount = (int) cell[4];
        return String.format(Locale.ROOT, "%s-%s-%s-%s-%dp-%s", cell[0] == Direction.FAXLAN_SENDS ? "tx" : "rx", modem,
                (boolean) cell[2] ? "ecm" : "noecm", cell[3], pageCount, law(modem, pageCount).arg()).toLowerCase(Locale.ROOT);
    }

    @ParameterizedTest(name = "{index}: {0} {1} ECM {2} {3} {4} page(s)")
    @MethodSource("cells")
    void cell(Direction direction, Modem modem, boolean ecm, Compression coding, int pageCount) throws Exception {
        Law law = law(modem, pageCount);
        String name = name(new Object[] {direction, modem, ecm, coding, pageCount});
        List<BilevelPage> pages = FaxFiles.letterPages(name.hashCode(), pageCount, Resolution.FINE);
        Outcome o = direction == Direction.FAXLAN_SENDS ? faxlanSends(name, modem, ecm, coding, law, pages)
                : spandspSends(name, modem, ecm, coding, law, pages);

        System.out.printf(Locale.ROOT, "    %-34s %6.1f s call in %6.2f s wall; faxlan %s, %s%n", name, o.callMs / 1000.0,
                o.wallNanos / 1e9, o.ours, o.spandsp.summary());
        if (o.ours != FaxResult.OK) System.out.printf(Locale.ROOT, "      faxlan sent %s%n      faxlan heard %s%n", o.end.framesSent, o.end.framesReceived);
        assertThat(o.ours).as("faxlan's result").isEqualTo(FaxResult.OK);
        assertThat(o.spandsp.ok()).as("spandsp: %s", o.spandsp.summary()).isTrue();
        assertThat(o.spandsp.bitRate()).as("bit rate").isEqualTo(modem.bitRate());
        assertThat(o.spandsp.ecm()).as("ECM").isEqualTo(ecm);
        assertThat(o.spandsp.compression()).isEqualTo(coding.name().toLowerCase(Locale.ROOT));
    }

    record Outcome(FaxResult ours, Result spandsp, long callMs, long wallNanos, FaxlanAudioEnd end) {
    }

    private static Outcome faxlanSends(String name, Modem modem, boolean ecm, Compression coding, Law law, List<BilevelPage> pages)
            throws Exception {
        Path out = RUNS.resolve(name + "-out.tif");
        Files.deleteIfExists(out);
        FaxlanAudioEnd ours = new FaxlanAudioEnd();
        FaxOptions options = FaxOptions.defaults("faxlan-tx").withEcm(ecm).withCodings(EnumSet.of(coding)).withFastestModem(modem);
        AudioTerminal terminal = AudioTerminal.send(OutgoingPages.of(pages), options, ours.events::add, ours, ImageModems.faxlan());
        long t0 = System.nanoTime();
        Result r;
        try (AudioPeer.Running peer = AudioPeer.start(Options.receive(out.toAbsolutePath()).withLaw(law).withEcm(ecm)
                .withModems(spandspName(modem.family())).withCompressions("all").withResolutions("all").withIdent("spandsp-rx").withCallLimit(CALL_LIMIT), name)) {
            ours.run(new AudioCall(terminal, law == Law.ULAW ? G711.ULAW : G711.ALAW), peer);
            r = peer.await();
        }
        long wall = System.nanoTime() - t0;
        assertThat(r.pagesRx()).as("pages spandsp received").isEqualTo(pages.size());
        assertThat(r.remoteIdent().strip()).isEqualTo("faxlan-tx");
        FaxFiles.assertSamePages(out, pages);
        assertThat(terminal.pagesTransferred()).isEqualTo(pages.size());
        return new Outcome(terminal.result(), r, ours.callMs(), wall, ours);
    }

    private static Outcome spandspSends(String name, Modem modem, boolean ecm, Compression coding, Law law, List<BilevelPage> pages)
            throws Exception {
        Path in = FaxFiles.write(RUNS.resolve(name + "-in.tif"), pages, TiffEncoding.G4);
        FaxlanAudioEnd ours = new FaxlanAudioEnd();
        FaxOptions options = FaxOptions.defaults("faxlan-rx").withEcm(ecm).withCodings(EnumSet.allOf(Compression.class));
        AudioTerminal terminal = AudioTerminal.receive(options, ours.events::add, ours, ImageModems.faxlan());
        long t0 = System.nanoTime();
        Result r;
        try (AudioPeer.Running peer = AudioPeer.start(Options.send(in.toAbsolutePath()).withLaw(law).withEcm(ecm)
                .withModems(spandspName(modem.family())).withCompressions(coding.name().toLowerCase(Locale.ROOT)).withResolutions("all")
                .withIdent("spandsp-tx").withCallLimit(CALL_LIMIT), name)) {
            ours.run(new AudioCall(terminal, law == Law.ULAW ? G711.ULAW : G711.ALAW), peer);
            r = peer.await();
        }
        long wall = System.nanoTime() - t0;
        List<BilevelPage> received = new ArrayList<>();
        for (FaxEvent e : ours.events) if (e instanceof FaxEvent.Page p && p.received() != null) received.add(p.received().page());
        if (terminal.result() != FaxResult.OK) {
            System.out.printf(Locale.ROOT, "    %s: faxlan %s%n      faxlan sent %s%n      faxlan heard %s%n", name, terminal.result(), ours.framesSent,
                    ours.framesReceived);
        }
        assertThat(r.pagesTx()).as("pages spandsp sent").isEqualTo(pages.size());
        assertThat(received).as("pages faxlan received").containsExactlyElementsOf(pages);
        return new Outcome(terminal.result(), r, ours.callMs(), wall, ours);
    }
}
