package dev.faxlan.engine.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.interop.FaxFiles.Resolution;
import dev.faxlan.engine.interop.SpandspPeer.Options;
import dev.faxlan.engine.interop.SpandspPeer.Pair;
import dev.faxlan.engine.interop.SpandspPeer.Result;
import dev.faxlan.engine.interop.SpandspPeer.Running;
import dev.faxlan.engine.tiff.TiffEncoding;
import dev.faxlan.testkit.PortRetry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Proves the spandsp harness: the spandsp peer against itself over UDP loopback. Every case runs
 * with the sender as the calling party and with the receiver calling (polling), ends OK on both
 * ends, and the pixels received equal the pixels sent. Durations are printed, never asserted:
 * the machine may be loaded.
 */
class SpandspHarnessIT {

    /** Time scale of the fast cases; the notes measured 3 pages at 10x in 2.7 s. */
    private static final double FAST = 10;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private static final Path RUNS = Path.of("target", "spandsp-runs");

    @BeforeAll
    static void compilePeer() throws Exception {
        SpandspPeer.binary();
    }

    @ParameterizedTest(name = "sender calls: {0}")
    @ValueSource(booleans = {true, false})
    void nonEcmMhFineOnePage(boolean senderCalls) throws Exception {
        List<BilevelPage> pages = FaxFiles.letterPages(1, 1, Resolution.FINE);

        Pair p = transfer("non-ECM MH fine 1 page", senderCalls, pages, TiffEncoding.G3_1D,
                o -> o.withEcm(false).withCompressions("mh").withResolutions("standard,fine").withSpeed(FAST));

        assertThat(p.receiver().ecm()).as("ECM").isFalse();
        assertThat(p.receiver().compression()).isEqualTo("mh");
    }

    @ParameterizedTest(name = "sender calls: {0}")
    @ValueSource(booleans = {true, false})
    void ecmMmrFineThreePages(boolean senderCalls) throws Exception {
        List<BilevelPage> pages = FaxFiles.letterPages(2, 3, Resolution.FINE);

        Pair p = transfer("ECM MMR fine 3 pages", senderCalls, pages, TiffEncoding.G4,
                o -> o.withEcm(true).withCompressions("mh,mr,mmr").withResolutions("all").withSpeed(FAST));

        assertThat(p.receiver().ecm()).as("ECM").isTrue();
        assertThat(p.receiver().compression()).isEqualTo("mmr");
    }

    @ParameterizedTest(name = "sender calls: {0}")
    @ValueSource(booleans = {true, false})
    void ecmWithFivePercentLossAndRedundancyThree(boolean senderCalls) throws Exception {
        List<BilevelPage> pages = FaxFiles.letterPages(3, 2, Resolution.FINE);

        Pair p = transfer("ECM 5% loss redundancy 3", senderCalls, pages, TiffEncoding.G4,
                o -> o.withEcm(true).withCompressions("all").withRedundancy(3).withSpeed(FAST)
                        .withDrop(5, o.role() == SpandspPeer.Role.SEND ? 11 : 12));

        assertThat(p.receiver().ecm()).as("ECM").isTrue();
        // The loss really happened, and redundancy repaired what it could.
        assertThat(p.sender().counter("dropped")).as("datagrams the sender dropped").isPositive();
        assertThat(p.receiver().counter("recovered_redundancy")).as("IFPs the receiver recovered").isPositive();
        System.out.printf(Locale.ROOT, "    loss: sender dropped %d of %d, receiver recovered %d, lost %d;"
                        + " receiver dropped %d, sender recovered %d, lost %d%n",
                p.sender().counter("dropped"), p.sender().counter("dropped") + p.sender().counter("datagrams_tx"),
                p.receiver().counter("recovered_redundancy"), p.receiver().counter("lost"),
                p.receiver().counter("dropped"), p.sender().counter("recovered_redundancy"),
                p.sender().counter("lost"));
    }

    /** The peer's FEC path, both ways: what faxlan must decode when a gateway sends FEC. */
    @Test
    void ecmWithFivePercentLossAndFec() throws Exception {
        List<BilevelPage> pages = FaxFiles.letterPages(5, 1, Resolution.STANDARD);

        Pair p = transfer("ECM 5% loss FEC 3x3", true, pages, TiffEncoding.G3_2D,
                o -> o.withEcm(true).withCompressions("mh,mr").withFec(3, 3).withSpeed(FAST)
                        .withDrop(5, o.role() == SpandspPeer.Role.SEND ? 21 : 22));

        assertThat(p.receiver().compression()).isEqualTo("mr");
        assertThat(p.sender().counter("dropped")).as("datagrams the sender dropped").isPositive();
        assertThat(p.receiver().counter("recovered_fec")).as("IFPs the receiver rebuilt from FEC").isPositive();
        assertThat(p.receiver().counter("recovered_redundancy")).isZero();
        System.out.printf(Locale.ROOT, "    loss: sender dropped %d, receiver rebuilt %d from FEC, lost %d%n",
                p.sender().counter("dropped"), p.receiver().counter("recovered_fec"), p.receiver().counter("lost"));
    }

    @Test
    void realTimeEcmOnePage() throws Exception {
        List<BilevelPage> pages = FaxFiles.letterPages(4, 1, Resolution.FINE);

        Pair p = transfer("real time ECM MMR fine 1 page", true, pages, TiffEncoding.G4,
                o -> o.withEcm(true).withCompressions("all").withSpeed(1));

        assertThat(p.receiver().bitRate()).isEqualTo(14400);
    }

    /**
     * The peer's wire format is faxlan's: a tap between the two peers decodes every datagram of a
     * whole call with faxlan's UDPTL and IFP codecs and checks each secondary against the primary
     * it repeats.
     */
    @ParameterizedTest(name = "T.38 version {0}, ECM {1}")
    @CsvSource({"0, false", "0, true", "2, false", "2, true"})
    void faxlanCodecsDecodeEveryDatagramOfACall(int version, boolean ecm) throws Exception {
        // The peers are told their ports in advance; if another program takes one first, the call runs again on fresh ports.
        PortRetry.onAddressInUse("tapped call", attempt -> {
            decodeEveryDatagramOnce(version, ecm);
            return null;
        });
    }

    private void decodeEveryDatagramOnce(int version, boolean ecm) throws Exception {
        List<BilevelPage> pages = FaxFiles.letterPages(6, 1, Resolution.STANDARD);
        String id = "tap-v" + version + (ecm ? "-ecm" : "-non-ecm");
        Path dir = Files.createDirectories(RUNS.resolve(id));
        Path sent = FaxFiles.write(dir.resolve("sent.tif"), pages, TiffEncoding.G3_2D);
        Path received = dir.resolve("received.tif");
        Files.deleteIfExists(received);
        Result tx;
        Result rx;
        UdptlTap.Stats toReceiver;
        UdptlTap.Stats toSender;
        try (UdptlTap tap = new UdptlTap(version)) {
            int[] ports = SpandspPeer.freeUdpPorts(2);
            tap.start(ports[0], ports[1]);
            UnaryOperator<Options> common = o -> o.withVersion(version).withEcm(ecm).withCompressions("mh,mr")
                    .withSpeed(FAST).withTimeout(TIMEOUT);
            try (Running r = SpandspPeer.start(common.apply(Options.receive(received)
                            .withPorts(ports[1], tap.portForB())), id + "-receiver");
                    Running t = SpandspPeer.start(common.apply(Options.send(sent)
                            .withPorts(ports[0], tap.portForA())), id + "-sender")) {
                tx = t.await();
                rx = r.await();
            }
            toReceiver = tap.aToB();
            toSender = tap.bToA();
        }

        System.out.printf(Locale.ROOT, "%-55s %6.2f s  sender->receiver %s%n    receiver->sender %s%n", id,
                Math.max(tx.wall().toMillis(), rx.wall().toMillis()) / 1000.0, toReceiver, toSender);
        assertOk(tx);
        assertOk(rx);
        assertThat(rx.ecm()).isEqualTo(ecm);
        FaxFiles.assertSamePages(received, pages);
        assertThat(toReceiver.problems()).isEmpty();
        assertThat(toSender.problems()).isEmpty();
        assertThat(toReceiver.ifps()).isEqualTo(tx.counter("ifps_tx"));
        assertThat(toSender.ifps()).isEqualTo(rx.counter("ifps_tx"));
        assertThat(toReceiver.datagrams()).isEqualTo(tx.counter("datagrams_tx"));
        assertThat(toReceiver.secondariesChecked()).isPositive();
    }

    /**
     * Sends {@code pages} from one spandsp peer to another with {@code common} applied to both,
     * asserts success on both ends and identical pixels, and prints the duration.
     */
    private static Pair transfer(String name, boolean senderCalls, List<BilevelPage> pages, TiffEncoding fileEncoding,
            UnaryOperator<Options> common) throws Exception {
        String id = (name + (senderCalls ? " sender-calls" : " receiver-calls")).replaceAll("[^A-Za-z0-9]+", "-");
        Path dir = Files.createDirectories(RUNS.resolve(id));
        Path sent = FaxFiles.write(dir.resolve("sent.tif"), pages, fileEncoding);
        Path received = dir.resolve("received.tif");
        Files.deleteIfExists(received);
        Options sender = common.apply(Options.send(sent).withIdent("SENDER 1").withCalling(senderCalls)
                .withTimeout(TIMEOUT));
        Options receiver = common.apply(Options.receive(received).withIdent("RECEIVER 2").withCalling(!senderCalls)
                .withTimeout(TIMEOUT));

        Pair p = SpandspPeer.runPair(sender, receiver, id);

        System.out.printf(Locale.ROOT, "%-55s %6.2f s  (x%s, %d page(s))%n    %s%n    %s%n", id,
                p.wall().toMillis() / 1000.0, sender.speed(), pages.size(), p.sender().summary(),
                p.receiver().summary());
        assertOk(p.sender());
        assertOk(p.receiver());
        assertThat(p.sender().pagesTx()).as("pages sent").isEqualTo(pages.size());
        assertThat(p.receiver().pagesRx()).as("pages received").isEqualTo(pages.size());
        assertThat(p.receiver().remoteIdent()).isEqualTo("SENDER 1");
        assertThat(p.sender().remoteIdent()).isEqualTo("RECEIVER 2");
        assertThat(p.receiver().yRes()).hasValue(pages.get(0).yRes());
        FaxFiles.assertSamePages(received, pages);
        return p;
    }

    private static void assertOk(Result r) {
        assertThat(r.ok()).as(() -> r.summary() + "\n" + tail(r.logText())).isTrue();
    }

    private static String tail(String log) {
        List<String> lines = log.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
