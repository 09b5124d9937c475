package dev.faxlan.lines.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.engine.fax.CallScheduler;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t4.DecodeResult;
import dev.faxlan.engine.tiff.TiffEncoding;
import dev.faxlan.engine.tiff.TiffWriteOptions;
import dev.faxlan.engine.tiff.TiffWriter;
import dev.faxlan.lines.Lines;
import dev.faxlan.lines.MediaPolicy;
import dev.faxlan.lines.ReceivedFax;
import dev.faxlan.lines.sip.MediaPorts;
import dev.faxlan.lines.sip.SipAccount;
import dev.faxlan.lines.sip.SipEndpoint;
import dev.faxlan.lines.sip.TestFaxPages;
import dev.faxlan.testkit.FlatJson;
import dev.faxlan.testkit.PortRetry;
import dev.faxlan.testkit.SpandspBuild;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Inbound calls offered audio, on lines whose policy allows T.38: faxlan answers with G.711, hears the
 * caller's CNG with its own detectors and re-INVITEs to T.38; by policy the fax then runs over T.38,
 * goes on in audio when T.38 is refused, or the call ends. The caller is SIPp for the signalling with
 * spandsp behind it, real processes on real sockets: spandsp's audio fax terminal on the RTP
 * ({@code audiopeer --rtp}, sending CNG from the start, as a fax machine behind an ATA does) and
 * spandsp's T.38 terminal ({@code t38peer}) on the UDPTL once T.38 is agreed. Pages are compared
 * pixel by pixel.
 *
 * <p>Its calls run side by side (each test has its own endpoint, ports, peers and directory): each waits
 * on a real-time call at a small share of a core, and one after another they took five minutes.
 */
@Execution(ExecutionMode.CONCURRENT)
class AudioAnswerIT {
    private static final Path C_SOURCES = Path.of("..", "faxlan-engine", "src", "test", "c");
    private static final Path WORK = Path.of("target", "audio-answer");
    private static final InetAddress LOCAL = InetAddress.getLoopbackAddress();
    private final CallScheduler scheduler = new CallScheduler("test-calls", () -> System.nanoTime() / 1_000_000, 1.0);
    private final LinkedBlockingQueue<ReceivedFax> inbox = new LinkedBlockingQueue<>();
    private SipEndpoint endpoint;

    @AfterEach
    void stop() {
        if (endpoint != null) endpoint.close();
        scheduler.close();
    }

    /** What one call left behind: SIPp's run, the fax faxlan stored, and each spandsp peer's result (null if it printed none). */
    private record Call(Sipp.Result sipp, ReceivedFax fax, Map<String, Object> audiopeer, Map<String, Object> t38peer, Path dir) {
        int pagesExact(List<BilevelPage> sent) {
            int exact = 0;
            List<DecodeResult> got = fax.pages();
            for (int i = 0; i < Math.min(got.size(), sent.size()); i++) if (got.get(i).page().firstDifferentRow(sent.get(i)) == -1) exact++;
            return exact;
        }
    }

    /** One call from SIPp's {@code scenario}; {@code t38} when it accepts T.38 (then t38peer sends the fax and audiopeer only calls). */
    private Call call(MediaPolicy policy, String scenario, boolean t38, List<BilevelPage> pages, String name) throws Exception {
        return call(policy, scenario, t38, !t38, pages, name);
    }

    /** {@code audioFax}: the fax is expected to run in audio (else audiopeer only calls, and gives up soon). */
    private Call call(MediaPolicy policy, String scenario, boolean t38, boolean audioFax, List<BilevelPage> pages, String name) throws Exception {
        endpoint = SipEndpoint.start(new SipEndpoint.Settings("faxlan", LoopbackPorts.HOST, 0, "udp", null, Duration.ofSeconds(4), "faxlan-test",
                SipEndpoint.Trust.networks(LoopbackPorts.HOST), new MediaPorts(MediaPorts.LOWEST, 65535), policy),
                null, (from, to) -> new SipEndpoint.Decision.Accept(Lines.receiveOptions("+15550100")), inbox::add, scheduler);
        Path audiopeer = SpandspBuild.binary(C_SOURCES, "audiopeer");
        Path t38peer = SpandspBuild.binary(C_SOURCES, "t38peer");
        return PortRetry.onAddressInUse("spandsp peers", attempt -> {
            Path dir = Files.createDirectories(WORK.resolve(name + "-" + attempt)).toAbsolutePath();
            Path tiff = dir.resolve("sent.tif");
            Files.write(tiff, TiffWriter.toBytes(pages, TiffWriteOptions.of(TiffEncoding.G4)));
            int[] ports = PortRetry.freeUdp(LOCAL, 2);
            // SIPp runs these once our 200 (and our re-INVITE's port, the same socket) are known: $1 is our media port.
            script(dir.resolve("audiopeer.sh"), audiopeer + " --send " + tiff + " --rtp 127.0.0.1:$1 --rtp-bind " + ports[0]
                    + " --law alaw --ecm 1 --compressions all --ident spandsp --log --timeout " + (audioFax ? 240 : 40), dir.resolve("audiopeer"));
            v21Script(dir);
            script(dir.resolve("t38peer.sh"), t38peer + " --send " + tiff + " --local-port " + ports[1]
                    + " --remote-port $1 --version 0 --ecm 1 --compressions all --ident spandsp-t38 --timeout 240", dir.resolve("t38peer"));
            Sipp.Options o = Sipp.scenario(scenario).target(LoopbackPorts.HOST, endpoint.port()).service("0000").set("caller", "5551234")
                    .set("peer_port", Integer.toString(ports[0])).set("dir", dir.toString()).timeout(Duration.ofSeconds(300));
            if (t38) o.set("t38_port", Integer.toString(ports[1]));
            Sipp.Result r = o.start().await();
            String logs = read(dir.resolve("audiopeer.log")) + read(dir.resolve("t38peer.log"));
            if (PortRetry.inUse(logs)) throw new PortRetry.PortTaken(name + ": a spandsp peer's port was taken: " + logs);
            ReceivedFax fax = inbox.poll(60, TimeUnit.SECONDS);
            return new Call(r, fax, audioFax ? result(dir.resolve("audiopeer.json")) : null, t38 ? result(dir.resolve("t38peer.json")) : null, dir);
        });
    }

    /** A shell script that runs {@code command} with its JSON result in {@code out}.json and its log in {@code out}.log. */
    private static void script(Path file, String command, Path out) throws java.io.IOException {
        Files.writeString(file, "#!/bin/sh\nexec " + command + " >" + out + ".json 2>" + out + ".log\n", StandardCharsets.UTF_8);
        file.toFile().setExecutable(true);
    }

    /**
     * DIR/v21.sh SIP_PORT CALL_ID, for scenarios that act once the audio fax has exchanged V.21 frames:
     * when audiopeer (the sender) logs the CFR it received, it sends SIPp a NOTIFY with the call's Call-ID.
     */
    private static void v21Script(Path dir) throws java.io.IOException {
        String notify = "NOTIFY sip:sipp@127.0.0.1:%s SIP/2.0\\r\\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-v21-exchanged\\r\\n"
                + "Max-Forwards: 70\\r\\nFrom: <sip:peer@127.0.0.1>;tag=peer\\r\\nTo: <sip:sipp@127.0.0.1>\\r\\nCall-ID: %s\\r\\n"
                + "CSeq: 1 NOTIFY\\r\\nEvent: v21-exchanged\\r\\nContent-Length: 0\\r\\n\\r\\n";
        Path log = dir.resolve("audiopeer.log");
        Path file = dir.resolve("v21.sh");
        // Polls the log for as long as the peer may run; gives up silently (SIPp's scenario then times out and says so).
        Files.writeString(file, "#!/bin/bash\n"
                + "for i in $(seq 2400); do grep -Eq 'Rx: +CFR' '" + log + "' && break; sleep 0.1; done\n"
                + "grep -Eq 'Rx: +CFR' '" + log + "' || exit 1\n"
                // Written to a file first: cat sends it in one datagram, where printf would send each line in its own.
                + "printf '" + notify + "' \"$1\" \"$2\" > '" + dir.resolve("notify.sip") + "'\n"
                + "cat '" + dir.resolve("notify.sip") + "' > /dev/udp/127.0.0.1/\"$1\"\n", StandardCharsets.UTF_8);
        file.toFile().setExecutable(true);
    }

    private static String read(Path p) throws java.io.IOException {
        return Files.isRegularFile(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    }

    /** A peer's JSON result, once it has printed one (it ends on its own: phase E, or its timeout); null if it never started. */
    private static Map<String, Object> result(Path json) {
        if (!Files.exists(json)) return null;
        String line = org.awaitility.Awaitility.await().pollInterval(Duration.ofMillis(200)).atMost(Duration.ofSeconds(300))
                .until(() -> read(json).lines().filter(l -> l.startsWith("{") && l.endsWith("}")).reduce((x, y) -> y).orElse(null), l -> l != null);
        return FlatJson.parse(line);
    }

    @Test
    void policyT38HearsTheCallersCngAndFaxesOverT38() throws Exception {
        List<BilevelPage> pages = TestFaxPages.pages(19, 2, 400);
        Call c = call(MediaPolicy.T38, "uac-audio-fax-accept-t38.xml", true, pages, "t38-accept");
        assertThat(c.sipp().succeeded()).as(c.sipp().describe()).isTrue();
        Sipp.Message ok = c.sipp().messages().stream().filter(m -> !m.sent() && m.status() == 200).findFirst().orElseThrow();
        assertThat(ok.body()).as("answered with audio").containsPattern("m=audio \\d+ RTP/AVP 8").doesNotContain("m=image");
        assertThat(c.fax()).as("a fax was stored; see %s", c.dir()).isNotNull();
        assertThat(c.fax().result()).as("%s", c.dir()).isEqualTo(FaxResult.OK);
        assertThat(c.t38peer()).as("t38peer's result; see %s", c.dir()).isNotNull().containsEntry("result", 0L);
        assertThat(c.pagesExact(pages)).as("pages pixel-exact; see %s", c.dir()).isEqualTo(pages.size());
    }

    @Test
    void policyT38ThenG711GoesOnInAudioWhenTheCallerRefusesT38() throws Exception {
        List<BilevelPage> pages = TestFaxPages.pages(23, 2, 400);
        Call c = call(MediaPolicy.T38_THEN_G711, "uac-audio-fax-refuse-t38.xml", false, pages, "t38-then-g711-refused");
        assertThat(c.sipp().succeeded()).as(c.sipp().describe()).isTrue();
        assertThat(c.sipp().sentStatuses()).contains(488);
        assertThat(c.fax()).as("a fax was stored; see %s", c.dir()).isNotNull();
        assertThat(c.fax().result()).as("%s", c.dir()).isEqualTo(FaxResult.OK);
        assertThat(c.audiopeer()).as("audiopeer's result; see %s", c.dir()).isNotNull().containsEntry("result", 0L);
        assertThat(c.pagesExact(pages)).as("pages pixel-exact; see %s", c.dir()).isEqualTo(pages.size());
    }

    @Test
    void policyT38EndsTheCallWhenTheCallerRefusesT38() throws Exception {
        Call c = call(MediaPolicy.T38, "uac-audio-fax-refuse-t38.xml", false, false, TestFaxPages.pages(29, 1, 100), "t38-refused");
        assertThat(c.sipp().succeeded()).as(c.sipp().describe()).isTrue();
        assertThat(c.sipp().sentStatuses()).contains(488);
        assertThat(c.fax()).as("the call is recorded; see %s", c.dir()).isNotNull();
        // Policy t38 does not fax in audio: the refusal ends the call, stored as incompatible with no pages.
        assertThat(c.fax().result()).isEqualTo(FaxResult.INCOMPATIBLE);
        assertThat(c.fax().pages()).isEmpty();
    }

    @Test
    void policyG711ThenT38FaxesInAudioAtOnceAndGoesOnWhenT38IsRefused() throws Exception {
        List<BilevelPage> pages = TestFaxPages.pages(31, 2, 400);
        Call c = call(MediaPolicy.G711_THEN_T38, "uac-audio-fax-refuse-t38.xml", false, pages, "g711-then-t38-refused");
        assertThat(c.sipp().succeeded()).as(c.sipp().describe()).isTrue();
        assertThat(c.sipp().sentStatuses()).as("asked for T.38 on hearing CNG, and was refused").contains(488);
        assertThat(c.fax().result()).as("%s", c.dir()).isEqualTo(FaxResult.OK);
        assertThat(c.audiopeer()).as("audiopeer's result; see %s", c.dir()).isNotNull().containsEntry("result", 0L);
        assertThat(c.pagesExact(pages)).as("pages pixel-exact; see %s", c.dir()).isEqualTo(pages.size());
    }

    @Test
    void policyG711ThenT38LeavesItsAudioFaxForT38BeforeT30HasBegun() throws Exception {
        List<BilevelPage> pages = TestFaxPages.pages(37, 2, 400);
        Call c = call(MediaPolicy.G711_THEN_T38, "uac-audio-fax-accept-t38.xml", true, pages, "g711-then-t38-accepted");
        assertThat(c.sipp().succeeded()).as(c.sipp().describe()).isTrue();
        assertThat(c.fax().result()).as("%s", c.dir()).isEqualTo(FaxResult.OK);
        assertThat(c.t38peer()).as("t38peer's result; see %s", c.dir()).isNotNull().containsEntry("result", 0L);
        assertThat(c.pagesExact(pages)).as("pages pixel-exact; see %s", c.dir()).isEqualTo(pages.size());
    }

    @Test
    void theCallersOwnReinviteToT38AtACleanPointIsAcceptedAndTheFaxGoesOverT38() throws Exception {
        List<BilevelPage> pages = TestFaxPages.pages(53, 2, 400);
        // The caller sends no audio, so faxlan (its audio fax under way) hears nothing to ask on: only the caller asks.
        Call c = call(MediaPolicy.G711_THEN_T38, "uac-audio-fax-reinvite-t38.xml", true, false, pages, "caller-reinvites-early");
        assertThat(c.sipp().succeeded()).as(c.sipp().describe()).isTrue();
        assertThat(c.sipp().received().stream().filter(l -> l.startsWith("INVITE "))).as("faxlan did not ask itself").isEmpty();
        Sipp.Message answer = c.sipp().messages().stream().filter(m -> !m.sent() && m.status() == 200 && m.body().contains("m=image")).findFirst()
                .orElseThrow(() -> new AssertionError("no T.38 answer to the re-INVITE: " + c.sipp().describe()));
        assertThat(answer.body()).containsPattern("m=image \\d+ udptl t38").doesNotContain("m=audio");
        assertThat(c.fax()).as("a fax was stored; see %s", c.dir()).isNotNull();
        assertThat(c.fax().result()).as("%s", c.dir()).isEqualTo(FaxResult.OK);
        assertThat(c.t38peer()).as("t38peer's result; see %s", c.dir()).isNotNull().containsEntry("result", 0L);
        assertThat(c.pagesExact(pages)).as("pages pixel-exact; see %s", c.dir()).isEqualTo(pages.size());
    }

    @Test
    void theCallersReinviteToT38AfterV21IsRefusedWith488AndTheAudioFaxGoesOn() throws Exception {
        List<BilevelPage> pages = TestFaxPages.pages(59, 2, 400);
        Call c = call(MediaPolicy.G711_THEN_T38, "uac-audio-fax-reinvite-t38-late.xml", true, true, pages, "caller-reinvites-late");
        assertThat(c.sipp().succeeded()).as(c.sipp().describe()).isTrue();
        // SIPp refused faxlan's own re-INVITE (on CNG) and got 488 for its re-INVITE after V.21 (the scenario checks the order).
        assertThat(c.sipp().sentStatuses()).as(c.sipp().describe()).contains(488);
        assertThat(c.sipp().receivedStatuses()).as(c.sipp().describe()).contains(488);
        assertThat(read(c.dir().resolve("audiopeer.log"))).as("the caller's terminal had V.21 frames from us").containsPattern("Rx: +CFR");
        assertThat(c.fax()).as("a fax was stored; see %s", c.dir()).isNotNull();
        assertThat(c.fax().result()).as("%s", c.dir()).isEqualTo(FaxResult.OK);
        assertThat(c.audiopeer()).as("audiopeer's result; see %s", c.dir()).isNotNull().containsEntry("result", 0L);
        assertThat(c.pagesExact(pages)).as("pages pixel-exact; see %s", c.dir()).isEqualTo(pages.size());
    }
}
