package dev.faxlan.engine.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.fax.FaxEvent;
import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.engine.fax.OutgoingPages;
import dev.faxlan.engine.fax.PollRequest;
import dev.faxlan.engine.fax.PolledDocument;
import dev.faxlan.engine.fax.T38Terminal;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.interop.FaxFiles.Resolution;
import dev.faxlan.engine.interop.SpandspPeer.Options;
import dev.faxlan.engine.interop.SpandspPeer.Result;
import dev.faxlan.engine.interop.SpandspPeer.Running;
import dev.faxlan.engine.t4.Compression;
import dev.faxlan.engine.tiff.TiffEncoding;
import dev.faxlan.testkit.PortRetry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * T.30 polling against spandsp 0.0.6's T.38 terminal over UDPTL on loopback, both ways: faxlan calls
 * and polls a spandsp that answers holding a file, and spandsp calls and polls a faxlan that holds a
 * document behind a password and a selective polling address (spandsp sends PWD and SEP with its
 * DTC), right and wrong. Pixels are compared page for page.
 */
class SpandspPollingIT {
    /** A slower clock than the interop matrix's: these calls are few, and must not fail on a stalled machine. */
    static final double SPEED = 4;
    static final Duration TIMEOUT = Duration.ofSeconds(300);
    static final Path RUNS = Path.of("target", "interop-runs");

    @BeforeAll
    static void compilePeer() throws Exception {
        SpandspPeer.binary();
        Files.createDirectories(RUNS);
    }

    @ParameterizedTest(name = "ecm {0}")
    @ValueSource(booleans = {false, true})
    void faxlanPollsSpandsp(boolean ecm) throws Exception {
        List<BilevelPage> pages = FaxFiles.letterPages(ecm ? 301 : 302, 2, Resolution.FINE);
        String name = "poll-faxlan-polls-spandsp" + (ecm ? "-ecm" : "");
        Path held = FaxFiles.write(RUNS.resolve(name + ".tif"), pages, TiffEncoding.G4);
        PortRetry.onAddressInUse(name, attempt -> {
            try (FaxlanPeer faxlan = new FaxlanPeer(0, SPEED)) {
                int[] ports = {faxlan.port(), SpandspPeer.freeUdpPorts(1)[0]};
                // spandsp answers with a file to send: its DIS says "ready to transmit".
                Options o = Options.send(held.toAbsolutePath()).withCalling(false).withPorts(ports[1], ports[0]).withEcm(ecm)
                        .withCompressions("all").withResolutions("all").withSpeed(SPEED).withTimeout(TIMEOUT).withIdent("spandsp-held")
                        .withLog(true);
                Result spandsp;
                try (Running tx = SpandspPeer.start(o, name + "-spandsp")) {
                    FaxOptions opts = FaxOptions.defaults("faxlan-poller").withCodings(EnumSet.allOf(Compression.class)).withEcm(ecm);
                    faxlan.start(sink -> T38Terminal.poll(PollRequest.any(), opts, sink, dev.faxlan.engine.fax.FaxSessionObserver.NONE,
                            faxlan.clock()), ports[1], 2, 3);
                    spandsp = tx.await();
                }
                assertThat(faxlan.await(60)).as("faxlan finished; spandsp: %s", spandsp.summary()).isTrue();
                assertThat(spandsp.ok()).as("spandsp: %s\n%s", spandsp.summary(), SpandspInteropIT.tail(spandsp.logText())).isTrue();
                assertThat(spandsp.pagesTx()).isEqualTo(2);
                assertThat(faxlan.session.result()).as("faxlan result").isEqualTo(FaxResult.OK);
                List<BilevelPage> got = faxlan.events().stream().filter(e -> e instanceof FaxEvent.Page)
                        .map(e -> ((FaxEvent.Page) e).received().page()).toList();
                assertThat(got).hasSize(2);
                for (int i = 0; i < 2; i++) assertThat(got.get(i).firstDifferentRow(pages.get(i))).as("page %d", i + 1).isEqualTo(-1);
                FaxEvent.Negotiated n = (FaxEvent.Negotiated) faxlan.events().stream().filter(e -> e instanceof FaxEvent.Negotiated)
                        .findFirst().orElseThrow();
                assertThat(n.remoteIdent()).isEqualTo("spandsp-held");
                assertThat(n.dcs().ecm()).isEqualTo(ecm);
                assertThat(spandsp.remoteIdent()).as("our CIG, as spandsp read it").isEqualTo("faxlan-poller");
                System.out.printf(Locale.ROOT, "    %-40s ok (%s)%n", name, spandsp.summary());
            }
            return null;
        });
    }

    @ParameterizedTest(name = "password right: {0}")
    @ValueSource(booleans = {true, false})
    void spandspPollsFaxlanWithPasswordAndSelectiveAddress(boolean rightPassword) throws Exception {
        List<BilevelPage> pages = FaxFiles.letterPages(303, 2, Resolution.FINE);
        String name = "poll-spandsp-polls-faxlan-" + (rightPassword ? "right" : "wrong") + "-password";
        Path out = RUNS.resolve(name + ".tif");
        PortRetry.onAddressInUse(name, attempt -> {
            Files.deleteIfExists(out);
            try (FaxlanPeer faxlan = new FaxlanPeer(0, SPEED)) {
                int[] ports = {faxlan.port(), SpandspPeer.freeUdpPorts(1)[0]};
                FaxOptions opts = FaxOptions.defaults("faxlan-held").withCodings(EnumSet.allOf(Compression.class)).withEcm(true);
                PolledDocument doc = new PolledDocument(OutgoingPages.of(pages), "4711", "22");
                faxlan.start(sink -> T38Terminal.receive(opts, doc, sink, dev.faxlan.engine.fax.FaxSessionObserver.NONE, faxlan.clock()),
                        ports[1], 2, 3);
                // spandsp calls with only a file to receive into: it answers our DIS with PWD, SEP and DTC.
                Options o = Options.receive(out.toAbsolutePath()).withCalling(true).withPorts(ports[1], ports[0]).withEcm(true)
                        .withCompressions("all").withResolutions("all").withSpeed(SPEED).withTimeout(TIMEOUT).withIdent("spandsp-poller")
                        .withLog(true);
                Result spandsp;
                try (Running rx = SpandspPeer.start(o, List.of("--password", rightPassword ? "4711" : "4712", "--sep", "22"),
                        name + "-spandsp")) {
                    spandsp = rx.await();
                }
                assertThat(faxlan.await(60)).as("faxlan finished; spandsp: %s", spandsp.summary()).isTrue();
                String log = SpandspInteropIT.tail(spandsp.logText());
                if (rightPassword) {
                    assertThat(faxlan.session.result()).as("faxlan; spandsp: %s\n%s", spandsp.summary(), log).isEqualTo(FaxResult.OK);
                    assertThat(spandsp.ok()).as("spandsp: %s\n%s", spandsp.summary(), log).isTrue();
                    assertThat(spandsp.pagesRx()).isEqualTo(2);
                    assertThat(spandsp.remoteIdent()).as("our TSI").isEqualTo("faxlan-held");
                    FaxFiles.assertSamePages(out, pages);
                } else {
                    assertThat(faxlan.session.result()).as("faxlan; spandsp: %s\n%s", spandsp.summary(), log)
                            .isEqualTo(FaxResult.POLL_PASSWORD_REFUSED);
                    assertThat(spandsp.ok()).as("spandsp: %s", spandsp.summary()).isFalse();
                    assertThat(spandsp.pagesRx()).isZero();
                }
                System.out.printf(Locale.ROOT, "    %-40s faxlan %s, spandsp %s%n", name, faxlan.session.result(), spandsp.summary());
            }
            return null;
        });
    }
}
