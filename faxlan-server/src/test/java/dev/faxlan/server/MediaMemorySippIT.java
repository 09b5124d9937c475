package dev.faxlan.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faxlan.engine.tiff.TiffReader;
import dev.faxlan.lines.LinesConfig;
import dev.faxlan.lines.interop.LoopbackPorts;
import dev.faxlan.lines.interop.Sipp;
import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Message;
import dev.faxlan.protocol.Op;
import dev.faxlan.protocol.message.JobMessage;
import dev.faxlan.protocol.message.MessageCodec;

import dev.faxlan.server.cpi.operation.CpiService;
import dev.faxlan.testkit.FlatJson;
import dev.faxlan.testkit.PortRetry;
import dev.faxlan.lines.interop.WaitingSpandspPeer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-destination media memory end to end: jobs submitted over CPI to a running server, sent by
 * its dispatcher on a SIP trunk with policy {@code t38-then-g711}, whose far end is SIPp for the
 * signalling and spandsp for the fax (audiopeer over RTP for G.711, t38peer over UDPTL for T.38), each
 * waiting at the media port SIPp's SDP names and latching onto faxlan's media as it arrives. Job 1:
 * T.38 refused (488), the same attempt calls again with audio and delivers. Job 2, to the same
 * number: SIPp sees an audio INVITE first. The server's clock then moves past the memory's 7 days and
 * the far end takes T.38 again: job 3 is offered T.38 first and delivers over it. Each job's
 * {@code calls} say which media each call used and why.
 */
class MediaMemorySippIT {
    private static final String NUMBER = "+15550100";
    private static final Duration CALL_LIMIT = Duration.ofMinutes(5);

    @TempDir
    Path dir;
    private final ShiftedClock clock = new ShiftedClock();
    private final List<Process> peers = new ArrayList<>();
    private FaxlanServer server;
    private Sipp.Running sipp;

    /** Real time, moved ahead by what the test adds: calls run in real time, the memory's days pass at once. */
    static final class ShiftedClock extends Clock {
        private final AtomicLong shift = new AtomicLong();

        void advance(Duration d) {
            shift.addAndGet(d.toMillis());
        }

        @Override
        public long millis() {
            return System.currentTimeMillis() + shift.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("tests use UTC");
        }
    }

    /** A spandsp peer waiting at its own port for faxlan's media. */
    record Peer(Process process, int port, Path out, Path log, Path tiff) {
        Map<String, Object> result() throws Exception {
            if (!process.waitFor(CALL_LIMIT.toSeconds(), TimeUnit.SECONDS)) throw new AssertionError("peer still running; log " + log);
            String json = Files.readString(out).lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError("the peer printed no result; log " + log));
            return FlatJson.parse(json);
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.close();
        if (sipp != null) sipp.kill();
        for (Process p : peers) if (p.isAlive()) p.destroyForcibly();
    }

    private Peer peer(String name, List<String> args, Pattern bound) throws Exception {
        WaitingSpandspPeer w = WaitingSpandspPeer.start(dir, name, args, bound, peers);
        return new Peer(w.process(), w.port(), w.out(), w.log(), w.tiff());
    }

    private Peer audioPeer(String name) throws Exception {
        return peer(name, List.of("audiopeer", "--rtp", "127.0.0.1:0", "--law", "ulaw", "--ecm", "1", "--ident", "spandsp-audio", "--timeout",
                "600"), Pattern.compile("bound port (\\d+)"));
    }

    private Peer t38Peer(String name) throws Exception {
        return peer(name, List.of("t38peer", "--local-port", "0", "--remote-port", "0", "--version", "0", "--ident", "spandsp-t38", "--timeout",
                "600"), Pattern.compile("bound 127\\.0\\.0\\.1:(\\d+)"));
    }

    private static LinesConfig lines(int sippPort) {
        Properties p = new Properties();
        p.setProperty("numbers.country-code", "1");
        p.setProperty("sip.bind", "127.0.0.1");
        p.setProperty("sip.port", Integer.toString(PortRetry.freeUdp(InetAddress.getLoopbackAddress())));
        p.setProperty("line.trunk.registrar", LoopbackPorts.HOST + ":" + sippPort);
        p.setProperty("line.trunk.register", "false");
        p.setProperty("line.trunk.user", "15550000");
        p.setProperty("line.trunk.number", "+15550000");
        p.setProperty("line.trunk.route", "+1555");
        p.setProperty("line.trunk.policy", "t38-then-g711");
        p.setProperty("lines.media-memory-days", "7");
        return LinesConfig.parse(p);
    }

    @Test
    void aNumberThatRefusedT38StartsWithG711UntilTheMemoryExpires() throws Exception {
        // Every far end waits before the first call: SIPp's injection file names each call's media port.
        Peer audio1 = audioPeer("job1-g711");
        Peer audio2 = audioPeer("job2-g711");
        Peer t38 = t38Peer("job3-t38");
        Path calls = dir.resolve("calls.csv");
        Files.writeString(calls, "SEQUENTIAL\n9;refuse\n" + audio1.port() + ";refuse\n" + audio2.port() + ";refuse\n" + t38.port() + ";accept\n");
        sipp = Sipp.scenario(Path.of("src", "test", "resources", "dev", "faxlan", "server", "uas-t38-by-call.xml")).args("-inf", calls.toString())
                .calls(4).timeout(Duration.ofMinutes(20)).listen();
        int sippPort = sipp.localPort();
        ServerConfig cfg = ServerConfig.defaults().withDataDir(dir.resolve("data")).withBind(new InetSocketAddress("127.0.0.1", 0))
                .withAdminPassword("admin-password-1");
        server = PortRetry.onAddressInUse("server with a SIPp trunk", attempt -> FaxlanServer.start(cfg.withLines(lines(sippPort)), null, clock));
        CpiService cpi = server.service();
        byte[] session = login(cpi);
        String doc = upload(cpi, session, "Dear reader,\nthis fax goes to a far end that refuses T.38.\n".getBytes(StandardCharsets.UTF_8));

        // Job 1: T.38 refused with 488, the same attempt delivers over G.711.
        JobMessage.Job job1 = sent(cpi, session, doc);
        assertThat(job1.state()).as("%s", job1).isEqualTo("done");
        assertThat(job1.attempts()).isEqualTo(1);
        assertThat(job1.reason()).contains("over G.711 after T.38 was refused (488 ");
        assertDelivered(audio1);

        // Job 2: starts with G.711 (the memory), no T.38 offer at all.
        JobMessage.Job job2 = sent(cpi, session, doc);
        assertThat(job2.state()).as("%s", job2).isEqualTo("done");
        assertThat(job2.reason()).contains("over G.711 (policy g711-then-t38)");
        assertDelivered(audio2);

        // A week on, the memory has expired; the far end takes T.38 again (the last line of its file).
        clock.advance(Duration.ofDays(7).plusMinutes(1));
        session = login(cpi);
        JobMessage.Job job3 = sent(cpi, session, doc);
        assertThat(job3.state()).as("%s", job3).isEqualTo("done");
        assertThat(job3.reason()).contains("over T.38 (policy t38-then-g711)");
        assertDelivered(t38);

        // job.get's calls: one per attempt, the media each ended on and why, the plan it started with, the carrier.
        JobMessage.Call c1 = job(cpi, session, job1.id()).calls().get(0);
        assertThat(c1.line()).isEqualTo("trunk");
        assertThat(c1.media()).isEqualTo("g711");
        assertThat(c1.mediaWhy()).startsWith("G.711 after T.38 was refused (488 ");
        assertThat(c1.plan()).isEqualTo("over T.38, then G.711 if that fails (policy t38-then-g711)");
        assertThat(c1.outcome()).isEqualTo("success");
        assertThat(c1.carrier()).as("%s", c1).matches("[0-9,]+ bit/s V\\.(17|29|27ter), (ECM|no ECM)");
        JobMessage.Call c2 = job(cpi, session, job2.id()).calls().get(0);
        assertThat(c2.media()).isEqualTo("g711");
        assertThat(c2.plan()).startsWith("over G.711, then T.38 if that fails (policy t38-then-g711): T.38 failed to " + NUMBER + " at ");
        JobMessage.Call c3 = job(cpi, session, job3.id()).calls().get(0);
        assertThat(c3.media()).isEqualTo("t38");
        assertThat(c3.mediaWhy()).isEqualTo("T.38 (policy t38-then-g711)");
        assertThat(c3.plan()).isEqualTo("over T.38, then G.711 if that fails (policy t38-then-g711)");
        for (JobMessage.Job j : List.of(job1, job2, job3)) assertThat(job(cpi, session, j.id()).calls()).as("job %d", j.id()).hasSize(1);

        Sipp.Result s = sipp.await();
        assertThat(s.succeeded()).as(s.describe()).isTrue();
        List<Sipp.Message> invites = firstInvites(s);
        assertThat(invites).as(s.describe()).hasSize(4);
        assertThat(invites.get(0).body()).as("job 1 offers T.38 first").containsPattern("m=image \\d+ udptl t38").doesNotContain("m=audio");
        assertThat(invites.get(1).body()).as("job 1 falls back to audio").containsPattern("m=audio \\d+ RTP/AVP").doesNotContain("m=image");
        assertThat(invites.get(2).body()).as("job 2 starts with audio").containsPattern("m=audio \\d+ RTP/AVP").doesNotContain("m=image");
        assertThat(invites.get(3).body()).as("job 3, memory expired, offers T.38 first").containsPattern("m=image \\d+ udptl t38")
                .doesNotContain("m=audio");
        assertThat(s.sentStatuses()).as(s.describe()).containsSubsequence(488, 200, 200, 200);
    }

    private static void assertDelivered(Peer peer) throws Exception {
        Map<String, Object> r = peer.result();
        assertThat(r.get("result")).as("%s; log %s", r, peer.log()).isEqualTo(0L);
        assertThat(r.get("pages_rx")).as("%s", r).isEqualTo(1L);
        try (TiffReader t = TiffReader.open(peer.tiff())) {
            assertThat(t.pageCount()).isEqualTo(1);
            assertThat(t.readPage(0).page().width()).isEqualTo(1728);
        }
    }

    /** The first INVITE of each call (a retransmission on a busy machine repeats a Call-ID). */
    private static List<Sipp.Message> firstInvites(Sipp.Result s) {
        List<String> seen = new ArrayList<>();
        List<Sipp.Message> out = new ArrayList<>();
        for (Sipp.Message m : s.messages()) {
            if (m.sent() || !m.firstLine().startsWith("INVITE ")) continue;
            String id = m.header("Call-ID").orElse("");
            if (seen.contains(id)) continue;
            seen.add(id);
            out.add(m);
        }
        return out;
    }

    /** Submits one job to {@link #NUMBER} and waits until it is final. */
    private JobMessage.Job sent(CpiService cpi, byte[] session, String doc) throws Exception {
        JobMessage.Submitted submitted = MessageCodec.decode(JobMessage.Submitted.class, ok(cpi.handle(request(session, Op.SUBMIT,
                MessageCodec.encode(new JobMessage.Submit(List.of(NUMBER), List.of(doc), null, null, "fine", null, null, null))), "127.0.0.1")));
        long id = submitted.jobs().get(0).id();
        JobMessage.Job[] last = {null};
        await().atMost(CALL_LIMIT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            last[0] = job(cpi, session, id);
            return List.of("done", "failed", "cancelled").contains(last[0].state());
        });
        return last[0];
    }

    private static JobMessage.Job job(CpiService cpi, byte[] session, long id) throws CpiException {
        return MessageCodec.decode(JobMessage.OneJob.class, ok(cpi.handle(request(session, Op.JOB_GET, MessageCodec.encode(new JobMessage.GetJob(id))),
                "127.0.0.1"))).job();
    }

    private static final AtomicLong REQUESTS = new AtomicLong();

    private static Message.Request request(byte[] session, Op op, Fields body) {
        byte[] key = null;
        if (op.mutating()) {
            key = new byte[16];
            new java.security.SecureRandom().nextBytes(key);
        }
        return new Message.Request(REQUESTS.incrementAndGet(), op, session, key, body);
    }

    private static Fields ok(Message m) {
        if (m instanceof Message.Ok ok) return ok.body();
        throw new AssertionError("expected success, got " + m);
    }

    private static byte[] login(CpiService cpi) throws CpiException {
        return ok(cpi.handle(request(null, Op.LOGIN, Fields.builder().put("user", "admin").put("password", "admin-password-1").build()), "127.0.0.1"))
                .bytes("session");
    }

    private static String upload(CpiService cpi, byte[] session, byte[] content) throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        Fields begun = ok(cpi.handle(request(session, Op.UPLOAD_BEGIN, Fields.builder().put("size", (long) content.length).put("sha256", sha)
                .put("name", "letter.txt").build()), "127.0.0.1"));
        String id = begun.string("upload");
        try (FileChannel ch = cpi.spool().openPart(id, 0)) {
            ch.write(ByteBuffer.wrap(content));
        }
        Fields done = cpi.completeUpload(cpi.ownUpload(cpi.authenticate(request(session, Op.JOB_LIST, Fields.EMPTY)), id));
        assertThat(done.bool("complete", false)).isTrue();
        return sha;
    }
}
