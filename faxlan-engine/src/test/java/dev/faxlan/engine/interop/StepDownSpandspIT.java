package dev.faxlan.engine.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.fax.FaxEvent;
import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.engine.fax.T38Terminal;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.interop.FaxFiles.Resolution;
import dev.faxlan.engine.interop.SpandspPeer.Options;
import dev.faxlan.engine.interop.SpandspPeer.Result;
import dev.faxlan.engine.interop.SpandspPeer.Running;
import dev.faxlan.engine.t30.Modem;
import dev.faxlan.testkit.PortRetry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A far end that fails TCF at 14,400: spandsp's T.38 terminal behind a "gateway" that drops every
 * V.17 data packet it receives (t38peer {@code --drop-data v17}); the V.17 training indicator
 * arrives, its TCF never does. Our first attempt (V.17 14,400, ECM) fails in T.30; the retry's
 * options ({@link FaxOptions#steppedDown(int)} after one failure) train at 9,600 on V.29 and deliver.
 */
class StepDownSpandspIT {
    static final double SPEED = 10;
    static final Path RUNS = Path.of("target", "interop-runs");

    @BeforeAll
    static void compilePeer() throws Exception {
        SpandspPeer.binary();
        Files.createDirectories(RUNS);
    }

    @Test
    void aFarEndThatFailsV17TrainingGetsTheStepDownRetryAt9600() throws Exception {
        List<BilevelPage> pages = FaxFiles.letterPages(77, 2, Resolution.FINE);
        FaxOptions first = FaxOptions.defaults("faxlan-tx").withEcm(true);

        Attempt one = PortRetry.onAddressInUse("step-down attempt 1", a -> attempt("stepdown-1", pages, first));
        assertThat(one.faxlan).as("first attempt at V.17 14,400; spandsp: %s", one.spandsp.summary()).isNotEqualTo(FaxResult.OK);
        assertThat(one.faxlan.retryable()).isTrue();
        assertThat(one.trainedAt).as("no rate was confirmed").isNull();
        assertThat(one.spandsp.ok()).isFalse();
        assertThat(((Number) one.spandsp.json().get("data_dropped_rx")).longValue()).as("V.17 data dropped by the far end").isPositive();

        FaxOptions retry = first.steppedDown(1);
        assertThat(retry.fastestModem()).isEqualTo(Modem.V29_9600);
        assertThat(retry.ecm()).isTrue();
        Attempt two = PortRetry.onAddressInUse("step-down attempt 2", a -> attempt("stepdown-2", pages, retry));
        assertThat(two.faxlan).as("retry at 9,600; spandsp: %s", two.spandsp.summary()).isEqualTo(FaxResult.OK);
        assertThat(two.trainedAt).isEqualTo(Modem.V29_9600);
        assertThat(two.spandsp.ok()).isTrue();
        assertThat(two.spandsp.bitRate()).isEqualTo(9600);
        assertThat(two.spandsp.ecm()).isTrue();
        assertThat(two.spandsp.pagesRx()).isEqualTo(2);
        FaxFiles.assertSamePages(two.out, pages);
        System.out.printf(Locale.ROOT, "    step-down: attempt 1 %s (%s); attempt 2 %s at %d bit/s%n", one.faxlan, one.spandsp.summary(), two.faxlan,
                two.spandsp.bitRate());
    }

    record Attempt(FaxResult faxlan, Modem trainedAt, Result spandsp, Path out) {}

    private static Attempt attempt(String name, List<BilevelPage> pages, FaxOptions opts) throws Exception {
        Path out = RUNS.resolve(name + ".tif");
        Files.deleteIfExists(out);
        try (FaxlanPeer faxlan = new FaxlanPeer(0, SPEED)) {
            int[] ports = {faxlan.port(), SpandspPeer.freeUdpPorts(1)[0]};
            Options o = Options.receive(out.toAbsolutePath()).withPorts(ports[1], ports[0]).withEcm(true).withCompressions("all")
                    .withResolutions("all").withModems("all").withSpeed(SPEED).withTimeout(SpandspInteropIT.timeout(SPEED)).withIdent("spandsp-rx")
                    .withDropData("v17");
            Result spandsp;
            try (Running rx = SpandspPeer.start(o, name + "-spandsp")) {
                faxlan.start(sink -> T38Terminal.send(pages, opts, sink, faxlan.clock()), ports[1], 2, 3);
                assertThat(faxlan.await(120)).as("faxlan finished").isTrue();
                spandsp = rx.await();
            }
            Modem trained = faxlan.events().stream().filter(e -> e instanceof FaxEvent.Negotiated).map(e -> ((FaxEvent.Negotiated) e).dcs().modem())
                    .findFirst().orElse(null);
            return new Attempt(faxlan.session.result(), trained, spandsp, out);
        }
    }
}
