package dev.faxlan.lines.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.lines.sip.SpandspRtpCall.Direction;
import dev.faxlan.lines.sip.SpandspRtpCall.Impairment;
import dev.faxlan.lines.sip.SpandspRtpCall.Outcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * spandsp's audio fax terminal on the far end of real RTP (G.711 A-law, 20 ms packets, real time,
 * over UDP on 127.0.0.1) against faxlan's RTP audio: ten pages each way, pixel-exact; then calls
 * with 0.1% random loss each way and 20 ms of jitter on the peer's packets, made by the peer's own
 * seeded shaper (or, from {@code bench/rtp-spandsp.sh}, the loss from nftables between two network
 * namespaces), with the success rate printed. The number of impaired calls is a property
 * ({@code faxlan.rtp.impairment.calls}; {@code bench/rtp-spandsp.sh} runs 20, and the impaired calls
 * run only when it is set), as is the share that must succeed ({@code faxlan.rtp.impairment.min-success}, 0.8).
 */
class SpandspRtpIT {
    private static final Path LOGS = Path.of("target", "spandsp-rtp");
    private static final int PAGES = 10;
    private static final int ROWS = Integer.getInteger("faxlan.rtp.rows", 400);

    /** Both directions at once: each call runs in real time (about 3 minutes) and costs little CPU. */
    @Test
    void tenPagesEachWayOverRtp() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> toSpandsp = pool.submit(() -> {
                cleanTenPages(Direction.FAXLAN_TO_SPANDSP);
                return null;
            });
            Future<?> fromSpandsp = pool.submit(() -> {
                cleanTenPages(Direction.SPANDSP_TO_FAXLAN);
                return null;
            });
            toSpandsp.get();
            fromSpandsp.get();
        } finally {
            pool.shutdownNow();
        }
    }

    private static void cleanTenPages(Direction d) throws Exception {
        List<BilevelPage> pages = TestFaxPages.pages(1900 + d.ordinal(), PAGES, ROWS);
        Outcome o = SpandspRtpCall.run(d, pages, Impairment.NONE, 1, LOGS, "clean-" + d.name().toLowerCase(Locale.ROOT));
        System.out.println("RTP " + d + " clean: " + o.summary());
        assertThat(o.faxlan()).as("%s", o.summary()).isEqualTo(FaxResult.OK);
        assertThat(o.spandsp().get("result")).as("%s", o.summary()).isEqualTo(0L);
        assertThat(o.faxlanPages()).as("%s", o.summary()).isEqualTo(PAGES);
        assertThat(o.pagesExact()).as("%s", o.summary()).isEqualTo(PAGES);
        // Nothing lost on a clean line: every packet the peer sent was played in time.
        assertThat(o.spandsp().get("rtp_shaped_lost")).isEqualTo(0L);
    }

    /** Run by {@code bench/rtp-spandsp.sh}, which sets the number of calls; a real-time success rate is a figure, not a CI check. */
    @Test
    @EnabledIfSystemProperty(named = "faxlan.rtp.impairment.calls", matches = "[0-9]+")
    void lossAndJitterSuccessRateBothWays() throws Exception {
        int calls = Integer.getInteger("faxlan.rtp.impairment.calls", 1);
        int pagesPerCall = Integer.getInteger("faxlan.rtp.impairment.pages", PAGES);
        double lossPct = Double.parseDouble(System.getProperty("faxlan.rtp.impairment.loss-pct", "0.1"));
        int jitterMs = Integer.getInteger("faxlan.rtp.impairment.jitter-ms", 20);
        double minSuccess = Double.parseDouble(System.getProperty("faxlan.rtp.impairment.min-success", "0.8"));
        // Calls at once: each runs in real time and costs little CPU, so a bench can overlap them.
        int parallel = Integer.getInteger("faxlan.rtp.impairment.parallel", 1);
        Impairment net = new Impairment(lossPct, lossPct, jitterMs);
        int total = 0;
        int good = 0;
        StringBuilder report = new StringBuilder();
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            Map<Direction, List<Future<Outcome>>> runs = new EnumMap<>(Direction.class);
            for (Direction d : Direction.values()) {
                List<Future<Outcome>> fs = new ArrayList<>();
                for (int i = 0; i < calls; i++) {
                    int seed = 1000 * (d.ordinal() + 1) + i;
                    String name = "impaired-" + d.name().toLowerCase(Locale.ROOT) + "-" + i;
                    int n = i + 1;
                    fs.add(pool.submit(() -> {
                        Outcome o = SpandspRtpCall.run(d, TestFaxPages.pages(seed, pagesPerCall, ROWS), net, seed, LOGS, name);
                        System.out.println("RTP " + d + " impaired call " + n + "/" + calls + ": " + (o.success() ? "OK" : "FAILED") + " " + o.summary());
                        return o;
                    }));
                }
                runs.put(d, fs);
            }
            for (Direction d : Direction.values()) {
                int ok = 0;
                for (Future<Outcome> f : runs.get(d)) {
                    Outcome o = f.get();
                    // Every call ends with a typed result at both ends, success or not.
                    assertThat(o.faxlan()).isNotNull();
                    assertThat(o.spandsp().get("result")).isInstanceOf(Long.class);
                    if (o.success()) ok++;
                }
                report.append(String.format(Locale.ROOT, "%s %d/%d; ", d, ok, calls));
                total += calls;
                good += ok;
            }
        } finally {
            pool.shutdownNow();
        }
        // Where the loss came from: the peer's shaper, or (bench/rtp-spandsp.sh) nftables between two namespaces.
        String network = System.getProperty("faxlan.rtp.impairment.network",
                String.format(Locale.ROOT, "%.2f%% loss each way by the peer's shaper", lossPct));
        String line = String.format(Locale.ROOT, "RTP impairment (%s, %d ms jitter by the peer's shaper, %d pages per call): %s%d/%d calls successful (%.0f%%)",
                network, jitterMs, pagesPerCall, report, good, total, 100.0 * good / total);
        System.out.println(line);
        assertThat(good).as(line).isGreaterThanOrEqualTo((int) Math.ceil(minSuccess * total));
    }
}
