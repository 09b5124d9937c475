package dev.faxlan.engine.fax;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t4.Compression;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pins every IFP both terminals send, with the time it falls due, for whole calls on a simulated
 * clock: how the front end queues or makes its IFPs, and where pages are coded and decoded, may
 * change; what goes on the wire, and when, may not. The digests were taken before IFPs were made
 * when due, and taken again when TSI/CSI padding moved after the number (nothing else changed), and
 * when PPR began to name frames beyond the block's end as spandsp's does (its octets, nothing else).
 */
class WireTimelineTest {

    @ParameterizedTest(name = "{0} dpi, {1}, {2} pages, ecm {3}, loss {4}")
    @CsvSource({"196,MR,2,false,0,9bdb475baff3414c", "196,MMR,2,true,0,30e095e448334da0", "196,MMR,2,true,0.03,466913124913d39b",
            "196,MH,1,false,0.02,471b27624d009d77", "391,MH,2,true,0,1a82e67ae9971734", "391,MR,1,false,0,c72fa178f4b5ed49"})
    void theWireIsTheSameIfpForIfpAndMillisecondForMillisecond(int yRes, Compression coding, int pageCount, boolean ecm, double loss, String digest)
            throws Exception {
        assertThat(wireDigest(yRes, coding, pageCount, ecm, loss, -1)).as("pages coded at once").isEqualTo(digest);
        // A worker that codes each page 50 ms after it was asked for: within the 75 ms before the
        // image modem's training, so the page still goes out when it would have.
        assertThat(wireDigest(yRes, coding, pageCount, ecm, loss, 50)).as("pages coded 50 ms later").isEqualTo(digest);
    }

    private static String wireDigest(int yRes, Compression coding, int pageCount, boolean ecm, double loss, long senderWorkMs) throws Exception {
        List<BilevelPage> pages = new ArrayList<>();
        for (int i = 0; i < pageCount; i++) pages.add(FaxSessionTest.page(yRes, 11 + i));
        FaxOptions txOptions = FaxOptions.defaults("+1 555 0100").withCodings(EnumSet.of(coding)).withEcm(ecm);
        FaxOptions rxOptions = FaxOptions.defaults("+1 555 0199").withCodings(EnumSet.allOf(Compression.class)).withEcm(ecm);
        T38Terminal tx = T38Terminal.send(pages, txOptions, e -> {}, 0);
        T38Terminal rx = T38Terminal.receive(rxOptions, e -> {}, 0);
        FaxCallSimulation sim = new FaxCallSimulation(tx, rx, 20, loss, loss > 0 ? 0 : 3, 2, 99);
        sim.wire = new ArrayList<>();
        if (senderWorkMs >= 0) sim.delayWork(tx, senderWorkMs);
        sim.run(10 * 60_000);
        assertThat(tx.result()).isEqualTo(FaxResult.OK);
        assertThat(rx.result()).isEqualTo(FaxResult.OK);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (String line : sim.wire) sha.update((line + "\n").getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }
}
