package dev.faxlan.lines.sip;

import static org.assertj.core.api.Assertions.fail;

import dev.faxlan.engine.audio.AudioCall;
import dev.faxlan.engine.audio.AudioTerminal;
import dev.faxlan.engine.fax.FaxEvent;
import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.engine.fax.OutgoingPages;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.tiff.TiffEncoding;
import dev.faxlan.engine.tiff.TiffReader;
import dev.faxlan.engine.tiff.TiffWriteOptions;
import dev.faxlan.engine.tiff.TiffWriter;
import dev.faxlan.lines.Lines;
import dev.faxlan.lines.rtp.RtpPacket;
import dev.faxlan.modem.g711.G711;
import dev.faxlan.testkit.ExternalTool;
import dev.faxlan.testkit.FlatJson;
import dev.faxlan.testkit.SpandspBuild;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One fax call between faxlan's RTP audio ({@link RtpAudio} on a {@link MediaSocket}, as a SIP call
 * runs it once the SDP is agreed) and spandsp's audio fax terminal in RTP mode ({@code audiopeer
 * --rtp}, from faxlan-engine's C test tree), over real UDP on 127.0.0.1 in real time. The network
 * between them is the peer's own seeded shaper: loss and jitter of what it sends, loss of what it
 * hears. Our socket is told only the peer's host; it latches the port the peer sends from, as with a
 * peer behind NAT.
 *
 * <p>{@code bench/rtp-spandsp.sh} can put a real network in between instead: it runs this JVM in one
 * network namespace and sets {@code faxlan.rtp.peer-netns} (the namespace the peer runs in, where
 * nftables drops packets), {@code faxlan.rtp.local-address} and {@code faxlan.rtp.peer-address} (the two
 * ends of the veth pair between them).
 */
final class SpandspRtpCall {
    private static final InetAddress LOCAL = address("faxlan.rtp.local-address");
    /** The peer's host: our socket latches only the port, as a call's socket does after the SDP. */
    private static final InetAddress PEER = address("faxlan.rtp.peer-address");
    /** The network namespace the peer runs in, or null for this JVM's own. */
    private static final String PEER_NETNS = System.getProperty("faxlan.rtp.peer-netns");
    private static final Path C_SOURCES = Path.of("..", "faxlan-engine", "src", "test", "c");
    /** Real time: a 10-page call takes minutes; beyond this something hangs. */
    private static final long WALL_LIMIT_S = 900;

    enum Direction {
        /** faxlan calls and sends, spandsp answers and receives. */
        FAXLAN_TO_SPANDSP,
        /** spandsp calls and sends, faxlan answers and receives. */
        SPANDSP_TO_FAXLAN
    }

    /** The network the peer's shaper makes: percentages of packets lost each way, jitter of its packets. */
    record Impairment(double lossToFaxlanPct, double lossToSpandspPct, int jitterMs) {
        static final Impairment NONE = new Impairment(0, 0, 0);
    }

    /** How a call ended, at both ends, with the pages compared. */
    record Outcome(FaxResult faxlan, int faxlanPages, Map<String, Object> spandsp, int pagesExact, int pagesSent, long wallMs,
            Path log) {
        boolean success() {
            return faxlan == FaxResult.OK && Long.valueOf(0).equals(spandsp.get("result")) && pagesExact == pagesSent;
        }

        String summary() {
            return String.format(Locale.ROOT, "faxlan %s (%d pages), spandsp %s %s, %d/%d pages pixel-exact, %d bit/s, %.1f s; "
                    + "peer sent %s (shaper lost %s), heard %s (shaper lost %s, concealed %s, silent %s, late %s); log %s", faxlan, faxlanPages,
                    spandsp.get("result"), spandsp.get("result_text"), pagesExact, pagesSent, spandsp.get("bit_rate"), wallMs / 1000.0,
                    spandsp.get("rtp_sent"), spandsp.get("rtp_shaped_lost"), spandsp.get("rtp_received"),
                    spandsp.get("rtp_rx_shaped_lost"), spandsp.get("rtp_concealed"), spandsp.get("rtp_silent"), spandsp.get("rtp_late"), log);
        }
    }

    private SpandspRtpCall() {}

    static Outcome run(Direction direction, List<BilevelPage> pages, Impairment net, int seed, Path dir, String name)
            throws IOException, InterruptedException {
        Path bin = SpandspBuild.binary(C_SOURCES, "audiopeer");
        Files.createDirectories(dir);
        Path tiff = dir.resolve(name + ".tif");
        Path log = dir.resolve(name + ".log");
        Path out = dir.resolve(name + ".json");
        boolean faxlanSends = direction == Direction.FAXLAN_TO_SPANDSP;
        if (!faxlanSends) Files.write(tiff, TiffWriter.toBytes(pages, TiffWriteOptions.of(TiffEncoding.G4)));
        else Files.deleteIfExists(tiff);

        CompletableFuture<FaxResult> done = new CompletableFuture<>();
        // By page number: a page may be reported again after a retransmission.
        Map<Integer, BilevelPage> arrived = new java.util.concurrent.ConcurrentSkipListMap<>();
        int[] faxlanPages = {0};
        long t0 = System.nanoTime();
        try (MediaSocket socket = new MediaSocket(LOCAL, new MediaPorts(MediaPorts.LOWEST, 65535), "rtp-" + name)) {
            // The peer's port is not known before it sends: its first packet sets it (symmetric RTP).
            socket.peer(new InetSocketAddress(PEER, 9));
            List<String> cmd = new ArrayList<>();
            if (PEER_NETNS != null) cmd.addAll(List.of(ExternalTool.require("ip", "Debian package iproute2").toString(), "netns", "exec", PEER_NETNS));
            cmd.addAll(List.of(bin.toString(), faxlanSends ? "--receive" : "--send", tiff.toString(),
                    "--rtp", LOCAL.getHostAddress() + ":" + socket.port(), "--law", "alaw", "--ecm", "1", "--compressions", "all",
                    "--ident", "spandsp", "--seed", Integer.toString(seed), "--timeout", "600"));
            if (net.lossToFaxlanPct() > 0) cmd.addAll(List.of("--loss", Double.toString(net.lossToFaxlanPct())));
            if (net.lossToSpandspPct() > 0) cmd.addAll(List.of("--rx-loss", Double.toString(net.lossToSpandspPct())));
            if (net.jitterMs() > 0) cmd.addAll(List.of("--jitter", Integer.toString(net.jitterMs())));
            Files.writeString(log, String.join(" ", cmd) + "\n", StandardCharsets.UTF_8);
            Process peer = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            try {
                java.util.function.Consumer<FaxEvent> events = e -> {
                    if (e instanceof FaxEvent.Page p && p.received() != null) arrived.put(p.number(), p.received().page());
                    if (e instanceof FaxEvent.Completed c) {
                        faxlanPages[0] = c.pages();
                        done.complete(c.result());
                    }
                };
                AudioTerminal terminal = faxlanSends
                        ? AudioTerminal.send(OutgoingPages.of(pages), FaxOptions.defaults("faxlan").withEcm(true), events)
                        : AudioTerminal.receive(Lines.receiveOptions("faxlan"), events);
                RtpAudio audio = new RtpAudio(name, socket, new AudioCall(terminal, G711.ALAW), RtpPacket.PCMA, G711.ALAW, false,
                        () -> (System.nanoTime() - t0) / 1_000_000);
                audio.start();
                if (!peer.waitFor(WALL_LIMIT_S, TimeUnit.SECONDS)) fail("audiopeer " + name + " still running after " + WALL_LIMIT_S + " s; log " + log);
                FaxResult ours;
                try {
                    // The peer ends 1 s after its phase E; ours has ended by then, or ends on its own T.30 timers.
                    ours = done.get(120, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    audio.cancel();
                    ours = done.getNow(null);
                    if (ours == null) fail("faxlan's end of " + name + " did not finish within 120 s of the peer's exit; log " + log);
                }
                String json = Files.readString(out, StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                        .orElseThrow(() -> new AssertionError("audiopeer " + name + " printed no result; log " + log));
                Files.writeString(log, "result: " + json + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
                Map<String, Object> peerResult = FlatJson.parse(json);
                List<BilevelPage> got = faxlanSends ? readTiff(tiff) : new ArrayList<>(arrived.values());
                int exact = 0;
                for (int i = 0; i < Math.min(got.size(), pages.size()); i++) if (got.get(i).firstDifferentRow(pages.get(i)) == -1) exact++;
                return new Outcome(ours, faxlanPages[0], peerResult, exact, pages.size(), (System.nanoTime() - t0) / 1_000_000, log);
            } finally {
                if (peer.isAlive()) peer.destroyForcibly();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    private static InetAddress address(String property) {
        String a = System.getProperty(property);
        if (a == null) return InetAddress.getLoopbackAddress();
        try {
            return InetAddress.getByName(a);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(property + ": not an address: " + a, e);
        }
    }

    private static List<BilevelPage> readTiff(Path tiff) throws IOException {
        List<BilevelPage> pages = new ArrayList<>();
        if (!Files.isRegularFile(tiff)) return pages;
        try (TiffReader r = TiffReader.open(tiff)) {
            for (int i = 0; i < r.pageCount(); i++) pages.add(r.readPage(i).page());
        }
        return pages;
    }
}
