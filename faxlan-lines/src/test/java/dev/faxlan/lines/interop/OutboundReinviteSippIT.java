package dev.faxlan.lines.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faxlan.engine.fax.CallScheduler;
import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.fax.OutgoingPages;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.tiff.TiffReader;
import dev.faxlan.lines.CallOutcome;
import dev.faxlan.lines.CallResult;
import dev.faxlan.lines.Lines;
import dev.faxlan.lines.Media;
import dev.faxlan.lines.MediaPolicy;
import dev.faxlan.lines.sip.MediaPorts;
import dev.faxlan.lines.sip.SipEndpoint;
import dev.faxlan.lines.sip.TestFaxPages;
import dev.faxlan.testkit.FlatJson;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Outbound calls under policy {@code g711-then-t38}: faxlan calls in audio and moves to T.38 by
 * re-INVITE while the audio is still clean (no V.21 exchanged), when it hears the callee's CED or
 * when the callee re-INVITEs; a callee that refuses the re-INVITE (488) gets the fax in audio. The
 * callee is SIPp for the signalling with spandsp's fax terminals as its media, each started before
 * the call on a port of its own choosing (printed, then named in SIPp's SDP) and latching onto
 * faxlan's media as it arrives: {@code audiopeer --rtp} answering in audio (CED, then DIS), and
 * {@code t38peer} answering over UDPTL once T.38 is agreed. Pages are compared pixel by pixel.
 */
class OutboundReinviteSippIT {
    private static final Path WORK = Path.of("target", "outbound-reinvite");
    private static final Duration CALL_LIMIT = Duration.ofMinutes(5);
    private final CallScheduler scheduler = new CallScheduler("test-calls", () -> System.nanoTime() / 1_000_000, 1.0);
    private final List<Process> peers = new ArrayList<>();
    private SipEndpoint endpoint;
    private Sipp.Running callee;

    @AfterEach
    void stop() throws Exception {
        if (endpoint != null) endpoint.close();
        scheduler.close();
        if (callee != null && callee.isAlive()) callee.kill();
        for (Process p : peers) if (p.isAlive()) p.destroyForcibly();
    }

    /** A spandsp fax terminal receiving at a port it chose, into {@code tiff}. */
    private record Peer(Process process, int port, Path out, Path log, Path tiff) {
        Map<String, Object> result() throws Exception {
            if (!process.waitFor(CALL_LIMIT.toSeconds(), TimeUnit.SECONDS)) throw new AssertionError("peer still running; log " + log);
            String json = Files.readString(out).lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError("the peer printed no result; log " + log));
            return FlatJson.parse(json);
        }

        /** Asserts the peer received {@code sent}, each page pixel-exact. */
        void assertReceived(List<BilevelPage> sent) throws Exception {
            Map<String, Object> r = result();
            assertThat(r.get("result")).as("%s; log %s", r, log).isEqualTo(0L);
            assertThat(r.get("pages_rx")).as("%s", r).isEqualTo((long) sent.size());
            try (TiffReader t = TiffReader.open(tiff)) {
                assertThat(t.pageCount()).isEqualTo(sent.size());
                for (int i = 0; i < sent.size(); i++) {
                    assertThat(t.readPage(i).page().firstDifferentRow(sent.get(i))).as("page %d, first different row; %s", i + 1, tiff).isEqualTo(-1);
                }
            }
        }
    }

    private Peer peer(Path dir, String name, List<String> args, Pattern bound) throws Exception {
        WaitingSpandspPeer w = WaitingSpandspPeer.start(dir, name, args, bound, peers);
        return new Peer(w.process(), w.port(), w.out(), w.log(), w.tiff());
    }

    /** spandsp's audio fax terminal answering over RTP; {@code timeout} s of call time at most. */
    private Peer audioPeer(Path dir, int timeout) throws Exception {
        return peer(dir, "audiopeer", List.of("audiopeer", "--rtp", "127.0.0.1:0", "--law", "ulaw", "--ecm", "1", "--compressions", "all",
                "--ident", "spandsp-audio", "--timeout", Integer.toString(timeout)), Pattern.compile("bound port (\\d+)"));
    }

    private Peer t38Peer(Path dir) throws Exception {
        return peer(dir, "t38peer", List.of("t38peer", "--local-port", "0", "--remote-port", "0", "--version", "0", "--ecm", "1", "--compressions",
                "all", "--ident", "spandsp-t38", "--timeout", "240"), Pattern.compile("bound 127\\.0\\.0\\.1:(\\d+)"));
    }

    private static Path dir(String name) throws Exception {
        Path dir = WORK.resolve(name).toAbsolutePath();
        if (Files.isDirectory(dir)) try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) Files.delete(f);
        }
        return Files.createDirectories(dir);
    }

    /** faxlan calls SIPp's {@code scenario} under g711-then-t38 and sends {@code pages}; SIPp's run is in {@link #callee}. */
    private CallResult send(String scenario, Map<String, Integer> ports, List<BilevelPage> pages) throws Exception {
        Sipp.Options o = Sipp.scenario(scenario).timeout(CALL_LIMIT);
        ports.forEach((k, v) -> o.set(k, Integer.toString(v)));
        callee = o.listen();
        endpoint = SipEndpoint.start(new SipEndpoint.Settings("faxlan", LoopbackPorts.HOST, 0, "udp", null, Duration.ofSeconds(4), "faxlan-test",
                SipEndpoint.Trust.networks(LoopbackPorts.HOST), new MediaPorts(MediaPorts.LOWEST, 65535), MediaPolicy.G711_THEN_T38),
                null, (from, to) -> new SipEndpoint.Decision.Reject(404, "this test only calls out"), f -> {}, scheduler);
        return endpoint.send("5550199", LoopbackPorts.HOST + ":" + callee.localPort(), OutgoingPages.of(pages), FaxOptions.defaults("+15550100"),
                e -> {}, MediaPolicy.G711_THEN_T38).get(CALL_LIMIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** The re-INVITEs SIPp received: INVITEs after the first Call-ID's first one, retransmissions left out. */
    private static List<Sipp.Message> reinvites(Sipp.Result s) {
        List<Sipp.Message> invites = s.messages().stream().filter(m -> !m.sent() && m.firstLine().startsWith("INVITE ")).toList();
        List<String> seen = new ArrayList<>();
        List<Sipp.Message> out = new ArrayList<>();
        for (Sipp.Message m : invites) {
            String cseq = m.header("CSeq").orElse("");
            if (seen.contains(cseq)) continue;
            seen.add(cseq);
            out.add(m);
        }
        return out.subList(Math.min(1, out.size()), out.size());
    }

    @Test
    void hearingTheCalleesCedTheAudioCallMovesToT38AndDeliversOverIt() throws Exception {
        Path dir = dir("ced-accepted");
        List<BilevelPage> pages = TestFaxPages.pages(41, 2, 400);
        // The audio terminal answers with CED and is left for T.38 before its DIS: it gives up on its own soon after.
        Peer audio = audioPeer(dir, 60);
        Peer t38 = t38Peer(dir);
        CallResult r = send("uas-audio-answer-t38-reinvite.xml", Map.of("audio_port", audio.port(), "t38_port", t38.port()), pages);
        Sipp.Result s = callee.await();
        assertThat(s.succeeded()).as(s.describe()).isTrue();
        assertThat(r.outcome()).as("%s; files %s", r, dir).isEqualTo(CallOutcome.SUCCESS);
        assertThat(r.pages()).isEqualTo(pages.size());
        assertThat(r.media()).isEqualTo(Media.T38);
        assertThat(r.mediaWhy()).isEqualTo("T.38 by re-INVITE on a call that began in G.711 (policy g711-then-t38)");
        List<Sipp.Message> reinvites = reinvites(s);
        assertThat(reinvites).as(s.describe()).hasSize(1);
        assertThat(reinvites.get(0).body()).containsPattern("m=image \\d+ udptl t38").doesNotContain("m=audio");
        t38.assertReceived(pages);
    }

    @Test
    void aCalleeThatRefusesTheReinviteWith488GetsTheFaxInAudio() throws Exception {
        Path dir = dir("ced-refused");
        List<BilevelPage> pages = TestFaxPages.pages(43, 2, 400);
        Peer audio = audioPeer(dir, 240);
        CallResult r = send("uas-audio-refuse-t38-reinvite.xml", Map.of("audio_port", audio.port()), pages);
        Sipp.Result s = callee.await();
        assertThat(s.succeeded()).as(s.describe()).isTrue();
        assertThat(s.sentStatuses()).as(s.describe()).contains(488);
        assertThat(reinvites(s)).as("asked once for T.38, on hearing CED; %s", s.describe()).hasSize(1);
        assertThat(r.outcome()).as("%s; files %s", r, dir).isEqualTo(CallOutcome.SUCCESS);
        assertThat(r.pages()).isEqualTo(pages.size());
        assertThat(r.media()).isEqualTo(Media.G711);
        audio.assertReceived(pages);
    }

    @Test
    void theCalleesOwnReinviteToT38IsAcceptedBeforeT30HasBegunAndTheFaxGoesOverT38() throws Exception {
        Path dir = dir("callee-reinvites");
        List<BilevelPage> pages = TestFaxPages.pages(47, 2, 400);
        Peer t38 = t38Peer(dir);
        // The audio goes to a socket that never answers: faxlan hears no CED, so only the callee asks for T.38.
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            CallResult r = send("uas-audio-then-reinvite-t38.xml", Map.of("audio_port", silent.getLocalPort(), "t38_port", t38.port()), pages);
            Sipp.Result s = callee.await();
            assertThat(s.succeeded()).as(s.describe()).isTrue();
            assertThat(reinvites(s)).as("faxlan did not ask for T.38 itself; %s", s.describe()).isEmpty();
            assertThat(r.outcome()).as("%s; files %s", r, dir).isEqualTo(CallOutcome.SUCCESS);
            assertThat(r.pages()).isEqualTo(pages.size());
            assertThat(r.media()).isEqualTo(Media.T38);
            assertThat(r.mediaWhy()).isEqualTo("T.38 by re-INVITE on a call that began in G.711 (policy g711-then-t38)");
            t38.assertReceived(pages);
        }
    }
}
