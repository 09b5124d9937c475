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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * faxlan's audio terminal against spandsp's on impaired lines (issue 18): for V.27ter 4800, V.29 9600
 * and V.17 14400, ECM with MMR, one fine page, calls alternating in direction (even calls spandsp
 * sends, odd calls faxlan sends), each with its own noise seed. The impairment is applied by the
 * spandsp end to what it sends (audiopeer's --snr, --level, --drift), so faxlan's receivers hear it
 * when spandsp sends the page, and faxlan's V.21 receiver hears it in every call.
 *
 * <p>A call succeeds when both ends end OK with the page received with equal pixels. Success rates
 * are printed and written to {@code target/audio-impairments.txt}; only the clean cells (either law)
 * must succeed every time. {@code -Daudio.impairment.calls=N} sets calls per cell (default 2;
 * {@code bench/audio-impairments.sh} runs 20).
 */
@Execution(ExecutionMode.CONCURRENT)
class AudioImpairmentIT {
    static final Path RUNS = Path.of("target", "audio-impairments");
    static final Path REPORT = Path.of("target", "audio-impairments.txt");
    static final int CALLS = Integer.getInteger("audio.impairment.calls", 2);

    @BeforeAll
    static void compilePeer() throws Exception {
        SpandspBuild.binary("audiopeer");
        Files.createDirectories(RUNS);
        Files.deleteIfExists(REPORT);
    }

    /** An impaired line: what the spandsp end does to its own signal. */
    enum Line {
        CLEAN_ULAW("clean, u-law", Law.ULAW, o -> o),
        CLEAN_ALAW("clean, A-law", Law.ALAW, o -> o),
        SNR30_PLUS_DRIFT("30 dB SNR, +100 ppm", Law.ALAW, o -> o.withDrift(100)),
        SNR30_MINUS_DRIFT("30 dB SNR, -100 ppm", Law.ULAW, o -> o.withDrift(-100)),
        SNR20("20 dB SNR", Law.ALAW, o -> o),
        LEVEL_10("-10 dBm0", Law.ALAW, o -> o.withLevel(-10)),
        LEVEL_25("-25 dBm0", Law.ULAW, o -> o.withLevel(-25)),
        LEVEL_40("-40 dBm0", Law.ALAW, o -> o.withLevel(-40));

        final String label;
        final Law law;
        final UnaryOperator<Options> apply;

        Line(String label, Law law, UnaryOperator<Options> apply) {
            this.label = label;
            this.law = law;
            this.apply = apply;
        }

        Options on(Options o, int seed) {
            Options l = apply.apply(o.withLaw(law));
            return switch (this) {
                case SNR30_PLUS_DRIFT, SNR30_MINUS_DRIFT -> l.withNoise(30, seed);
                case SNR20 -> l.withNoise(20, seed);
                default -> l;
            };
        }
    }

    static Stream<Arguments> cells() {
        List<Arguments> cells = new ArrayList<>();
        for (Modem m : List.of(Modem.V27_4800, Modem.V29_9600, Modem.V17_14400)) {
            if (!ImageModems.faxlan().families().contains(m.family())) continue;
            for (Line line : Line.values()) cells.add(Arguments.of(m, line));
        }
        // -Daudio.impairment.only=V29_9600/SNR20 runs only the cells whose "MODEM/LINE" contains it.
        String only = System.getProperty("audio.impairment.only", "");
        return cells.stream().filter(a -> (a.get()[0] + "/" + a.get()[1]).contains(only));
    }

    @ParameterizedTest(name = "{index}: {0} {1}")
    @MethodSource("cells")
    void successRate(Modem modem, Line line) throws Exception {
        int[] ok = new int[2];
        int[] calls = new int[2];
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            boolean spandspSends = i % 2 == 0;
            String name = String.format(Locale.ROOT, "%s-%s-%d", modem, line, i).toLowerCase(Locale.ROOT);
            String failure = call(name, modem, line, spandspSends, 1000 + i);
            calls[spandspSends ? 0 : 1]++;
            if (failure == null) ok[spandspSends ? 0 : 1]++;
            else failures.add(name + ": " + failure);
        }
        int total = ok[0] + ok[1];
        String row = String.format(Locale.ROOT, "| %-11s | %-20s | %2d/%-2d | %2d/%-2d | %3.0f%% |", modem, line.label, ok[0], calls[0], ok[1],
                calls[1], 100.0 * total / CALLS);
        System.out.println("    " + row);
        for (String f : failures) System.out.println("      " + f);
        synchronized (AudioImpairmentIT.class) {
            Files.writeString(REPORT, row + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        if (line == Line.CLEAN_ULAW || line == Line.CLEAN_ALAW) assertThat(failures).isEmpty();
    }

    /** One call; null when it succeeded, else why not. */
    private static String call(String name, Modem modem, Line line, boolean spandspSends, int seed) throws IOException, InterruptedException {
        List<BilevelPage> pages = FaxFiles.letterPages(seed, 1, Resolution.FINE);
        String family = switch (modem.family()) {
            case V27TER -> "v27ter";
            case V29 -> "v29";
            case V17 -> "v17";
        };
        FaxlanAudioEnd ours = new FaxlanAudioEnd();
        FaxOptions options = FaxOptions.defaults("faxlan").withEcm(true).withCodings(EnumSet.of(Compression.MMR)).withFastestModem(modem);
        G711 law = line.law == Law.ULAW ? G711.ULAW : G711.ALAW;
        Path file = RUNS.resolve(name + (spandspSends ? "-in.tif" : "-out.tif"));
        Options peer;
        AudioTerminal terminal;
        if (spandspSends) {
            FaxFiles.write(file, pages, TiffEncoding.G4);
            peer = Options.send(file.toAbsolutePath());
            terminal = AudioTerminal.receive(options, ours.events::add, ours, ImageModems.faxlan());
        } else {
            Files.deleteIfExists(file);
            peer = Options.receive(file.toAbsolutePath());
            terminal = AudioTerminal.send(OutgoingPages.of(pages), options, ours.events::add, ours, ImageModems.faxlan());
        }
        peer = line.on(peer.withEcm(true).withModems(family).withCompressions("mmr").withResolutions("all"), seed);
        Result r;
        try (AudioPeer.Running running = AudioPeer.start(peer, name)) {
            ours.run(new AudioCall(terminal, law), running);
            r = running.await();
        }
        if (terminal.result() != FaxResult.OK) return "faxlan " + terminal.result() + ", sent " + ours.framesSent + ", heard " + ours.framesReceived;
        if (!r.ok()) return "spandsp " + r.summary();
        if (r.bitRate() != modem.bitRate()) return "fell back to " + r.bitRate() + " bit/s";
        if (spandspSends) {
            List<BilevelPage> received = new ArrayList<>();
            List<Integer> badLines = new ArrayList<>();
            for (FaxEvent e : ours.events) {
                if (e instanceof FaxEvent.Page p && p.received() != null) {
                    received.add(p.received().page());
                    badLines.add(p.received().badLineCount());
                }
            }
            if (!received.equals(pages)) return "pixels differ (faxlan received " + received.size() + " page(s), bad lines " + badLines
                    + ", heights " + received.stream().map(BilevelPage::height).toList() + " of " + pages.get(0).height() + ")";
        } else {
            try {
                FaxFiles.assertSamePages(file, pages);
            } catch (AssertionError e) {
                return "pixels differ";
            }
        }
        return null;
    }
}
