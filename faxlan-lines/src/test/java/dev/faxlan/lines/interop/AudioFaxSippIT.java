package dev.faxlan.lines.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.fax.CallScheduler;
import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.tiff.TiffEncoding;
import dev.faxlan.engine.tiff.TiffWriteOptions;
import dev.faxlan.engine.tiff.TiffWriter;
import dev.faxlan.lines.Lines;
import dev.faxlan.lines.MediaPolicy;
import dev.faxlan.lines.ReceivedFax;
import dev.faxlan.lines.sip.CallTuning;
import dev.faxlan.lines.sip.SipAccount;
import dev.faxlan.lines.sip.SipEndpoint;
import dev.faxlan.lines.sip.TestFaxPages;
import dev.faxlan.testkit.FlatJson;
import dev.faxlan.testkit.SpandspBuild;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * faxlan answering a G.711 audio fax call (line policy g711) from a far end made of two real parts:
 * SIPp for the signalling and spandsp's audio fax terminal ({@code audiopeer --rtp}, faxlan-engine's C
 * test tree) sending the fax over real RTP on 127.0.0.1 in real time. SIPp starts the peer once it has
 * faxlan's RTP port from the 200, and hears from it (a NOTIFY carrying the call's Call-ID, sent by the
 * script that ran it) when it has ended, 1 s after its phase E. Shows that a session refresh (re-INVITE
 * with the same SDP, then UPDATE) in the middle of an audio fax leaves the media alone, and the BYE
 * grace: a sender's BYE 1 s after DCN ends the call, a sender that never hangs up gets faxlan's BYE
 * once the configured grace has passed.
 *
 * <p>Its calls run side by side (each test has its own endpoint, SIPp, peer and directory): each waits
 * on a real-time call at a small share of a core.
 */
@Execution(ExecutionMode.CONCURRENT)
class AudioFaxSippIT {
    private static final Path LOGS = Path.of("target", "audio-fax-sipp");
    private static final Path C_SOURCES = Path.of("..", "faxlan-engine", "src", "test", "c");
    /** Real time: a few pages of audio fax take well under a minute; beyond this something hangs. */
    private static final Duration RUN_LIMIT = Duration.ofSeconds(240);
    private static final Pattern TRACE_TIME = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})\\s+(\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?)");

    private final CallScheduler scheduler = new CallScheduler("test-calls", () -> System.nanoTime() / 1_000_000, 1.0);
    private final LinkedBlockingQueue<ReceivedFax> inbox = new LinkedBlockingQueue<>();
    private SipEndpoint endpoint;

    @AfterEach
    void stop() {
        if (endpoint != null) endpoint.close();
        scheduler.close();
    }

    private void startFaxlan(Duration byeGrace) throws Exception {
        CallTuning tuning = new CallTuning(CallTuning.DEFAULT_INDICATOR_REPEATS, CallTuning.DEFAULT_REDUNDANCY, CallTuning.DEFAULT_OUR_MAX_DATAGRAM, 0,
                CallTuning.DatagramMeaning.UDPTL, byeGrace);
        endpoint = SipEndpoint.start(new SipEndpoint.Settings("faxlan", LoopbackPorts.HOST, 0, "udp", null, Duration.ofSeconds(4), "faxlan-test",
                SipEndpoint.Trust.networks(LoopbackPorts.HOST), null, MediaPolicy.G711, tuning),
                new SipAccount("2000", "2000", "", "sipp.test", false, 60),
                (from, to) -> new SipEndpoint.Decision.Accept(Lines.receiveOptions("+15550100")), inbox::add, scheduler);
    }

    /** What one call left behind: SIPp's run, faxlan's received fax, the peer's result, the pages sent. */
    private record Call(Sipp.Result sipp, ReceivedFax fax, Map<String, Object> peer, List<BilevelPage> sent, Path dir) {
        /** When faxlan's fax ended (its T.30 done at the sender's DCN), wall clock. */
        long faxEndedAt() {
            return fax.startedMillis() + fax.durationMillis();
        }

        String why() {
            return sipp.describe() + "\nfaxlan: " + (fax == null ? "no fax" : fax.result() + ", " + fax.pages().size() + " page(s)") + "\npeer: " + peer
                    + "\nfiles: " + dir;
        }
    }

    /** Calls made at most for one test: see {@link #call}. */
    private static final int ATTEMPTS = 3;

    /**
     * One call, made again (at most {@link #ATTEMPTS} in all) only when its fax failed while the peer saw
     * our packets late or far off, or SIPp's watchdog saw it starved of the CPU: on a machine too loaded to run both ends in real time that call measured
     * the machine, not the line (the jitter buffers' late packets are the scheduler's, as in SpandspRtpIT).
     * A fax that fails on a punctual stream is returned as it is, and fails the test.
     */
    private Call call(String scenario, String name, int pageCount) throws Exception {
        Call c = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            c = attempt(scenario, name + (attempt == 1 ? "" : "-" + attempt), pageCount);
            boolean delivered = c.fax() != null && c.fax().result() == FaxResult.OK && Long.valueOf(0).equals(c.peer().get("result"));
            // SIPp's own watchdog reports when the machine kept it from running for half a second or more.
            boolean starved = c.sipp().errors().contains("Overload warning");
            if (delivered || !stalled(c.peer()) && !starved) return c;
            System.out.println("AudioFaxSippIT " + name + ": attempt " + attempt + " failed on a stalled stream (peer heard " + c.peer().get("rtp_late")
                    + " late, " + c.peer().get("rtp_far_off") + " far off, " + c.peer().get("rtp_resyncs") + " resyncs"
                    + (starved ? "; SIPp starved" : "") + "); "
                    + (attempt < ATTEMPTS ? "calling again" : "giving up") + "; files " + c.dir());
        }
        return c;
    }

    private static boolean stalled(Map<String, Object> peer) {
        for (String k : List.of("rtp_late", "rtp_far_off", "rtp_resyncs")) {
            if (peer.get(k) instanceof Number n && n.longValue() > 0) return true;
        }
        return false;
    }

    private Call attempt(String scenario, String name, int pageCount) throws Exception {
        Path dir = LOGS.resolve(name).toAbsolutePath();
        Files.createDirectories(dir);
        List<BilevelPage> pages = TestFaxPages.pages(1700 + name.length(), pageCount, 400);
        Path tiff = dir.resolve("sent.tif");
        Files.write(tiff, TiffWriter.toBytes(pages, TiffWriteOptions.of(TiffEncoding.G4)));
        Path out = dir.resolve("peer.json");
        Files.deleteIfExists(out);
        Path script = peerScript(dir, tiff, out);
        Sipp.Result r = Sipp.scenario(scenario).target(LoopbackPorts.HOST, endpoint.port()).set("caller", "5551234").set("peer", script.toString())
                .service("0000").timeout(RUN_LIMIT).run();
        ReceivedFax fax = inbox.poll(60, TimeUnit.SECONDS);
        String json = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                .orElse("{}") : "{}";
        return new Call(r, fax, FlatJson.parse(json), pages, dir);
    }

    /**
     * The script SIPp runs for the media: spandsp sends the fax to faxlan's RTP port ($1) and, when it has
     * ended, the script tells SIPp (its SIP port $2) by a NOTIFY with the call's Call-ID ($3).
     */
    private static Path peerScript(Path dir, Path tiff, Path out) throws IOException, InterruptedException {
        Path bin = SpandspBuild.binary(C_SOURCES, "audiopeer");
        Path log = dir.resolve("peer.log");
        String notify = "NOTIFY sip:sipp@127.0.0.1:%s SIP/2.0\\r\\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-media-done\\r\\n"
                + "Max-Forwards: 70\\r\\nFrom: <sip:peer@127.0.0.1>;tag=peer\\r\\nTo: <sip:sipp@127.0.0.1>\\r\\nCall-ID: %s\\r\\n"
                + "CSeq: 1 NOTIFY\\r\\nEvent: media-done\\r\\nContent-Length: 0\\r\\n\\r\\n";
        String text = "#!/bin/bash\n"
                + "# $1 faxlan's RTP port, $2 SIPp's SIP port, $3 the call's Call-ID\n"
                + "echo \"rtp $1 sipp $2 call $3\" >> " + quote(log) + "\n"
                + quote(bin) + " --send " + quote(tiff) + " --rtp 127.0.0.1:\"$1\" --law alaw --ecm 1 --compressions all --ident spandsp"
                + " --seed 1 --timeout 200 > " + quote(out) + " 2>> " + quote(log) + "\n"
                // Written to a file first: cat sends it in one datagram, where printf would send each line in its own.
                + "printf '" + notify + "' \"$2\" \"$3\" > " + quote(dir.resolve("notify.sip")) + "\n"
                + "cat " + quote(dir.resolve("notify.sip")) + " > /dev/udp/127.0.0.1/\"$2\"\n";
        Path script = dir.resolve("peer.sh");
        Files.writeString(script, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private static String quote(Path p) {
        return "'" + p.toAbsolutePath().toString().replace("'", "'\\''") + "'";
    }

    /** Wall-clock times (ms) at which SIPp sent or received the messages whose first line starts with {@code start}, in order. */
    private static List<Long> times(Sipp.Result r, boolean sent, String start) {
        return times(r, sent, start, "");
    }

    /** As {@link #times(Sipp.Result, boolean, String)}, of messages whose CSeq names {@code method} too (any when empty). */
    private static List<Long> times(Sipp.Result r, boolean sent, String start, String method) {
        List<Long> out = new ArrayList<>();
        String[] lines = r.trace().split("\n", -1);
        for (int i = 0; i + 1 < lines.length; i++) {
            if (!lines[i].startsWith("----------")) continue;
            Matcher m = TRACE_TIME.matcher(lines[i]);
            if (!m.find()) continue;
            boolean isSent = lines[i + 1].contains("message sent");
            if (isSent != sent || !(isSent || lines[i + 1].contains("message received"))) continue;
            int j = i + 2;
            while (j < lines.length && lines[j].isBlank()) j++;
            int end = j;
            while (end < lines.length && !lines[end].startsWith("----------")) end++;
            String cseq = java.util.Arrays.stream(lines, j, end).filter(l -> l.strip().regionMatches(true, 0, "CSeq:", 0, 5)).findFirst().orElse("");
            if (j < lines.length && lines[j].strip().startsWith(start) && cseq.strip().endsWith(method)) {
                out.add(LocalDateTime.parse(m.group(1) + "T" + m.group(2)).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli());
            }
        }
        return out;
    }

    private static void assertDeliveredPixelExact(Call c) {
        assertThat(c.fax()).as(c.why()).isNotNull();
        assertThat(c.fax().result()).as(c.why()).isEqualTo(FaxResult.OK);
        assertThat(c.peer().get("result")).as(c.why()).isEqualTo(0L);
        assertThat(c.fax().pages()).as(c.why()).hasSize(c.sent().size());
        for (int i = 0; i < c.sent().size(); i++) {
            assertThat(c.fax().pages().get(i).page().firstDifferentRow(c.sent().get(i))).as("page %d of %s", i + 1, c.why()).isEqualTo(-1);
        }
    }

    @Test
    void aSessionRefreshAndAnUpdateInTheMiddleOfAnAudioFaxLeaveTheMediaAlone() throws Exception {
        startFaxlan(CallTuning.DEFAULT_BYE_GRACE);
        Call c = call("uac-audio-fax-refresh.xml", "refresh", 2);
        assertThat(c.sipp().succeeded()).as(c.why()).isTrue();
        assertDeliveredPixelExact(c);
        // A 200 may come twice on a loaded machine (resent before the ACK arrived): told apart by CSeq.
        List<Sipp.Message> answers = c.sipp().messages().stream().filter(m -> !m.sent() && m.status() == 200 && !m.body().isBlank()).toList();
        assertThat(answers.stream().map(m -> m.header("CSeq").orElse("").replaceAll("\\s+", " ")).distinct())
                .as("the 200s to the INVITE, the re-INVITE and the UPDATE: %s", c.why()).hasSize(3).anyMatch(q -> q.endsWith(" UPDATE"));
        // Each refresh is answered with the SDP in force, the same RTP port: nothing about the media changed.
        assertThat(answers).as(c.why()).allSatisfy(m -> assertThat(m.body()).isEqualTo(answers.get(0).body()));
        assertThat(answers.get(0).body()).containsPattern("m=audio \\d+ RTP/AVP 8");
        // The refreshes came while the fax ran: the fax ended after the UPDATE was answered.
        List<Long> updated = times(c.sipp(), false, "SIP/2.0 200", "UPDATE");
        assertThat(updated).as(c.why()).hasSize(1);
        assertThat(c.faxEndedAt()).as("fax ended after the UPDATE's 200; %s", c.why()).isGreaterThan(updated.get(0));
    }

    @Test
    void aSendersByeOneSecondAfterDcnIsAnsweredAndEndsTheCall() throws Exception {
        startFaxlan(CallTuning.DEFAULT_BYE_GRACE);
        Call c = call("uac-audio-fax-bye.xml", "sender-hangs-up", 1);
        assertThat(c.sipp().succeeded()).as(c.why()).isTrue();
        assertDeliveredPixelExact(c);
        // The caller's BYE got its 200, and faxlan sent none of its own: the call ended by the caller's BYE.
        assertThat(c.sipp().sent().stream().filter(l -> l.startsWith("BYE ")).count()).as(c.why()).isEqualTo(1);
        assertThat(c.sipp().received().stream().filter(l -> l.startsWith("BYE ")).count()).as(c.why()).isZero();
        assertThat(c.sipp().receivedStatuses()).as(c.why()).endsWith(200);
        List<Long> bye = times(c.sipp(), true, "BYE ");
        assertThat(bye.get(0)).as("the BYE left after the fax ended; %s", c.why()).isGreaterThanOrEqualTo(c.faxEndedAt());
    }

    @Test
    void aSenderThatNeverHangsUpGetsFaxlansByeOnceTheConfiguredGraceHasPassed() throws Exception {
        // Longer than the default 5 s: the BYE's earliest time shows the configured grace, not the default, was kept.
        Duration grace = Duration.ofSeconds(8);
        startFaxlan(grace);
        Call c = call("uac-audio-fax-await-bye.xml", "sender-never-hangs-up", 1);
        assertThat(c.sipp().succeeded()).as(c.why()).isTrue();
        assertDeliveredPixelExact(c);
        assertThat(c.sipp().sent().stream().filter(l -> l.startsWith("BYE ")).count()).as(c.why()).isZero();
        List<Long> bye = times(c.sipp(), false, "BYE ");
        assertThat(bye).as(c.why()).hasSize(1);
        assertThat(bye.get(0) - c.faxEndedAt()).as("ms from the fax's end (DCN) to faxlan's BYE; %s", c.why()).isGreaterThanOrEqualTo(grace.toMillis());
    }
}
