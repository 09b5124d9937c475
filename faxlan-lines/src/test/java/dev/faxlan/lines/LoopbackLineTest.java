package dev.faxlan.lines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.lines.interop.SipProbe;
import dev.faxlan.lines.sip.TestFaxPages;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The built-in loopback line: no configuration, real SIP and UDPTL on 127.0.0.1, and the fax arrives on the same lines.
 * The tests run side by side (each method {@code CONCURRENT}, the class in turn with the others): each starts lines of
 * its own, whose loopback line takes a port the system picks, and the faxes are real-time calls that mostly wait.
 */
class LoopbackLineTest {

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aFaxToTheLoopbackNumberArrivesAsAReceivedFax() throws Exception {
        LinkedBlockingQueue<ReceivedFax> inbox = new LinkedBlockingQueue<>();
        try (Lines lines = Lines.start(LinesConfig.parse(new Properties()), inbox::add, "faxlan-test")) {
            Line line = lines.lineFor("0000").orElseThrow();
            assertThat(line.name()).isEqualTo("loopback");
            assertThat(line.endpoint().host()).isEqualTo("127.0.0.1");
            List<BilevelPage> pages = TestFaxPages.pages(7, 2, 300);
            CallResult r = line.send("0000", pages, Lines.receiveOptions("")).get(120, TimeUnit.SECONDS);
            assertThat(r.outcome()).as("%s", r).isEqualTo(CallOutcome.SUCCESS);
            assertThat(r.pages()).isEqualTo(2);
            ReceivedFax fax = inbox.poll(30, TimeUnit.SECONDS);
            assertThat(fax).isNotNull();
            assertThat(fax.line()).isEqualTo("loopback");
            assertThat(fax.calledNumber()).isEqualTo("0000");
            assertThat(fax.remoteIdent()).isEqualTo("0000");
            assertThat(fax.result()).isEqualTo(FaxResult.OK);
            assertThat(fax.pages()).hasSize(2);
            for (int i = 0; i < 2; i++) assertThat(fax.pages().get(i).page().firstDifferentRow(pages.get(i))).as("page %d", i + 1).isEqualTo(-1);
        }
    }

    /**
     * The same fax over a loopback line at 10 times real time and at real time (side by side): the same pages arrive,
     * bit for bit. Each prints its wall time for whoever tunes the tests' speed.
     */
    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aFasterThanRealTimeLoopbackLineDeliversTheSamePagesAsARealTimeOne() throws Exception {
        List<BilevelPage> pages = TestFaxPages.pages(11, 2, 200);
        java.util.concurrent.CompletableFuture<String> fast = java.util.concurrent.CompletableFuture.supplyAsync(() -> receivedDigest(10, pages));
        String realTime = receivedDigest(1, pages);
        assertThat(fast.get(180, TimeUnit.SECONDS)).isEqualTo(realTime).isEqualTo(digest(pages));
    }

    /** Sends {@code pages} over a loopback line at {@code speed} and returns the SHA-256 of the pages that arrived. */
    private static String receivedDigest(int speed, List<BilevelPage> pages) {
        Properties p = new Properties();
        p.setProperty("line.loopback.speed", Integer.toString(speed));
        LinkedBlockingQueue<ReceivedFax> inbox = new LinkedBlockingQueue<>();
        try (Lines lines = Lines.start(LinesConfig.parse(p), inbox::add, "faxlan-test")) {
            assertThat(lines.config().loopbackSpeed()).isEqualTo(speed);
            long start = System.nanoTime();
            CallResult r = lines.loopback().orElseThrow().send("0000", pages, Lines.receiveOptions("")).get(120, TimeUnit.SECONDS);
            System.out.printf("loopback call at %dx: %s in %d ms%n", speed, r.outcome(), (System.nanoTime() - start) / 1_000_000);
            assertThat(r.outcome()).as("%s", r).isEqualTo(CallOutcome.SUCCESS);
            ReceivedFax fax = inbox.poll(30, TimeUnit.SECONDS);
            assertThat(fax).isNotNull();
            assertThat(fax.result()).isEqualTo(FaxResult.OK);
            return digest(fax.pages().stream().map(d -> d.page()).toList());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String digest(List<BilevelPage> pages) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            for (BilevelPage page : pages) {
                sha.update(java.nio.ByteBuffer.allocate(8).putInt(page.width()).putInt(page.height()).array());
                for (int y = 0; y < page.height(); y++) sha.update(page.row(y));
            }
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void theLoopbackLineTakesCallsOnlyFromItself() throws Exception {
        try (Lines lines = Lines.start(LinesConfig.parse(new Properties()), fax -> {}, "faxlan-test")) {
            Line line = lines.loopback().orElseThrow();
            // Another process on this machine, same address (127.0.0.1), another port: not the loopback line's calling side.
            Optional<SipProbe.Response> r = SipProbe.invite("127.0.0.1", line.endpoint().port(), "intruder", "0000", Duration.ofSeconds(5));
            assertThat(r).isPresent();
            assertThat(r.get().status()).isEqualTo(403);
            assertThat(line.endpoint().refusedRequests()).isEqualTo(1);
            assertThat(line.endpoint().activeCalls()).isZero();
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aNumberNoLineTakesIsNotRouted() throws Exception {
        try (Lines lines = Lines.start(LinesConfig.parse(new Properties()), fax -> {}, "faxlan-test")) {
            assertThat(lines.lineFor("+15550100")).isEmpty();
            assertThatThrownBy(() -> lines.lineFor("not a number")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aCallToAnotherNumberOnTheLoopbackLineIsRefusedAsUnknown() throws Exception {
        try (Lines lines = Lines.start(LinesConfig.parse(new Properties()), fax -> {}, "faxlan-test")) {
            Line line = lines.loopback().orElseThrow();
            CallResult r = line.send("1234", TestFaxPages.pages(1, 1, 100), FaxOptions.defaults("0000")).get(60, TimeUnit.SECONDS);
            assertThat(r.outcome()).isEqualTo(CallOutcome.REJECTED);
            assertThat(r.sipStatus()).isEqualTo(404);
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aLocalNumberThatIsOneOfTheLoopbackLinesDidsReachesIt() throws Exception {
        Properties p = new Properties();
        p.setProperty("numbers.country-code", "1");
        p.setProperty("numbers.area-code", "212");
        p.setProperty("line.loopback.dids", "+1 212 555 0100");
        LinkedBlockingQueue<ReceivedFax> inbox = new LinkedBlockingQueue<>();
        try (Lines lines = Lines.start(LinesConfig.parse(p), inbox::add, "faxlan-test")) {
            Line line = lines.lineFor("555-0100").orElseThrow();
            assertThat(line.name()).isEqualTo("loopback");
            CallResult r = line.send("555-0100", TestFaxPages.pages(3, 1, 100), Lines.receiveOptions("")).get(120, TimeUnit.SECONDS);
            assertThat(r.outcome()).as("%s", r).isEqualTo(CallOutcome.SUCCESS);
            ReceivedFax fax = inbox.poll(30, TimeUnit.SECONDS);
            assertThat(fax).isNotNull();
            assertThat(fax.calledNumber()).isEqualTo("+12125550100");
        }
    }
}
